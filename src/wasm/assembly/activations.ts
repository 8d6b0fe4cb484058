// Activations and their derivatives, the WebAssembly half of src/core/activations.ts: the same
// formulas and the same stable branches, in float64 like the TypeScript reference, so the two
// agree to float32 rounding. Ids are the reference's ACTIVATION_ID; relu-like ones also have a
// vector form (activations on four lanes at once) used by the products' epilogues.

const SELU_ALPHA: f64 = 1.6732632423543772;
const SELU_SCALE: f64 = 1.0507009873554805;
const TANH_CLAMP: f64 = 15;

export const ACT_LINEAR = 0;
export const ACT_RELU = 3;
export const ACT_LEAKY = 4;
export const ACT_SOFTMAX = 11;

/** Whether `act` has a four-lane form (vectorForward, vectorDerivative). */
export function isVectorAct(act: i32): bool {
  return act == ACT_LINEAR || act == ACT_RELU || act == ACT_LEAKY;
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
  const positive = f32x4.gt(z, f32x4.splat(0));
  if (id == ACT_RELU) return v128.and(z, positive);
  return v128.bitselect(z, f32x4.mul(z, alpha), positive);
}

/** g · f'(z) on four lanes, for isVectorAct ids (the derivative is taken from the left at 0). */
// @ts-ignore: decorator
@inline
export function vectorDerivativeTimes(id: i32, alpha: v128, z: v128, g: v128): v128 {
  if (id == ACT_LINEAR) return g;
  const positive = f32x4.gt(z, f32x4.splat(0));
  if (id == ACT_RELU) return v128.and(g, positive);
  return v128.bitselect(g, f32x4.mul(g, alpha), positive);
}
