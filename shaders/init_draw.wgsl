// An initializer's draw of one element, by id (INIT_*): the constant a; uniform in [a, b);
// normal with mean a and stddev b; truncated normal, redrawn beyond 2 stddev. Keyed on
// (element, attempt, stream, layer) and `key` (the seed), identical to sampleCpu in
// src/core/initializers.ts. Shared by the engine's init.wgsl and the atlas's
// population_init.wgsl; `zero` is add_product's (rng.wgsl).
fn init_draw(kind: u32, e: u32, stream: u32, layer: u32, key: vec2<u32>, a: f32, b: f32, zero: u32) -> f32 {
  switch kind {
    case INIT_UNIFORM: {
      let w = philox4x32(vec4<u32>(e, 0u, stream, layer), key);
      return add_product(a, (b - a) * to_uniform(w.x), zero);
    }
    case INIT_NORMAL: {
      let w = philox4x32(vec4<u32>(e, 0u, stream, layer), key);
      return add_product(a, b * to_normal(w.x, w.y), zero);
    }
    case INIT_TRUNCATED_NORMAL: {
      // A bounded loop: 16 redraws leave a chance of 0.0455^16 (1e-21) of clamping.
      var z = 0.0;
      for (var attempt = 0u; attempt < 16u; attempt++) {
        let w = philox4x32(vec4<u32>(e, attempt, stream, layer), key);
        z = to_normal(w.x, w.y);
        if (abs(z) <= 2.0) { break; }
      }
      return add_product(a, b * clamp(z, -2.0, 2.0), zero);
    }
    default: {
      return a;
    }
  }
}
