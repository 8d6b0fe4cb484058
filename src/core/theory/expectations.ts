/**
 * @file The Gaussian expectations the mean-field maps are made of, each in one pass over a
 * quadrature rule (quadrature.ts) chosen for the activation's shape at this variance.
 *
 * One pre-activation u ~ N(m, v): E[φ], E[φ²], E[φ′²] and the slope term E[φ′² + φφ″]. The last
 * is computed as E[Z·φ(u)φ′(u)]/√v (Gaussian integration by parts, Stein's lemma), which needs
 * no φ″ and so is right for kinked activations too: ReLU's φ″ is a Dirac delta at 0, where φ is 0.
 *
 * Two pre-activations of correlation c, u₁ = √q z₁ and u₂ = √q (c z₁ + √(1−c²) z₂): E[φ(u₁)φ(u₂)]
 * and E[φ′(u₁)φ′(u₂)], integrated over z₂ for each node z₁ (each inner integral cut where u₂
 * crosses the activation's kink), then over z₁.
 */
import type { TheoryActivation } from './activation';
import { HERMITE_WIDTH, hermiteRule, type NormalRule, normalRule } from './quadrature';

/** Points of the default rule: every quantity the theory reports agrees with twice as many to 1e-6 (tested). */
export const DEFAULT_POINTS = 64;

/** A variance of 0 is taken as this small: the limit q → 0⁺, where the slopes are still defined. */
const MIN_VARIANCE = 1e-24;

interface UnitMoments {
  /** E[φ(u)] */
  mean: number;
  /** E[φ(u)²] */
  square: number;
  /** E[φ′(u)²] */
  derivSquare: number;
  /** E[φ′(u)² + φ(u)φ″(u)]: d E[φ²]/d v, the slope of the length map per unit σ_w². */
  slope: number;
}

function unitRule(act: TheoryActivation, m: number, sd: number, n: number): NormalRule {
  return normalRule(n, { smooth: act.smooth, centre: -m / sd, width: act.width / sd });
}

/** Moments of φ(u), u ~ N(m, v). */
export function unitMoments(act: TheoryActivation, m: number, v: number, n = DEFAULT_POINTS): UnitMoments {
  const sd = Math.sqrt(v > 0 ? v : MIN_VARIANCE);
  const { z, w } = unitRule(act, m, sd, n);
  // Subtracting g(m) = φ(m)φ′(m) leaves Stein's sum unchanged (E[Z] = 0) but keeps it from
  // cancelling when sd is tiny.
  const g0 = act.f(m) * act.df(m);
  let mean = 0,
    square = 0,
    derivSquare = 0,
    stein = 0;
  for (let i = 0; i < z.length; i++) {
    const u = m + sd * z[i];
    const f = act.f(u),
      df = act.df(u);
    mean += w[i] * f;
    square += w[i] * f * f;
    derivSquare += w[i] * df * df;
    stein += w[i] * z[i] * (f * df - g0);
  }
  return { mean, square, derivSquare, slope: stein / sd };
}

interface PairMoments {
  /** E[φ(u₁)φ(u₂)] */
  cross: number;
  /** E[φ′(u₁)φ′(u₂)] */
  derivCross: number;
}

/** Moments of a pair of zero-mean pre-activations of variance q and correlation c. */
export function pairMoments(act: TheoryActivation, q: number, c: number, n = DEFAULT_POINTS): PairMoments {
  const sd = Math.sqrt(q > 0 ? q : MIN_VARIANCE);
  const s = Math.sqrt(Math.max(0, 1 - c * c));
  const zWidth = act.width / sd;
  if (act.smooth && zWidth >= HERMITE_WIDTH) return tensorHermite(act, sd, c, s, n);
  // Outer: φ(u₁) bends over zWidth at 0; the inner expectation, as a function of z₁, bends there
  // over φ's sharpest feature (a kink, or zWidth) blurred by the Gaussian of width s, over |c|.
  const sharpest = act.smooth ? zWidth : 0;
  const blurred = Math.sqrt(sharpest * sharpest + s * s) / Math.max(Math.abs(c), 1e-12);
  const outer = normalRule(n, { smooth: act.smooth, centre: 0, width: Math.min(zWidth, blurred) });
  let cross = 0,
    derivCross = 0;
  for (let i = 0; i < outer.z.length; i++) {
    const z1 = outer.z[i];
    const u1 = sd * z1;
    let inF = 0,
      inDf = 0;
    if (s < 1e-12) {
      inF = act.f(c * u1);
      inDf = act.df(c * u1);
    } else {
      const inner = normalRule(n, { smooth: act.smooth, centre: (-c * z1) / s, width: zWidth / s });
      for (let j = 0; j < inner.z.length; j++) {
        const u2 = sd * (c * z1 + s * inner.z[j]);
        inF += inner.w[j] * act.f(u2);
        inDf += inner.w[j] * act.df(u2);
      }
    }
    cross += outer.w[i] * act.f(u1) * inF;
    derivCross += outer.w[i] * act.df(u1) * inDf;
  }
  return { cross, derivCross };
}

function tensorHermite(act: TheoryActivation, sd: number, c: number, s: number, n: number): PairMoments {
  const { z, w } = hermiteRule(n);
  let cross = 0,
    derivCross = 0;
  for (let i = 0; i < n; i++) {
    const u1 = sd * z[i];
    let inF = 0,
      inDf = 0;
    for (let j = 0; j < n; j++) {
      const u2 = sd * (c * z[i] + s * z[j]);
      inF += w[j] * act.f(u2);
      inDf += w[j] * act.df(u2);
    }
    cross += w[i] * act.f(u1) * inF;
    derivCross += w[i] * act.df(u1) * inDf;
  }
  return { cross, derivCross };
}
