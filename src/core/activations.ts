/**
 * @file Activation functions and their derivatives, the CPU half. shaders/activations.wgsl is
 * the GPU half and uses the same formulas (the same stable branches, the same erf
 * approximation), so the two agree to float32 rounding. The ids come from src/core/ids.ts, the
 * table the WGSL's names come from too.
 */
import { ACTIVATION_ID } from './ids';
import type { Floats } from './types';

/**
 * The ids as a binding of this module: the switches below run per element, and in Node (Vite's
 * module runner) every read of an imported binding is a getter call on the module's namespace.
 */
const ACT = ACTIVATION_ID;

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
    case ACT.linear:
      return z;
    case ACT.sigmoid:
      return sigmoid(z);
    case ACT.tanh:
      return Math.tanh(Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z)));
    case ACT.relu:
      // biome-ignore lint/complexity/useMathMinMax: NaN gives 0, as WGSL's max(z, 0.0) does on Vulkan (maxnum)
      return z > 0 ? z : 0;
    case ACT.leaky_relu:
      return z > 0 ? z : alpha * z;
    case ACT.elu:
      return z > 0 ? z : alpha * (Math.exp(z) - 1);
    case ACT.selu:
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    // erf rounded to float32 first, as on the GPU: where it is exactly -1 the output is exactly 0,
    // which the zero_frac statistic counts.
    case ACT.gelu:
      return 0.5 * z * (1 + Math.fround(erf(z * Math.SQRT1_2)));
    case ACT.softplus:
      return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
    case ACT.softsign:
      return z / (1 + Math.abs(z));
    case ACT.swish:
      return z * sigmoid(z);
    default:
      throw new Error(`actForward: unknown activation id ${id}`);
  }
}

/** f'(z). At the kink of relu-like functions the derivative is taken from the left (0, alpha), as TensorFlow does. */
export function actDerivative(id: number, alpha: number, z: number): number {
  switch (id) {
    case ACT.linear:
      return 1;
    case ACT.sigmoid: {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    case ACT.tanh: {
      const t = Math.tanh(Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z)));
      return 1 - t * t;
    }
    case ACT.relu:
      return z > 0 ? 1 : 0;
    case ACT.leaky_relu:
      return z > 0 ? 1 : alpha;
    case ACT.elu:
      return z > 0 ? 1 : alpha * Math.exp(z);
    case ACT.selu:
      return z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(z);
    case ACT.gelu:
      return 0.5 * (1 + erf(z * Math.SQRT1_2)) + z * Math.exp(-0.5 * z * z) * 0.3989422804014327;
    case ACT.softplus:
      return sigmoid(z);
    case ACT.softsign: {
      const d = 1 + Math.abs(z);
      return 1 / (d * d);
    }
    case ACT.swish: {
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
