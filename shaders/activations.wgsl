// Activations and derivatives by id (ids from src/core/activations.ts, injected as ACT).
// Same formulas and stable branches as the TypeScript copy; SELU_*, TANH_CLAMP come from the
// shared constants of src/gpu/kernel.ts.


fn erf_as(x: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26: WGSL has no erf.
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(y, -y, x < 0.0);
}

fn sigmoid_f(z: f32) -> f32 {
  if (z >= 0.0) { return 1.0 / (1.0 + exp(-z)); }
  let e = exp(z);
  return e / (1.0 + e);
}

fn act_f(id: u32, alpha: f32, z: f32) -> f32 {
  switch id {
    case 0u: { return z; }
    case 1u: { return sigmoid_f(z); }
    case 2u: { return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP)); }
    case 3u: { return max(z, 0.0); }
    case 4u: { return select(alpha * z, z, z > 0.0); }
    case 5u: { return select(alpha * (exp(z) - 1.0), z, z > 0.0); }
    case 6u: { return select(SELU_SCALE * SELU_ALPHA * (exp(z) - 1.0), SELU_SCALE * z, z > 0.0); }
    case 7u: { return 0.5 * z * (1.0 + erf_as(z * 0.70710678118654752)); }
    case 8u: { return max(z, 0.0) + log(1.0 + exp(-abs(z))); }
    case 9u: { return z / (1.0 + abs(z)); }
    case 10u: { return z * sigmoid_f(z); }
    default: { return z; }
  }
}

fn act_df(id: u32, alpha: f32, z: f32) -> f32 {
  switch id {
    case 0u: { return 1.0; }
    case 1u: { let s = sigmoid_f(z); return s * (1.0 - s); }
    case 2u: { let t = tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP)); return 1.0 - t * t; }
    case 3u: { return select(0.0, 1.0, z > 0.0); }
    case 4u: { return select(alpha, 1.0, z > 0.0); }
    case 5u: { return select(alpha * exp(z), 1.0, z > 0.0); }
    case 6u: { return select(SELU_SCALE * SELU_ALPHA * exp(z), SELU_SCALE, z > 0.0); }
    case 7u: { return 0.5 * (1.0 + erf_as(z * 0.70710678118654752)) + z * exp(-0.5 * z * z) * 0.3989422804014327; }
    case 8u: { return sigmoid_f(z); }
    case 9u: { let d = 1.0 + abs(z); return 1.0 / (d * d); }
    case 10u: { let s = sigmoid_f(z); return s + z * s * (1.0 - s); }
    default: { return 1.0; }
  }
}
