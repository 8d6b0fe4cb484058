// Initializer sampling: uniform, normal and truncated normal draws keyed on
// (seed, layer, stream, element index), identical to sampleCpu in src/core/initializers.ts.
// KIND: 1 uniform [a, b); 2 normal (mean a, stddev b); 3 truncated normal, redrawn beyond 2 stddev.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.n) { return; }
  let key = vec2<u32>(P.seed_lo, P.seed_hi);
  if (KIND == 1u) {
    let w = philox4x32(vec4<u32>(i, 0u, P.stream, P.layer), key);
    out[i] = add_product(P.a, (P.b - P.a) * to_uniform(w.x), P.zero);
  } else if (KIND == 2u) {
    let w = philox4x32(vec4<u32>(i, 0u, P.stream, P.layer), key);
    out[i] = add_product(P.a, P.b * to_normal(w.x, w.y), P.zero);
  } else {
    // A bounded loop: 16 redraws leave a chance of 0.0455^16 (1e-21) of clamping.
    var z = 0.0;
    for (var attempt = 0u; attempt < 16u; attempt++) {
      let w = philox4x32(vec4<u32>(i, attempt, P.stream, P.layer), key);
      z = to_normal(w.x, w.y);
      if (abs(z) <= 2.0) { break; }
    }
    out[i] = add_product(P.a, P.b * clamp(z, -2.0, 2.0), P.zero);
  }
}
