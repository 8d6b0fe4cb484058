// Initial weights of a block of networks, drawn as the ordinary trainer draws them: network m of
// the block uses seed P.seed + m (a 64-bit add on the two key words) and the counter
// (element, attempt, stream, layer), exactly shaders/init.wgsl's recipe, so network m equals a
// `train` run with that seed (src/atlas/init.ts is the CPU copy). One invocation per
// (element, network); the tensor's rows of the parameter-major buffer start at P.row.
// P.kind: 0 constant a; 1 uniform [a, b); 2 normal (mean a, stddev b); 3 truncated normal.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.networks * P.size) { return; }
  let e = i / P.networks;
  let m = i % P.networks;
  let lo = P.seed_lo + m;
  let key = vec2<u32>(lo, P.seed_hi + select(0u, 1u, lo < m));
  var v = P.a;
  if (P.kind == 1u) {
    let w = philox4x32(vec4<u32>(e, 0u, P.stream, P.layer), key);
    v = add_product(P.a, (P.b - P.a) * to_uniform(w.x), P.zero);
  } else if (P.kind == 2u) {
    let w = philox4x32(vec4<u32>(e, 0u, P.stream, P.layer), key);
    v = add_product(P.a, P.b * to_normal(w.x, w.y), P.zero);
  } else if (P.kind == 3u) {
    var z = 0.0;
    for (var attempt = 0u; attempt < 16u; attempt++) {
      let w = philox4x32(vec4<u32>(e, attempt, P.stream, P.layer), key);
      z = to_normal(w.x, w.y);
      if (abs(z) <= 2.0) { break; }
    }
    v = add_product(P.a, P.b * clamp(z, -2.0, 2.0), P.zero);
  }
  out[(P.row + e) * P.count + P.first + m] = v;
}
