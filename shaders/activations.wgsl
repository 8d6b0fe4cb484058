// Activations and their derivatives, by id (ACT_* from src/core/ids.ts), over values: the one
// WGSL definition every kernel uses (the layer kernels and their product epilogues, the loss,
// the fused small-network step, the atlas population). Same formulas and stable branches as
// src/core/activations.ts; SELU_*, TANH_CLAMP come from the shared constants of src/gpu/kernel.ts.
// Softmax is a row operation (softmax_row.wgsl).

fn erf_as(x: f32) -> f32 {
  // Abramowitz & Stegun 7.1.26: WGSL has no erf.
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(y, -y, x < 0.0);
}

// Without a branch, which SIMD hardware (and lavapipe) would run both sides of: for z >= 0 this
// is 1 / (1 + exp(-z)), for z < 0 exp(z) / (1 + exp(z)), the stable branches of the TypeScript
// sigmoid with the very same float operations, and one exp.
fn sigmoid_f(z: f32) -> f32 {
  let e = exp(-abs(z));
  return select(e, 1.0, z >= 0.0) / (1.0 + e);
}

// log(1 + e^z) without overflow: the softplus activation, and binary cross-entropy from a logit.
fn softplus_f(z: f32) -> f32 {
  return max(z, 0.0) + log(1.0 + exp(-abs(z)));
}

fn act_f(id: u32, alpha: f32, z: f32) -> f32 {
  switch id {
    case ACT_LINEAR: { return z; }
    case ACT_SIGMOID: { return sigmoid_f(z); }
    case ACT_TANH: { return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP)); }
    case ACT_RELU: { return max(z, 0.0); }
    case ACT_LEAKY_RELU: { return select(alpha * z, z, z > 0.0); }
    case ACT_ELU: { return select(alpha * (exp(z) - 1.0), z, z > 0.0); }
    case ACT_SELU: { return select(SELU_SCALE * SELU_ALPHA * (exp(z) - 1.0), SELU_SCALE * z, z > 0.0); }
    case ACT_GELU: { return 0.5 * z * (1.0 + erf_as(z * 0.70710678118654752)); }
    case ACT_SOFTPLUS: { return softplus_f(z); }
    case ACT_SOFTSIGN: { return z / (1.0 + abs(z)); }
    case ACT_SWISH: { return z * sigmoid_f(z); }
    default: { return z; }
  }
}

fn act_df(id: u32, alpha: f32, z: f32) -> f32 {
  switch id {
    case ACT_LINEAR: { return 1.0; }
    case ACT_SIGMOID: { let s = sigmoid_f(z); return s * (1.0 - s); }
    case ACT_TANH: { let t = tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP)); return 1.0 - t * t; }
    case ACT_RELU: { return select(0.0, 1.0, z > 0.0); }
    case ACT_LEAKY_RELU: { return select(alpha, 1.0, z > 0.0); }
    case ACT_ELU: { return select(alpha * exp(z), 1.0, z > 0.0); }
    case ACT_SELU: { return select(SELU_SCALE * SELU_ALPHA * exp(z), SELU_SCALE, z > 0.0); }
    case ACT_GELU: { return 0.5 * (1.0 + erf_as(z * 0.70710678118654752)) + z * exp(-0.5 * z * z) * 0.3989422804014327; }
    case ACT_SOFTPLUS: { return sigmoid_f(z); }
    case ACT_SOFTSIGN: { let d = 1.0 + abs(z); return 1.0 / (d * d); }
    case ACT_SWISH: { let s = sigmoid_f(z); return s + z * s * (1.0 - s); }
    default: { return 1.0; }
  }
}

// f'(z) where the caller also has a = f(z): for sigmoid and tanh act_df's own formula from a
// (the same value, one exp or tanh fewer), else act_df.
fn act_df_at(id: u32, alpha: f32, z: f32, a: f32) -> f32 {
  if (id == ACT_SIGMOID) { return a * (1.0 - a); }
  if (id == ACT_TANH) { return 1.0 - a * a; }
  return act_df(id, alpha, z);
}

fn act_f4(id: u32, alpha: f32, z: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(act_f(id, alpha, z.x), act_f(id, alpha, z.y), act_f(id, alpha, z.z), act_f(id, alpha, z.w));
}

fn act_df4(id: u32, alpha: f32, z: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(act_df(id, alpha, z.x), act_df(id, alpha, z.y), act_df(id, alpha, z.z), act_df(id, alpha, z.w));
}
