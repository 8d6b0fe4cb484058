/**
 * @file Rules for expectations over a standard normal variable, E[f(Z)] ≈ Σ wᵢ f(zᵢ), the
 * numerical ground of the mean-field theory (src/core/theory/).
 *
 * Where the integrand is smooth on the scale of the Gaussian, Gauss–Hermite quadrature converges
 * exponentially and is what we use. Across a kink (ReLU and its relatives at 0, or any activation
 * steeper than the Gaussian is wide, as tanh(√q z) for large q) Gauss–Hermite converges only
 * algebraically: 1e-4 errors at a hundred points. There the line is cut at the kink and around
 * it, and each piece is integrated by Gauss–Legendre, which converges exponentially on every
 * piece where the integrand is analytic.
 */

/** Probabilists' Gauss–Hermite nodes beyond this count underflow their weights in float64. */
const MAX_HERMITE = 160;
/** Pieces cover [−TAIL, TAIL]: the normal mass beyond is 2e-19, below any tolerance we claim. */
const TAIL = 9;
/** Widest piece, in units of the Gaussian's standard deviation. */
const PIECE = 1;
const INV_SQRT_2PI = 0.3989422804014327;

/** Nodes and weights of a rule for E[f(Z)], Z ~ N(0, 1): the weights sum to 1. */
export interface NormalRule {
  readonly z: Float64Array;
  readonly w: Float64Array;
}

const hermiteCache = new Map<number, NormalRule>();
const legendreCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/**
 * The n-point Gauss–Hermite rule for the standard normal, by Newton's method on the orthonormal
 * Hermite recurrence (Numerical Recipes' gauher), rescaled from the weight e^(−x²) to the normal.
 */
export function hermiteRule(n: number): NormalRule {
  if (!Number.isInteger(n) || n < 1 || n > MAX_HERMITE) {
    throw new RangeError(`hermiteRule: n must be an integer from 1 to ${MAX_HERMITE}, got ${n}`);
  }
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const PIM4 = 0.7511255444649425; // π^(−1/4)
  let z = 0;
  for (let i = 0; i < (n + 1) >> 1; i++) {
    // Initial guesses for the largest roots first, each from its predecessors.
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = PIM4,
        p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      dp = Math.sqrt(2 * n) * p2;
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = w[n - 1 - i] = 2 / (dp * dp);
  }
  // ∫ f(x) e^(−x²) dx = √π E[f(Z/√2)], so z = √2 x and the weights lose a factor √π.
  const rule = { z: x.map((v) => v * Math.SQRT2), w: w.map((v) => v / Math.sqrt(Math.PI)) };
  hermiteCache.set(n, rule);
  return rule;
}

/** The n-point Gauss–Legendre rule on [−1, 1] (Numerical Recipes' gauleg). */
function legendreRule(n: number): { x: Float64Array; w: Float64Array } {
  const cached = legendreCache.get(n);
  if (cached) return cached;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < (n + 1) >> 1; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1,
        p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      dp = (n * (z * p1 - p2)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) <= 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  const rule = { x, w };
  legendreCache.set(n, rule);
  return rule;
}

/**
 * Where to cut the line for an integrand that is smooth except near `centre` (a kink, or the
 * middle of a transition `width` wide): [−TAIL, TAIL] in pieces at most PIECE long, cut at the
 * centre and at centre ± width·2^k, so that each piece is smooth on its own scale.
 */
function edges(centre: number, width: number): number[] {
  const cuts = new Set<number>();
  for (let e = -TAIL; e <= TAIL + 1e-9; e += PIECE) cuts.add(e);
  if (Math.abs(centre) < TAIL) {
    cuts.add(centre);
    for (let d = width; d < PIECE; d *= 2) {
      cuts.add(centre - d);
      cuts.add(centre + d);
    }
  }
  return [...cuts].filter((e) => e >= -TAIL && e <= TAIL).sort((a, b) => a - b);
}

/** Gauss–Legendre of `order` points on each piece of `edges(centre, width)`, weighted by the normal density. */
export function piecewiseRule(order: number, centre: number, width: number): NormalRule {
  const gl = legendreRule(order);
  const cuts = edges(centre, width);
  const pieces = cuts.length - 1;
  const z = new Float64Array(pieces * order);
  const w = new Float64Array(pieces * order);
  for (let p = 0; p < pieces; p++) {
    const half = (cuts[p + 1] - cuts[p]) / 2,
      mid = (cuts[p + 1] + cuts[p]) / 2;
    for (let i = 0; i < order; i++) {
      const zi = mid + half * gl.x[i];
      z[p * order + i] = zi;
      w[p * order + i] = half * gl.w[i] * INV_SQRT_2PI * Math.exp(-0.5 * zi * zi);
    }
  }
  return { z, w };
}

/**
 * Gauss–Hermite is used where the integrand bends over at least this many standard deviations:
 * tanh(√q z), with poles iπ/(2√q) off the real line, is then within 1e-9 at 64 points, while at
 * q = 2 it is still 2e-5 off.
 */
export const HERMITE_WIDTH = 1.25;

/**
 * The rule for E[f(Z)] at resolution `n` where f's one feature (a kink, or a transition of
 * width `width` in z) sits at `centre`: Gauss–Hermite with n points when f is smooth and wide,
 * else pieces of Gauss–Legendre with n/8 points each (so that n and 2n double both).
 */
export function normalRule(n: number, feature: { smooth: boolean; centre: number; width: number }): NormalRule {
  if (feature.smooth && feature.width >= HERMITE_WIDTH) return hermiteRule(n);
  return piecewiseRule(Math.max(4, Math.ceil(n / 8)), feature.centre, Math.max(feature.width, 1e-6));
}
