/**
 * @file Mean-field signal propagation through a deep random network: Poole, Lahiri, Raghu,
 * Sohl-Dickstein and Ganguli, "Exponential expressivity in deep neural networks through
 * transient chaos" (NeurIPS 2016), and Schoenholz, Gilmer, Ganguli and Sohl-Dickstein, "Deep
 * Information Propagation" (ICLR 2017).
 *
 * A wide layer with weights of variance σ_w²/fan_in and biases of variance σ_b² maps the
 * variance q of its input's pre-activations to the next (the length map) and the correlation c of
 * two inputs' pre-activations to the next (the correlation map). Their fixed points q* and c*,
 * and the slopes there, decide whether signals die out (ordered, χ₁ < 1), blow up and decorrelate
 * (chaotic, χ₁ > 1), or travel (critical), and over how many layers: ξ_q and ξ_c.
 */
import type { TheoryActivation } from './activation';
import { DEFAULT_POINTS, pairMoments, unitMoments } from './expectations';
import { brent } from './roots';

type Phase = 'ordered' | 'chaotic' | 'critical';

/** |χ₁ − 1| below this reads as critical. */
const CRITICAL_BAND = 1e-3;
/** A length map still growing at this variance has no finite fixed point: q grows without bound. */
const MAX_VARIANCE = 1e12;
const MIN_VARIANCE = 1e-30;
/** Networks deeper than this many ξ_c fail to train (Schoenholz et al., their figure 5). */
export const TRAINABLE_XI = 6;

interface MeanFieldParams {
  act: TheoryActivation;
  /** σ_w²: the weights' variance times fan_in. */
  weightVariance: number;
  /** σ_b²: the biases' variance. */
  biasVariance: number;
  /** Quadrature resolution (DEFAULT_POINTS). */
  points?: number;
}

/** q → σ_w² E[φ(√q z)²] + σ_b². */
export function lengthMap(p: MeanFieldParams, q: number): number {
  return p.weightVariance * unitMoments(p.act, 0, q, p.points).square + p.biasVariance;
}

/** q⁰, q¹, …, q^depth. */
export function lengthSequence(p: MeanFieldParams, q0: number, depth: number): number[] {
  const q = [q0];
  for (let l = 0; l < depth; l++) q.push(lengthMap(p, q[l]));
  return q;
}

/**
 * q*, the limit of the length map from q0 (the map is increasing, so the sequence moves
 * monotonically to the nearest fixed point in the direction it starts): 0 where the signal dies
 * out, Infinity where it grows without bound.
 */
export function fixedLength(p: MeanFieldParams, q0 = 1): number {
  const h = (q: number) => lengthMap(p, q) - q;
  const h0 = h(q0);
  if (Math.abs(h0) <= 1e-13 * Math.max(1, q0)) return q0;
  if (h0 > 0) {
    let lo = q0,
      hi = Math.max(2 * q0, 1e-3);
    while (h(hi) > 0) {
      if (hi > MAX_VARIANCE) return Infinity;
      lo = hi;
      hi *= 4;
    }
    return brent(h, lo, hi, 1e-14 * hi);
  }
  let hi = q0,
    lo = q0 / 4;
  // Near q = 0 a map tangent to the identity (tanh at σ_w² = 1) differs from it by less than
  // rounding: only a clear rise counts as the sequence stopping above 0.
  while (h(lo) <= 1e-12 * lo) {
    if (lo < MIN_VARIANCE) return 0;
    hi = lo;
    lo /= 4;
  }
  return brent(h, lo, hi, 1e-14 * hi);
}

/** The variance the theory's slopes are taken at: q* itself, or the limit it grows towards. */
const slopeVariance = (qStar: number) => (Number.isFinite(qStar) ? qStar : MAX_VARIANCE);

/** χ₁ = σ_w² E[φ′(√q* z)²]. */
export function chi1(p: MeanFieldParams, qStar: number): number {
  return p.weightVariance * unitMoments(p.act, 0, slopeVariance(qStar), p.points).derivSquare;
}

/** The correlation map at variance q: c → (σ_w² E[φ(u₁)φ(u₂)] + σ_b²) / (σ_w² E[φ(u)²] + σ_b²), and its slope. */
function correlationMap(p: MeanFieldParams, q: number, c: number): { next: number; slope: number } {
  const pair = pairMoments(p.act, q, c, p.points);
  const norm = p.weightVariance * unitMoments(p.act, 0, q, p.points).square + p.biasVariance;
  return {
    next: (p.weightVariance * pair.cross + p.biasVariance) / norm,
    slope: (p.weightVariance * q * pair.derivCross) / norm,
  };
}

