/**
 * @file How the benchmark writes numbers: times, rates, shares and ratios, and the mark of a
 * cell whose repeats spread too far to trust its median.
 */

export const fmtMs = (v: number) =>
  v >= 1000 ? v.toFixed(0) : v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
export const fmtRate = (v: number) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0);
export const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

/** Times in the targets' sentences: fewer digits than the tables'. */
export const fmtMsShort = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
/** A ratio: `2.50×`, `12×`. */
export const times = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;
/** A count that may be fractional (dispatches per step). */
export const fmtCount = (v: number) => (Number.isInteger(v) ? String(v) : v < 1 ? v.toPrecision(2) : v.toFixed(1));

/** Repeats spread more than this around their median: the cell is marked as noisy. */
export const NOISY_SPREAD = 0.25;
const noisy = (t: { median: number; min: number; max: number } | undefined) =>
  !!t && (t.max - t.min) / t.median > NOISY_SPREAD;
export const mark = (t: { median: number; min: number; max: number } | undefined) => (noisy(t) ? '~' : '');
