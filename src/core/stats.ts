/**
 * @file Per-layer statistics: one definition for both backends.
 *
 * Every reduced tensor (pre-activations Z, activations A, the gradient dA flowing into a layer's
 * output, the kernel W, its gradient dW, and the last update ΔW) becomes one fixed-size *slot* of
 * floats. The GPU writes slots with shaders/stats_*.wgsl, the CPU with `reduceSlot` (`normSlot`
 * for tensors of which only the norm is read); the layout constants below are injected into the
 * WGSL, never written there by hand. `layerStats` turns the six slots of a layer into the named
 * record the CLI prints and the charts draw, with one statistic that is not a slot's: the
 * symmetry of the layer's units (`maxUnitDiff`).
 */
import { SATURATION_ID } from './ids';
import type { Activation } from './types';

export const HIST_BINS = 32;
/** Offsets inside a slot. */
export const SLOT = { count: 0, mean: 1, std: 2, min: 3, max: 4, zeros: 5, saturated: 6, norm: 7, hist: 8 } as const;
export const SLOT_SIZE = SLOT.hist + HIST_BINS;
/** The tensors reduced per layer, in slot order. */
const TENSORS = ['preact', 'act', 'grad', 'kernel', 'kernel_grad', 'update'] as const;
export const SLOTS_PER_LAYER = TENSORS.length;

/** Thresholds of `saturated_frac` (injected into the WGSL as well). */
export const SAT_THRESHOLDS = { tanh: 0.99, sigmoidLow: 0.01, softsign: 0.9 } as const;

/** The saturation test of an activation's output (SATURATION_ID): tanh, sigmoid and softsign saturate, others not. */
export function saturationMode(act: Activation): number {
  switch (act.name) {
    case 'tanh':
    case 'sigmoid':
    case 'softsign':
      return SATURATION_ID[act.name];
    default:
      return SATURATION_ID.none;
  }
}

/** The ids as a binding of this module (`saturated` runs per element: see ACT in activations.ts). */
const SATURATION = SATURATION_ID;

/** tanh |a| > 0.99, sigmoid outside [0.01, 0.99], softsign |a| > 0.9 (SAT_THRESHOLDS). */
function saturated(mode: number, a: number): boolean {
  switch (mode) {
    case SATURATION.tanh:
      return Math.abs(a) > SAT_THRESHOLDS.tanh;
    case SATURATION.sigmoid:
      return a < SAT_THRESHOLDS.sigmoidLow || a > 1 - SAT_THRESHOLDS.sigmoidLow;
    case SATURATION.softsign:
      return Math.abs(a) > SAT_THRESHOLDS.softsign;
    default:
      return false;
  }
}

/**
 * Reduces `n` values into `out[off .. off + SLOT_SIZE)`. Two passes, like the kernel: the first
 * finds sum, extremes, zeros and saturation; the second the squared deviations (stable where
 * mean >> std, as for sigmoid outputs) and the histogram between min and max.
 */
export function reduceSlot(
  x: Float32Array,
  n: number,
  satMode: number,
  out: Float32Array | Float64Array,
  off: number,
): void {
  let sum = 0,
    sumsq = 0,
    zeros = 0,
    sat = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sum += v;
    sumsq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    if (satMode !== SATURATION.none && saturated(satMode, v)) sat++;
  }
  if (n === 0) {
    min = 0;
    max = 0;
  }
  const mean = n > 0 ? sum / n : 0;
  let dev = 0;
  for (let i = 0; i < HIST_BINS; i++) out[off + SLOT.hist + i] = 0;
  const scale = max > min ? HIST_BINS / (max - min) : 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    dev += d * d;
    out[off + SLOT.hist + histBin(x[i], min, scale)]++;
  }
  out[off + SLOT.count] = n;
  out[off + SLOT.mean] = mean;
  out[off + SLOT.std] = n > 0 ? Math.sqrt(dev / n) : 0;
  out[off + SLOT.min] = min;
  out[off + SLOT.max] = max;
  out[off + SLOT.zeros] = zeros;
  out[off + SLOT.saturated] = sat;
  out[off + SLOT.norm] = Math.sqrt(sumsq);
}

