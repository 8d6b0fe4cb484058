/**
 * @file Activation functions and their derivatives, the CPU half. shaders/activations.wgsl is
 * the GPU half and uses the same formulas (the same stable branches, the same erf
 * approximation), so the two agree to float32 rounding. The numeric ids below are injected
 * into WGSL as pipeline-overridable constants; they are defined only here.
 */
import type { ActivationName, Floats } from './types';

export const ACTIVATION_ID: Record<ActivationName, number> = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leaky_relu: 4,
  elu: 5,
  selu: 6,
  gelu: 7,
  softplus: 8,
  softsign: 9,
  swish: 10,
  softmax: 11,
};

/** SELU constants (Klambauer et al. 2017), as in Keras. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** tanh saturates to exactly ±1 in float32 beyond this; clamping keeps GPU tanh finite. */
export const TANH_CLAMP = 15;

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7); WGSL has no erf, so both sides use this. */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** f(z). Not for softmax, which is a row operation (see softmaxRow). */
export function actForward(id: number, alpha: number, z: number): number {
  switch (id) {
    case 0:
      return z;
    case 1:
      return sigmoid(z);
    case 2:
      return Math.tanh(Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z)));
    case 3:
      // biome-ignore lint/complexity/useMathMinMax: NaN gives 0, as WGSL's max(z, 0.0) does on Vulkan (maxnum)
      return z > 0 ? z : 0;
    case 4:
      return z > 0 ? z : alpha * z;
    case 5:
      return z > 0 ? z : alpha * (Math.exp(z) - 1);
    case 6:
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    // erf rounded to float32 first, as on the GPU: where it is exactly -1 the output is exactly 0,
    // which the zero_frac statistic counts.
    case 7:
      return 0.5 * z * (1 + Math.fround(erf(z * Math.SQRT1_2)));
    case 8:
      return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
    case 9:
      return z / (1 + Math.abs(z));
    case 10:
      return z * sigmoid(z);
    default:
      throw new Error(`actForward: unknown activation id ${id}`);
  }
}

/** f'(z). At the kink of relu-like functions the derivative is taken from the left (0, alpha), as TensorFlow does. */
export function actDerivative(id: number, alpha: number, z: number): number {
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
      throw new Error(`actDerivative: unknown activation id ${id}`);
  }
}

/** Numerically stable softmax of one row, in place into `out`. */
export function softmaxRow(z: ArrayLike<number>, off: number, n: number, out: Floats): void {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, z[off + j]);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(z[off + j] - m);
  for (let j = 0; j < n; j++) out[off + j] = Math.exp(z[off + j] - m) / s;
}