/**
 * c*: 1 where c = 1 attracts (χ₁ ≤ 1: the ordered phase; also where q grows without bound, the
 * correlations of a network that only explodes); else the stable fixed point below 1, by
 * Newton's method on c → map(c) − c (the map's slope comes with it) kept inside a bracket.
 */
function fixedCorrelation(p: MeanFieldParams, qStar: number, chi: number): number {
  if (qStar === 0 || !Number.isFinite(qStar) || chi <= 1 + 1e-9) return 1;
  const g = (c: number) => {
    const m = correlationMap(p, qStar, c);
    return { value: m.next - c, slope: m.slope - 1 };
  };
  // c = 1 repels with slope χ₁ > 1, so g < 0 just below it; |E[φ(u₁)φ(u₂)]| ≤ E[φ²] makes
  // g(−1) ≥ 0, with an odd φ and no biases −1 being a fixed point too.
  let hi = Number.NaN;
  for (let d = 1e-2; d >= 1e-10 && Number.isNaN(hi); d /= 10) if (g(1 - d).value < 0) hi = 1 - d;
  const lo0 = [-1, -0.999999, -0.99, -0.5, 0, 0.5].find((c) => c < hi && g(c).value > 1e-13);
  if (Number.isNaN(hi) || lo0 === undefined) return 1;
  let lo = lo0,
    c = (lo + hi) / 2;
  for (let iter = 0; iter < 100; iter++) {
    const { value, slope } = g(c);
    if (value > 0) lo = c;
    else hi = c;
    const newton = c - value / slope;
    const next = newton > lo && newton < hi ? newton : (lo + hi) / 2;
    if (Math.abs(next - c) < 1e-13 || hi - lo < 1e-13) return next;
    c = next;
  }
  return c;
}

/** χ_c = σ_w² E[φ′(u₁)φ′(u₂)] at c = c*: χ₁ where c* = 1, else the correlation map's slope there. */
function chiC(p: MeanFieldParams, qStar: number, cStar: number, chi: number): number {
  return cStar >= 1 ? chi : correlationMap(p, qStar, cStar).slope;
}

function phaseOf(chi: number): Phase {
  return Math.abs(chi - 1) < CRITICAL_BAND ? 'critical' : chi < 1 ? 'ordered' : 'chaotic';
}

/** −1/ln(x): the depth over which a deviation shrinking by x per layer falls by e; Infinity at x = 1. */
function depthScale(x: number): number {
  if (!(x > 0)) return 0;
  return x >= 1 - 1e-12 ? Infinity : -1 / Math.log(x);
}

export interface MeanField {
  qStar: number;
  cStar: number;
  chi1: number;
  chiC: number;
  xiQ: number;
  xiC: number;
  phase: Phase;
}

/** Everything at the fixed point reached from q0. */
export function meanField(p: MeanFieldParams, q0 = 1): MeanField {
  const qStar = fixedLength(p, q0);
  const chi = chi1(p, qStar);
  const cStar = fixedCorrelation(p, qStar, chi);
  const cc = chiC(p, qStar, cStar, chi);
  const lengthSlope = p.weightVariance * unitMoments(p.act, 0, slopeVariance(qStar), p.points).slope;
  return {
    qStar,
    cStar,
    chi1: chi,
    chiC: cc,
    xiQ: Number.isFinite(qStar) ? depthScale(lengthSlope) : Infinity,
    xiC: depthScale(cc),
    phase: phaseOf(chi),
  };
}

/** σ_w² where χ₁ = 1 at this σ_b² (the order-to-chaos line); null where there is none below 1e4. */
export function criticalWeightVariance(
  act: TheoryActivation,
  biasVariance: number,
  points = DEFAULT_POINTS,
): number | null {
  const excess = (weightVariance: number) => {
    const p = { act, weightVariance, biasVariance, points };
    return chi1(p, fixedLength(p)) - 1;
  };
  let lo = 0.0625;
  if (excess(lo) >= 0) return null;
  for (let hi = 2 * lo; hi <= 1e4; lo = hi, hi *= 2) {
    if (excess(hi) >= 0) return brent(excess, lo, hi, 1e-12);
  }
  return null;
}
