/**
 * @file Summary statistics of timing samples. Benchmarks report the median of repeats: one
 * scheduler hiccup or a neighbour's compile job moves the mean, not the median. Warm-up samples
 * (pipeline compilation, first upload, JIT) are dropped before anything is summarized.
 */
import type { Timing } from './types';

export interface Summary {
  /** Median of the kept samples. */
  median: number;
  min: number;
  max: number;
  mean: number;
  /** Number of kept samples. */
  n: number;
}

/** Median of `xs` (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Linear-interpolated quantile, q in [0, 1]; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Summarizes `samples` after dropping the first `warmup` of them. Throws when nothing is left. */
export function summarize(samples: readonly number[], warmup = 0): Summary {
  const kept = samples.slice(Math.max(0, warmup));
  if (kept.length === 0) throw new Error(`summarize: no samples left after ${warmup} warm-up samples`);
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (const x of kept) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return { median: median(kept), min, max, mean: sum / kept.length, n: kept.length };
}

/** Geometric mean of positive values (for averaging speed ratios); NaN when empty. */
function _geomean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/**
 * The share of `withX` that `withoutX` lacks, (with − without) / with, paired by round: the
 * median of each round's share. Repeats of two entries in one round were timed seconds apart
 * (measureInterleaved), so a burst of other work that slows a round slows both; the difference
 * of the two medians instead compares moments of different load. Undefined unless both have the
 * same number of samples (at least 3).
 */
export function pairedShare(withX: readonly number[], withoutX: readonly number[]): number | undefined {
  if (withX.length !== withoutX.length || withX.length < 3) return undefined;
  return median(withX.map((w, i) => (w - withoutX[i]) / w));
}

/** A measured outcome's figures as results.json keeps them. */
export function toTiming(o: { samples: number[]; iters: number; warmupMs: number; summary: Summary }): Timing {
  const { median, min, max } = o.summary;
  return { median, min, max, repeats: o.samples.length, iters: o.iters, samples: o.samples, warmupMs: o.warmupMs };
}
