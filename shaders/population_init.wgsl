// Initial weights of a block of networks, drawn as the ordinary trainer draws them: network m of
// the block uses seed P.seed + m (a 64-bit add on the two key words) and the counter
// (element, attempt, stream, layer), exactly init.wgsl's draw (init_draw.wgsl), so network m
// equals a `train` run with that seed (src/atlas/init.ts is the CPU copy). One invocation per
// (element, network); the tensor's rows of the parameter-major buffer start at P.row. P.kind:
// the draw (INIT_*).
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.networks * P.size) { return; }
  let e = i / P.networks;
  let m = i % P.networks;
  let lo = P.seed_lo + m;
  let key = vec2<u32>(lo, P.seed_hi + select(0u, 1u, lo < m));
  out[(P.row + e) * P.count + P.first + m] = init_draw(P.kind, e, P.stream, P.layer, key, P.a, P.b, P.zero);
}