/**
 * A norm-only slot, for tensors of which only the norm is read (a layer's dW and last update):
 * the count and the norm, every other field 0, as the GPU's recording optimizer writes it.
 */
export function normSlot(x: Float32Array, n: number, out: Float32Array | Float64Array, off: number): void {
  let sumsq = 0;
  for (let i = 0; i < n; i++) sumsq += x[i] * x[i];
  out.fill(0, off, off + SLOT_SIZE);
  out[off + SLOT.count] = n;
  out[off + SLOT.norm] = Math.sqrt(sumsq);
}

/**
 * How far the layer's units are from being copies of each other: the largest difference between
 * two units' incoming weights, max over the kernel's rows i (inputs) of max_j W[i, j] − min_j
 * W[i, j], for W row-major (fanIn, units). Exactly 0 when every unit has the same incoming
 * weights (zero initialization: the units stay identical, symmetry never breaks), and 0 for a
 * single unit. Biases are not counted. Rounded to float32 like the GPU's subtraction
 * (shaders/unit_diff.wgsl), so both give the same bits.
 */
export function maxUnitDiff(W: ArrayLike<number>, fanIn: number, units: number): number {
  let most = 0;
  for (let i = 0; i < fanIn; i++) {
    let lo = W[i * units],
      hi = lo;
    for (let j = 1; j < units; j++) {
      const v = W[i * units + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    most = Math.max(most, Math.fround(hi - lo));
  }
  return most;
}

/** Bin of v in [min, max] with 32 equal bins; the maximum falls in the last. Same formula in WGSL. */
function histBin(v: number, min: number, scale: number): number {
  return Math.min(HIST_BINS - 1, Math.max(0, Math.floor((v - min) * scale)));
}

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/** The statistics of one layer at one logged step (snake_case: these names are the CLI's output). */
export interface LayerStats {
  act_mean: number;
  act_std: number;
  act_min: number;
  act_max: number;
  zero_frac: number;
  saturated_frac: number;
  act_hist: Histogram;
  preact_mean: number;
  preact_std: number;
  grad_std: number;
  kernel_grad_norm: number;
  kernel_norm: number;
  kernel_mean: number;
  kernel_std: number;
  update_ratio: number;
  /** Histograms of the kernel and of the gradient into the layer's output, for the small multiples. */
  kernel_hist: Histogram;
  grad_hist: Histogram;
  /** The largest difference between two units' incoming weights: 0 when the units are copies (maxUnitDiff). */
  max_unit_diff: number;
}

function hist(raw: ArrayLike<number>, o: number): Histogram {
  const counts: number[] = [];
  for (let i = 0; i < HIST_BINS; i++) counts.push(raw[o + SLOT.hist + i]);
  return { min: raw[o + SLOT.min], max: raw[o + SLOT.max], counts };
}

/** Names the six slots of layer `l` found at `raw[base ...]`, with the layer's maxUnitDiff. */
export function layerStats(raw: ArrayLike<number>, base: number, unitDiff: number): LayerStats {
  const s = (t: number, f: number) => raw[base + t * SLOT_SIZE + f];
  const [Z, A, G, W, DW, U] = [0, 1, 2, 3, 4, 5];
  const count = s(A, SLOT.count) || 1;
  const kn = s(W, SLOT.norm);
  return {
    act_mean: s(A, SLOT.mean),
    act_std: s(A, SLOT.std),
    act_min: s(A, SLOT.min),
    act_max: s(A, SLOT.max),
    zero_frac: s(A, SLOT.zeros) / count,
    saturated_frac: s(A, SLOT.saturated) / count,
    act_hist: hist(raw, base + A * SLOT_SIZE),
    preact_mean: s(Z, SLOT.mean),
    preact_std: s(Z, SLOT.std),
    grad_std: s(G, SLOT.std),
    kernel_grad_norm: s(DW, SLOT.norm),
    kernel_norm: kn,
    kernel_mean: s(W, SLOT.mean),
    kernel_std: s(W, SLOT.std),
    update_ratio: kn > 0 ? s(U, SLOT.norm) / kn : 0,
    kernel_hist: hist(raw, base + W * SLOT_SIZE),
    grad_hist: hist(raw, base + G * SLOT_SIZE),
    max_unit_diff: unitDiff,
  };
}
