// Activations and their derivatives, the WebAssembly half of src/core/activations.ts: the same
// formulas and the same stable branches, in float64 like the TypeScript reference, so the two
// agree to float32 rounding. Ids are the reference's ACTIVATION_ID. Linear, sigmoid, tanh, relu
// and leaky relu also have a four-lane float32 form, which the products' epilogues use on whole
// 8-column tiles (sigmoid and tanh through a polynomial e^x, within a few float32 ulp of the
// reference; the lesson networks are tanh and sigmoid, and one scalar float64 tanh per element
// cost more than the product itself at their widths).

const SELU_ALPHA: f64 = 1.6732632423543772;
const SELU_SCALE: f64 = 1.0507009873554805;
const TANH_CLAMP: f64 = 15;

export const ACT_LINEAR = 0;
export const ACT_SIGMOID = 1;
export const ACT_TANH = 2;
export const ACT_RELU = 3;
export const ACT_LEAKY = 4;
export const ACT_SOFTMAX = 11;

/** Whether `act` has a four-lane form (vectorForward, vectorDerivativeTimes). */
export function isVectorAct(act: i32): bool {
  return act <= ACT_LEAKY;
}

/**
 * e^x on four lanes in float32 (Cephes' expf: x = n·ln 2 + r, a degree-6 polynomial for e^r, 2^n
 * built in the exponent bits), within 2 ulp; inputs clamped to where the result is finite.
 */
// @ts-ignore: decorator
@inline
function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** The logistic function on four lanes: 1 / (1 + e^−z). */
// @ts-ignore: decorator
@inline
function sigmoid4(z: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(z))));
}

/**
 * tanh on four lanes: Cephes' odd polynomial below |z| = 0.625 (where 1 − 2/(e^2z + 1) would
 * cancel), that formula above, with the reference's clamp at ±TANH_CLAMP.
 */
// @ts-ignore: decorator
@inline
function tanh4(z: v128): v128 {
  const a = f32x4.min(f32x4.abs(z), f32x4.splat(<f32>TANH_CLAMP));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(a, a)), f32x4.splat(1))));
  const z2 = f32x4.mul(z, z);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z2), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z2), z), z);
  // |tanh| from the big branch, with the sign of z.
  const signed = v128.or(big, v128.and(z, f32x4.splat(-0.0)));
  return v128.bitselect(small, signed, f32x4.lt(a, f32x4.splat(0.625)));
}

function erf(x: f64): f64 {
  const s: f64 = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

function sigmoid(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function actForward(id: i32, alpha: f64, z: f64): f64 {
  switch (id) {
    case 0:
      return z;
    case 1:
      return sigmoid(z);
    case 2:
      return Math.tanh(Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z)));
    case 3:
      return z > 0 ? z : 0;
    case 4:
      return z > 0 ? z : alpha * z;
    case 5:
      return z > 0 ? z : alpha * (Math.exp(z) - 1);
    case 6:
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    case 7:
      return 0.5 * z * (1 + <f64>(<f32>erf(z * Math.SQRT1_2)));
    case 8:
      return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
    case 9:
      return z / (1 + Math.abs(z));
    case 10:
      return z * sigmoid(z);
    default:
      return z;
  }
}

export function actDerivative(id: i32, alpha: f64, z: f64): f64 {
  switch (id) {
    case 0:
      return 1;
    case 1: {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    case 2: {
      const t = Math.tanh(Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z)));
      return 1 - t * t;
    }
    case 3:
      return z > 0 ? 1 : 0;
    case 4:
      return z > 0 ? 1 : alpha;
    case 5:
      return z > 0 ? 1 : alpha * Math.exp(z);
    case 6:
      return z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(z);
    case 7:
      return 0.5 * (1 + erf(z * Math.SQRT1_2)) + z * Math.exp(-0.5 * z * z) * 0.3989422804014327;
    case 8:
      return sigmoid(z);
    case 9: {
      const d = 1 + Math.abs(z);
      return 1 / (d * d);
    }
    case 10: {
      const s = sigmoid(z);
      return s + z * s * (1 - s);
    }
    default:
      return 1;
  }
}

/** f(z) on four lanes, for isVectorAct ids. A NaN gives 0 through relu, as `z > 0 ? z : 0` does. */
// @ts-ignore: decorator
@inline
export function vectorForward(id: i32, alpha: v128, z: v128): v128 {
  if (id == ACT_LINEAR) return z;
  if (id == ACT_SIGMOID) return sigmoid4(z);
  if (id == ACT_TANH) return tanh4(z);
  const positive = f32x4.gt(z, f32x4.splat(0));
  if (id == ACT_RELU) return v128.and(z, positive);
  return v128.bitselect(z, f32x4.mul(z, alpha), positive);
}

/** g · f'(z) on four lanes, for isVectorAct ids (the derivative is taken from the left at 0). */
// @ts-ignore: decorator
@inline
export function vectorDerivativeTimes(id: i32, alpha: v128, z: v128, g: v128): v128 {
  if (id == ACT_LINEAR) return g;
  if (id == ACT_SIGMOID) {
    const s = sigmoid4(z);
    return f32x4.mul(g, f32x4.mul(s, f32x4.sub(f32x4.splat(1), s)));
  }
  if (id == ACT_TANH) {
    const t = tanh4(z);
    return f32x4.mul(g, f32x4.sub(f32x4.splat(1), f32x4.mul(t, t)));
  }
  const positive = f32x4.gt(z, f32x4.splat(0));
  if (id == ACT_RELU) return v128.and(g, positive);
  return v128.bitselect(g, f32x4.mul(g, alpha), positive);
}
