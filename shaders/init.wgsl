// Initializer sampling (init_draw.wgsl) of one tensor: draw KIND, one invocation per element.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.n) { return; }
  out[i] = init_draw(KIND, i, P.stream, P.layer, vec2<u32>(P.seed_lo, P.seed_hi), P.a, P.b, P.zero);
}
