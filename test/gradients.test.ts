/**
 * @file Gradient checks in float64: every analytic derivative the CPU reference uses
 * (activations, losses, the whole backward pass of cpu-engine.ts) against central finite
 * differences, and the optimizer updates against Keras 3's formulas written out by hand.
 *
 * Central differences: fd = (f(x + h) - f(x - h)) / 2h with h = 1e-5 * max(1, |x|). In float64
 * the truncation error is h² |f'''| / 6 ≈ 1.7e-11 |f'''| and the rounding error about
 * 2 ulp(f) / 2h ≈ 2.2e-16 |f| / 1e-5 ≈ 2e-11 |f|, so for the O(1) functions below the
 * difference between an exact derivative and its FD estimate is ~1e-10; every tolerance
 * below keeps a margin of 10-100× over that and is still far (>1e3×) below the error of
 * any of the deliberately wrong derivatives the sanity assertions plug in.
 */
import { describe, expect, it } from 'vitest';
import { actDerivative, actForward, erf, SELU_ALPHA, SELU_SCALE, sigmoid } from '../src/core/activations';
import { activate, matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { adamAlpha, applyUpdate } from '../src/core/cpu/optimizers';
import { ACTIVATION_ID } from '../src/core/ids';
import { EPSILON, isFused, lossForwardBackward, softmaxBackward } from '../src/core/losses';
import type { ActivationName, LossName, OptimizerConfig } from '../src/core/types';

// ---------------------------------------------------------------------------------------------
// helpers

/** mulberry32: a tiny seeded PRNG, so every draw below is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uniform = (r: () => number, lo: number, hi: number) => lo + (hi - lo) * r();
/** Uniform in ±[lo, hi]: keeps draws away from a kink at 0. */
const awayFromZero = (r: () => number, lo: number, hi: number) => (r() < 0.5 ? -1 : 1) * uniform(r, lo, hi);

const step = (x: number) => 1e-5 * Math.max(1, Math.abs(x));

/** Central difference of f at x, step 1e-5 relative. */
function centralDiff(f: (x: number) => number, x: number): number {
  const h = step(x);
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * How a derivative is estimated. `central`: (f(x+h) - f(x-h)) / 2h, h = 1e-5 max(1, |x|) (or
 * `hOf(x)`). `five`: the 5-point stencil (8(f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h with
 * a large fixed h: truncation h⁴ f⁽⁵⁾ / 30, for functions that are smooth only down to a noise
 * floor (gelu, see GELU_FD) where a small h would amplify the noise.
 */
type Stencil = { kind: 'central'; hOf?: (x: number) => number } | { kind: 'five'; h: number };
const CENTRAL: Stencil = { kind: 'central' };

/** The derivative of g() with respect to buf[i], restoring buf[i] afterwards. */
function centralDiffAt(buf: Float64Array, i: number, g: () => number, st: Stencil = CENTRAL): number {
  const x0 = buf[i];
  const at = (x: number) => {
    buf[i] = x;
    return g();
  };
  let d: number;
  if (st.kind === 'central') {
    const h = st.hOf ? st.hOf(x0) : step(x0);
    d = (at(x0 + h) - at(x0 - h)) / (2 * h);
  } else {
    const h = st.h;
    d = (8 * (at(x0 + h) - at(x0 - h)) - (at(x0 + 2 * h) - at(x0 - 2 * h))) / (12 * h);
  }
  buf[i] = x0;
  return d;
}

/**
 * Mixed check: |g - fd| <= rtol (|g| + |fd|) + atol. The absolute floor covers gradients that
 * are (near) zero, where FD's own ~1e-11 noise would make a pure relative error meaningless.
 */
function excess(g: number, fd: number, rtol: number, atol: number): number {
  return Math.abs(g - fd) / (rtol * (Math.abs(g) + Math.abs(fd)) + atol);
}

const relErr = (g: number, fd: number) => Math.abs(g - fd) / Math.max(1e-8, Math.abs(g) + Math.abs(fd));

/** Points in [-6, 6]: a regular grid plus random draws, none within 1e-3 of the kink at 0. */
function activationPoints(): number[] {
  const pts: number[] = [];
  for (let z = -6; z <= 6 + 1e-9; z += 0.0625) if (Math.abs(z) > 1e-3) pts.push(z);
  const r = rng(7);
  for (let i = 0; i < 400; i++) pts.push(awayFromZero(r, 1.001e-3, 6));
  pts.push(1.5e-3, -1.5e-3, 0.01, -0.01); // just outside the kink: h = 1e-5 never crosses 0
  return pts;
}

/** max over points of |f'(z) - fd(z)| / max(1, |f'(z)|). */
function maxDerivErr(f: (z: number) => number, df: (z: number) => number, pts: number[]): { err: number; at: number } {
  let err = 0,
    at = NaN;
  for (const z of pts) {
    const e = Math.abs(df(z) - centralDiff(f, z)) / Math.max(1, Math.abs(df(z)));
    if (e > err) {
      err = e;
      at = z;
    }
  }
  return { err, at };
}

/**
 * erf to float64 accuracy, independent of the A&S approximation under test:
 * erf(x) = 2/√π e^{-x²} Σ_n 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), a series of positive terms (no
 * cancellation), summed until the terms no longer change the sum.
 */
function erfReference(x: number): number {
  const ax = Math.abs(x);
  let term = ax,
    sum = ax;
  for (let n = 1; n < 500; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

// ---------------------------------------------------------------------------------------------
// 1. activations

interface ActCase {
  name: ActivationName;
  alpha: number;
}
const SMOOTH_AND_KINKED: ActCase[] = [
  { name: 'linear', alpha: 0 },
  { name: 'sigmoid', alpha: 0 },
  { name: 'tanh', alpha: 0 },
  { name: 'relu', alpha: 0 },
  { name: 'leaky_relu', alpha: 0.2 },
  { name: 'leaky_relu', alpha: 0.01 },
  { name: 'elu', alpha: 1 },
  { name: 'elu', alpha: 0.5 },
  { name: 'selu', alpha: 0 },
  { name: 'softplus', alpha: 0 },
  { name: 'softsign', alpha: 0 },
  { name: 'swish', alpha: 0 },
];

/**
 * Measured max of |f' - fd| / max(1, |f'|) over the points: 9.5e-11 (softsign, largest f''' = 6
 * near 0), the rest 1e-11 to 3.5e-11. 1e-8 is ~100× that, and 1e4× below a derivative that
 * is wrong by even 1e-4 relative.
 */
const ACT_TOL = 1e-8;

/**
 * GELU is 0.5 z (1 + erf(z/√2)) with erf by A&S 7.1.26, and actForward rounds that erf to
 * float32 (Math.fround, to match the GPU), so in float64 actForward(gelu) is smooth only down to
 * a noise floor of 0.5 |z| 2^-25 (half a float32 ulp of erf, whose magnitude is < 1).
 * Two checks, each with an honest bound:
 *  - the derivative *formula*: actDerivative uses the approximate erf for Φ(z) but the exact
 *    Gaussian density for the z φ(z) term, whereas the FD of the smooth (unrounded) formula
 *    sees the derivative of the approximated erf. The value error of 7.1.26 is < 1.5e-7 but its
 *    derivative error is larger: measured max |f' - fd| over [-6, 6] is 5.3e-7 (near z ≈ 2.4),
 *    so GELU_TOL = 2e-6 bounds it with margin; the tanh approximation of GELU (a plausible
 *    wrong derivative) is off by > 1e-4.
 *  - actForward itself, FD with a large h = 1e-2: per point the error is at most
 *    rounding 0.5 (|z| + h) 2^-25 / h  +  truncation h² max|f'''| / 6 (|f'''| = φ(z)|z³ - 4z| < 1)
 *    + the 5.3e-7 above (≤ 2.7e-5 at |z| = 6; measured max 1.4e-5).
 */
const GELU_TOL = 2e-6;
const GELU_FD_H = 1e-2;
const geluFdBound = (z: number) => (0.5 * (Math.abs(z) + GELU_FD_H) * 2 ** -25) / GELU_FD_H + GELU_FD_H ** 2 / 6 + 1e-6;
/** GELU with the module's erf and no float32 rounding: the smooth function actDerivative differentiates. */
const geluSmooth = (z: number) => 0.5 * z * (1 + erf(z * Math.SQRT1_2));
/** GELU's derivative under the tanh approximation (Keras approximate=True): a plausible wrong derivative. */
const geluTanhDeriv = (z: number) => {
  const k = Math.sqrt(2 / Math.PI),
    t = Math.tanh(k * (z + 0.044715 * z ** 3));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * k * (1 + 3 * 0.044715 * z * z);
};

describe('activation derivatives vs central differences', () => {
  const pts = activationPoints();

  for (const c of SMOOTH_AND_KINKED) {
    it(`${c.name}${c.alpha ? ` (alpha ${c.alpha})` : ''}`, () => {
      const id = ACTIVATION_ID[c.name];
      const { err, at } = maxDerivErr(
        (z) => actForward(id, c.alpha, z),
        (z) => actDerivative(id, c.alpha, z),
        pts,
      );
      expect(err, `worst at z = ${at}`).toBeLessThan(ACT_TOL);
    });
  }

  it("gelu: the derivative formula, within the erf approximation's derivative error", () => {
    const { err, at } = maxDerivErr(geluSmooth, (z) => actDerivative(ACTIVATION_ID.gelu, 0, z), pts);
    expect(err, `worst at z = ${at}`).toBeLessThan(GELU_TOL);
    // The bound is honest, not loose by orders of magnitude: the approximation is visible.
    expect(err).toBeGreaterThan(1e-8);
  });

  it('gelu: actForward is the smooth formula up to float32 rounding of erf', () => {
    for (const z of pts) {
      expect(Math.abs(actForward(ACTIVATION_ID.gelu, 0, z) - geluSmooth(z))).toBeLessThanOrEqual(
        0.5 * Math.abs(z) * 2 ** -25 * (1 + 1e-9) + 1e-300,
      );
    }
  });

  it('gelu: actDerivative vs FD of actForward itself (h = 1e-2, bounded noise + truncation)', () => {
    let worst = 0,
      worstWrong = 0;
    for (const z of pts) {
      const f = (x: number) => actForward(ACTIVATION_ID.gelu, 0, x);
      const fd = (f(z + GELU_FD_H) - f(z - GELU_FD_H)) / (2 * GELU_FD_H);
      worst = Math.max(worst, Math.abs(actDerivative(ACTIVATION_ID.gelu, 0, z) - fd) / geluFdBound(z));
      worstWrong = Math.max(worstWrong, Math.abs(geluTanhDeriv(z) - fd) / geluFdBound(z));
    }
    expect(worst).toBeLessThan(1);
    expect(worstWrong).toBeGreaterThan(3); // the tanh-approximation derivative is caught
  });

  it("gelu is the exact-erf GELU (Keras approximate=False) up to A&S 7.1.26's 1.5e-7 (+ float32 rounding)", () => {
    for (let x = -5; x <= 5; x += 0.01) {
      expect(Math.abs(erf(x) - erfReference(x))).toBeLessThan(1.5e-7);
    }
    // sanity for the reference itself: erf(1) = 0.8427007929497149 (to 16 digits).
    expect(erfReference(1)).toBeCloseTo(0.8427007929497149, 14);
    let worstVsTanh = 0;
    for (let z = -6; z <= 6; z += 0.01) {
      const exact = 0.5 * z * (1 + erfReference(z * Math.SQRT1_2));
      const g = actForward(ACTIVATION_ID.gelu, 0, z);
      // A&S error plus the float32 rounding of erf (see GELU_TOL)
      expect(Math.abs(g - exact)).toBeLessThanOrEqual(0.5 * Math.abs(z) * (1.5e-7 + 2 ** -25) + 1e-15);
      const tanhApprox = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
      worstVsTanh = Math.max(worstVsTanh, Math.abs(g - tanhApprox));
    }
    // The tanh approximation is distinguishable from what is implemented.
    expect(worstVsTanh).toBeGreaterThan(1e-4);
  });

  it('kink convention at z = 0: the left derivative, as TensorFlow', () => {
    expect(actDerivative(ACTIVATION_ID.relu, 0, 0)).toBe(0);
    expect(actDerivative(ACTIVATION_ID.leaky_relu, 0.2, 0)).toBe(0.2);
    expect(actDerivative(ACTIVATION_ID.leaky_relu, 0.01, 0)).toBe(0.01);
    expect(actDerivative(ACTIVATION_ID.elu, 0.5, 0)).toBe(0.5);
    expect(actDerivative(ACTIVATION_ID.elu, 1, 0)).toBe(1);
    expect(actDerivative(ACTIVATION_ID.selu, 0, 0)).toBeCloseTo(SELU_SCALE * SELU_ALPHA, 15);
    // ...which is the one-sided difference from the left, and not the one from the right.
    const h = 1e-7;
    for (const c of [
      { id: ACTIVATION_ID.relu, a: 0 },
      { id: ACTIVATION_ID.leaky_relu, a: 0.2 },
      { id: ACTIVATION_ID.elu, a: 0.5 },
      { id: ACTIVATION_ID.selu, a: 0 },
    ]) {
      const left = (actForward(c.id, c.a, 0) - actForward(c.id, c.a, -h)) / h;
      const right = (actForward(c.id, c.a, h) - actForward(c.id, c.a, 0)) / h;
      expect(Math.abs(actDerivative(c.id, c.a, 0) - left)).toBeLessThan(1e-6);
      expect(Math.abs(actDerivative(c.id, c.a, 0) - right)).toBeGreaterThan(0.1);
    }
  });

  it('sanity: wrong derivatives exceed the tolerances', () => {
    const wrong: Array<[(z: number) => number, (z: number) => number, number]> = [
      // sigmoid' written as s instead of s(1 - s)
      [(z) => sigmoid(z), (z) => sigmoid(z), ACT_TOL],
      // softsign' without the square
      [(z) => actForward(ACTIVATION_ID.softsign, 0, z), (z) => 1 / (1 + Math.abs(z)), ACT_TOL],
      // elu(alpha 0.5)' with alpha taken as 1
      [(z) => actForward(ACTIVATION_ID.elu, 0.5, z), (z) => actDerivative(ACTIVATION_ID.elu, 1, z), ACT_TOL],
      // swish' missing the z s (1 - s) term
      [(z) => actForward(ACTIVATION_ID.swish, 0, z), (z) => sigmoid(z), ACT_TOL],
      // a derivative wrong by only 1e-6 relative still fails the smooth tolerance
      [(z) => Math.tanh(z), (z) => (1 - Math.tanh(z) ** 2) * (1 + 1e-6), ACT_TOL],
      // gelu' of the tanh approximation
      [geluSmooth, geluTanhDeriv, GELU_TOL],
    ];
    for (const [f, df, tol] of wrong) expect(maxDerivErr(f, df, pts).err).toBeGreaterThan(tol);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. losses

/**
 * Loss checks: rtol 1e-7, atol 1e-10. Losses are O(1) and the gradients O(1/(rows·units)) ≈
 * 0.01-0.3; FD noise is ~1e-11 (see the file comment), measured worst excess below 0.05 of
 * this bound. A gradient off by a factor (sum vs mean, a missing Jacobian term) is off by
 * O(1) relative.
 */
const LOSS_RTOL = 1e-7,
  LOSS_ATOL = 1e-10;

interface LossCase {
  loss: LossName;
  act: ActivationName;
  alpha: number;
  units: number;
  /** Draws one pre-activation. */
  z: (r: () => number) => number;
  /** Fills the targets of one row. */
  y: (r: () => number, row: Float64Array) => void;
  /** Whether the loss formula takes `a` as its input (so dA is dL/dA and can be FD-checked). */
  dAIsExact: boolean;
  /** FD w.r.t. z and its tolerances, where the defaults do not apply (gelu, see GELU_LOSS). */
  fdZ?: { stencil: Stencil; rtol: number; atol: number };
}

/**
 * gelu's actForward is smooth only down to float32 rounding of erf (see GELU_TOL): each loss
 * evaluation carries an error δ ≤ max|dL/da| · 0.5 |z| 2^-25 ≤ (2·4/12) · 1.5 · 3e-8 ≈ 3e-8
 * (mse, |a - y| ≤ 4, |z| ≤ 3), which a 1e-5 step would turn into an error of ~1e-3. The
 * 5-point stencil with h = 1e-2 has noise ≤ 1.5 δ / h ≈ 4.5e-6 (hence atol 5e-6) and truncation
 * h⁴ |L⁽⁵⁾| / 30 ≈ 3e-10; rtol 1e-4 is then ample. Structural errors are still caught: the
 * sanity test plugs in the tanh-approximation derivative, off by ~1e-3 in f'.
 */
const GELU_LOSS = { stencil: { kind: 'five', h: GELU_FD_H } as Stencil, rtol: 1e-4, atol: 5e-6 };

/**
 * FD w.r.t. a probability a ∈ (0, 1) in the BCE formula: -log p has |d³/dp³| = 2/p³, so the
 * step must shrink with min(p, 1 - p) to keep the truncation error relative: h = 1e-5 min(p, 1-p).
 */
const PROB_STENCIL: Stencil = { kind: 'central', hOf: (p) => 1e-5 * Math.min(p, 1 - p) };

const realTargets = (r: () => number, row: Float64Array) => {
  for (let j = 0; j < row.length; j++) row[j] = uniform(r, -1, 1);
};
const unitTargets = (r: () => number, row: Float64Array) => {
  for (let j = 0; j < row.length; j++) row[j] = uniform(r, 0.05, 0.95);
};
const binaryTargets = (r: () => number, row: Float64Array) => {
  for (let j = 0; j < row.length; j++) row[j] = r() < 0.5 ? 0 : 1;
};
const oneHot = (r: () => number, row: Float64Array) => {
  row.fill(0);
  row[Math.floor(r() * row.length)] = 1;
};
const softLabels = (r: () => number, row: Float64Array) => {
  let s = 0;
  for (let j = 0; j < row.length; j++) {
    row[j] = r() + 0.05;
    s += row[j];
  }
  for (let j = 0; j < row.length; j++) row[j] /= s;
};
const wide = (r: () => number) => uniform(r, -3, 3);
const kinkFree = (r: () => number) => awayFromZero(r, 0.05, 3);

const LOSS_CASES: LossCase[] = [];
// mse after every activation (softmax with >= 2 units only), 1 and 4 units.
for (const units of [1, 4]) {
  for (const [name, alpha] of [
    ['linear', 0],
    ['sigmoid', 0],
    ['tanh', 0],
    ['relu', 0],
    ['leaky_relu', 0.2],
    ['elu', 1],
    ['elu', 0.5],
    ['selu', 0],
    ['gelu', 0],
    ['softplus', 0],
    ['softsign', 0],
    ['swish', 0],
    ['softmax', 0],
  ] as Array<[ActivationName, number]>) {
    if (name === 'softmax' && units === 1) continue;
    const kinked = name === 'relu' || name === 'leaky_relu' || name === 'elu' || name === 'selu';
    LOSS_CASES.push({
      loss: 'mse',
      act: name,
      alpha,
      units,
      z: kinked ? kinkFree : wide,
      y: name === 'softmax' ? unitTargets : realTargets,
      dAIsExact: true,
      ...(name === 'gelu' ? { fdZ: GELU_LOSS } : {}),
    });
  }
}
// binary_crossentropy: fused after sigmoid (from logits), 1 and 4 (multi-label) units, hard and soft labels.
LOSS_CASES.push(
  { loss: 'binary_crossentropy', act: 'sigmoid', alpha: 0, units: 1, z: wide, y: binaryTargets, dAIsExact: false },
  { loss: 'binary_crossentropy', act: 'sigmoid', alpha: 0, units: 4, z: wide, y: binaryTargets, dAIsExact: false },
  { loss: 'binary_crossentropy', act: 'sigmoid', alpha: 0, units: 4, z: wide, y: unitTargets, dAIsExact: false },
);
// binary_crossentropy non-fused (clipped probabilities): activations whose outputs stay in (0, 1)
// for the drawn z, so the clip to [1e-7, 1 - 1e-7] is inactive and the formula is smooth.
LOSS_CASES.push(
  { loss: 'binary_crossentropy', act: 'softmax', alpha: 0, units: 4, z: wide, y: binaryTargets, dAIsExact: true },
  { loss: 'binary_crossentropy', act: 'softmax', alpha: 0, units: 2, z: wide, y: unitTargets, dAIsExact: true },
  {
    loss: 'binary_crossentropy',
    act: 'linear',
    alpha: 0,
    units: 1,
    z: (r) => uniform(r, 0.05, 0.95),
    y: binaryTargets,
    dAIsExact: true,
  },
  {
    loss: 'binary_crossentropy',
    act: 'softsign',
    alpha: 0,
    units: 4,
    z: (r) => uniform(r, 0.1, 5),
    y: binaryTargets,
    dAIsExact: true,
  },
  {
    loss: 'binary_crossentropy',
    act: 'tanh',
    alpha: 0,
    units: 1,
    z: (r) => uniform(r, 0.1, 2),
    y: binaryTargets,
    dAIsExact: true,
  },
);
// categorical_crossentropy: fused after softmax (log-softmax from z), one-hot and soft labels.
LOSS_CASES.push(
  { loss: 'categorical_crossentropy', act: 'softmax', alpha: 0, units: 4, z: wide, y: oneHot, dAIsExact: false },
  { loss: 'categorical_crossentropy', act: 'softmax', alpha: 0, units: 4, z: wide, y: softLabels, dAIsExact: false },
  { loss: 'categorical_crossentropy', act: 'softmax', alpha: 0, units: 2, z: wide, y: oneHot, dAIsExact: false },
);

const ROWS = 3;

interface LossProblem {
  c: LossCase;
  id: number;
  z: Float64Array;
  a: Float64Array;
  y: Float64Array;
}

function makeProblem(c: LossCase, seed: number): LossProblem {
  const r = rng(seed),
    n = ROWS * c.units,
    id = ACTIVATION_ID[c.act];
  const z = new Float64Array(n),
    y = new Float64Array(n),
    a = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = c.z(r);
  for (let row = 0; row < ROWS; row++) c.y(r, y.subarray(row * c.units, (row + 1) * c.units));
  activate(id, c.alpha, ROWS, c.units, z, a);
  return { c, id, z, a, y };
}

/** Mean batch loss from z (a recomputed from z), as the training step sees it. */
function meanLossFromZ(p: LossProblem, z: Float64Array): number {
  const n = z.length,
    a = new Float64Array(n);
  activate(p.id, p.c.alpha, ROWS, p.c.units, z, a);
  return (
    lossForwardBackward(p.c.loss, p.id, p.c.alpha, ROWS, p.c.units, z, a, p.y, new Float64Array(n), new Float64Array(n))
      .lossSum / ROWS
  );
}

/** Mean batch loss as a function of a alone (z held fixed): only meaningful where the loss reads a. */
function meanLossFromA(p: LossProblem, a: Float64Array): number {
  const n = a.length;
  return (
    lossForwardBackward(
      p.c.loss,
      p.id,
      p.c.alpha,
      ROWS,
      p.c.units,
      p.z,
      a,
      p.y,
      new Float64Array(n),
      new Float64Array(n),
    ).lossSum / ROWS
  );
}

function lossGrads(p: LossProblem): { dA: Float64Array; dZ: Float64Array; lossSum: number } {
  const n = p.z.length,
    dA = new Float64Array(n),
    dZ = new Float64Array(n);
  const { lossSum } = lossForwardBackward(p.c.loss, p.id, p.c.alpha, ROWS, p.c.units, p.z, p.a, p.y, dA, dZ);
  return { dA, dZ, lossSum };
}

/** Worst excess (see `excess`) of g against FD of f w.r.t. each element of x. */
function worstExcess(
  g: Float64Array,
  x: Float64Array,
  f: (x: Float64Array) => number,
  rtol = LOSS_RTOL,
  atol = LOSS_ATOL,
  st: Stencil = CENTRAL,
): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++)
    worst = Math.max(
      worst,
      excess(
        g[i],
        centralDiffAt(x, i, () => f(x), st),
        rtol,
        atol,
      ),
    );
  return worst;
}

const caseName = (c: LossCase) =>
  `${c.loss} after ${c.act}${c.alpha ? `(${c.alpha})` : ''}, ${c.units} unit${c.units > 1 ? 's' : ''}, ${isFused(c.loss, ACTIVATION_ID[c.act]) ? 'fused' : 'chain rule'}`;

describe('loss gradients vs central differences of the mean batch loss', () => {
  LOSS_CASES.forEach((c, k) => {
    it(caseName(c), () => {
      for (const seed of [100 + k, 200 + k, 300 + k]) {
        const p = makeProblem(c, seed);
        if (c.loss === 'binary_crossentropy' && !isFused(c.loss, p.id)) {
          // the clip must be inactive for the formula to be the smooth one under test
          for (const v of p.a) {
            expect(v).toBeGreaterThan(1e-3);
            expect(v).toBeLessThan(1 - 1e-3);
          }
        }
        const { dA, dZ } = lossGrads(p);
        const z = p.z.slice(),
          fz = c.fdZ ?? { stencil: CENTRAL, rtol: LOSS_RTOL, atol: LOSS_ATOL };
        expect(worstExcess(dZ, z, (zz) => meanLossFromZ(p, zz), fz.rtol, fz.atol, fz.stencil)).toBeLessThan(1);
        if (c.dAIsExact) {
          // mse reads a directly (step 1e-5 max(1, |a|)); BCE reads a clipped probability.
          const a = p.a.slice(),
            st = c.loss === 'binary_crossentropy' ? PROB_STENCIL : CENTRAL;
          expect(worstExcess(dA, a, (aa) => meanLossFromA(p, aa), LOSS_RTOL, LOSS_ATOL, st)).toBeLessThan(1);
        }
      }
    });
  });

  it('fused paths report dA consistent with dZ through the chain rule', () => {
    // BCE after sigmoid: dZ = dA ⊙ σ'(z) where p is not clipped.
    const pb = makeProblem(
      LOSS_CASES.find((c) => c.loss === 'binary_crossentropy' && c.act === 'sigmoid' && c.units === 4)!,
      11,
    );
    const gb = lossGrads(pb);
    for (let i = 0; i < pb.z.length; i++) {
      expect(excess(gb.dA[i] * actDerivative(ACTIVATION_ID.sigmoid, 0, pb.z[i]), gb.dZ[i], 1e-9, 1e-15)).toBeLessThan(
        1,
      );
    }
    // CCE after softmax with one-hot targets: dZ = softmax Jacobian · dA.
    const pc = makeProblem(LOSS_CASES.find((c) => c.loss === 'categorical_crossentropy' && c.y === oneHot)!, 12);
    const gc = lossGrads(pc);
    const viaJacobian = new Float64Array(pc.z.length);
    softmaxBackward(ROWS, pc.c.units, pc.a, gc.dA, viaJacobian);
    for (let i = 0; i < pc.z.length; i++) expect(excess(viaJacobian[i], gc.dZ[i], 1e-9, 1e-15)).toBeLessThan(1);
  });

  it('loss values: per-sample mean over units (mse, bce), sum over classes (cce); logits form = probability form', () => {
    const r = rng(5);
    const z = Float64Array.from({ length: 8 }, () => uniform(r, -3, 3));
    const y = Float64Array.from([0, 1, 1, 0, 1, 1, 0, 0]);
    const a = new Float64Array(8),
      dA = new Float64Array(8),
      dZ = new Float64Array(8);
    // bce, 2 rows × 4 units, sigmoid: from logits vs -(y log p + (1-y) log(1-p)) with exact p
    activate(ACTIVATION_ID.sigmoid, 0, 2, 4, z, a);
    let expected = 0;
    for (let i = 0; i < 8; i++) expected += -(y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i])) / 4;
    expect(
      lossForwardBackward('binary_crossentropy', ACTIVATION_ID.sigmoid, 0, 2, 4, z, a, y, dA, dZ).lossSum,
    ).toBeCloseTo(expected, 12);
    // mse, linear
    activate(0, 0, 2, 4, z, a);
    expected = 0;
    for (let i = 0; i < 8; i++) expected += (z[i] - y[i]) ** 2 / 4;
    expect(lossForwardBackward('mse', 0, 0, 2, 4, z, a, y, dA, dZ).lossSum).toBeCloseTo(expected, 12);
    // cce, softmax over 4 classes, one-hot rows [0,1,0,0] and [0,0,1,0]
    const yc = Float64Array.from([0, 1, 0, 0, 0, 0, 1, 0]);
    activate(ACTIVATION_ID.softmax, 0, 2, 4, z, a);
    expected = -Math.log(a[1]) - Math.log(a[6]);
    expect(
      lossForwardBackward('categorical_crossentropy', ACTIVATION_ID.softmax, 0, 2, 4, z, a, yc, dA, dZ).lossSum,
    ).toBeCloseTo(expected, 12);
  });

  it('sanity: gradients of the summed loss, or a diagonal-only softmax Jacobian, fail the check', () => {
    // dZ of the *sum* (forgetting the 1/rows of the mean) is off by a factor 3.
    const p = makeProblem(
      LOSS_CASES.find((c) => c.loss === 'binary_crossentropy' && c.act === 'sigmoid' && c.units === 1)!,
      21,
    );
    const scaled = lossGrads(p).dZ.map((v) => v * ROWS);
    expect(worstExcess(scaled, p.z.slice(), (zz) => meanLossFromZ(p, zz))).toBeGreaterThan(1e3);
    // mse after softmax with dZ = dA ⊙ a(1 - a) (ignoring the off-diagonal Jacobian terms).
    const q = makeProblem(LOSS_CASES.find((c) => c.loss === 'mse' && c.act === 'softmax')!, 22);
    const g = lossGrads(q);
    const diag = g.dA.map((v, i) => v * q.a[i] * (1 - q.a[i]));
    expect(worstExcess(diag, q.z.slice(), (zz) => meanLossFromZ(q, zz))).toBeGreaterThan(1e3);
    // a dZ wrong by 1e-5 relative already fails.
    const off = g.dZ.map((v) => v * (1 + 1e-5));
    expect(worstExcess(off, q.z.slice(), (zz) => meanLossFromZ(q, zz))).toBeGreaterThan(1);
    // mse after gelu, chain rule with the tanh-approximation derivative: caught despite GELU_LOSS's looser tolerances.
    const gc = makeProblem(LOSS_CASES.find((c) => c.loss === 'mse' && c.act === 'gelu' && c.units === 4)!, 23);
    const gg = lossGrads(gc);
    const tanhChain = gg.dA.map((v, i) => v * geluTanhDeriv(gc.z[i]));
    expect(
      worstExcess(
        tanhChain,
        gc.z.slice(),
        (zz) => meanLossFromZ(gc, zz),
        GELU_LOSS.rtol,
        GELU_LOSS.atol,
        GELU_LOSS.stencil,
      ),
    ).toBeGreaterThan(3);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. whole networks, backward exactly as CpuEngine.forwardBackward

interface NetLayer {
  units: number;
  act: ActivationName;
  alpha: number;
}
interface NetSpec {
  name: string;
  inDim: number;
  layers: NetLayer[];
  loss: LossName;
  targets: (r: () => number, row: Float64Array) => void;
  seed: number;
}
interface Params {
  W: Float64Array[];
  b: Float64Array[];
}

const BATCH = 4;

function initNet(spec: NetSpec): { params: Params; X: Float64Array; Y: Float64Array } {
  const r = rng(spec.seed);
  const W: Float64Array[] = [],
    b: Float64Array[] = [];
  let fanIn = spec.inDim;
  for (const L of spec.layers) {
    const lim = Math.sqrt(6 / (fanIn + L.units)) * 1.5;
    W.push(Float64Array.from({ length: fanIn * L.units }, () => uniform(r, -lim, lim)));
    b.push(Float64Array.from({ length: L.units }, () => uniform(r, -0.5, 0.5)));
    fanIn = L.units;
  }
  const X = Float64Array.from({ length: BATCH * spec.inDim }, () => uniform(r, -1.5, 1.5));
  const out = spec.layers[spec.layers.length - 1].units;
  const Y = new Float64Array(BATCH * out);
  for (let row = 0; row < BATCH; row++) spec.targets(r, Y.subarray(row * out, (row + 1) * out));
  return { params: { W, b }, X, Y };
}

interface Fwd {
  loss: number;
  Z: Float64Array[];
  A: Float64Array[];
  dA: Float64Array[];
  dZ: Float64Array[];
}

function forward(spec: NetSpec, p: Params, X: Float64Array, Y: Float64Array): Fwd {
  const Z: Float64Array[] = [],
    A: Float64Array[] = [],
    dA: Float64Array[] = [],
    dZ: Float64Array[] = [];
  let input = X,
    fanIn = spec.inDim;
  spec.layers.forEach((L, l) => {
    const n = BATCH * L.units;
    Z.push(new Float64Array(n));
    A.push(new Float64Array(n));
    dA.push(new Float64Array(n));
    dZ.push(new Float64Array(n));
    matmulBias(BATCH, fanIn, L.units, input, p.W[l], p.b[l], Z[l]);
    activate(ACTIVATION_ID[L.act], L.alpha, BATCH, L.units, Z[l], A[l]);
    input = A[l];
    fanIn = L.units;
  });
  const k = spec.layers.length - 1,
    last = spec.layers[k];
  const res = lossForwardBackward(
    spec.loss,
    ACTIVATION_ID[last.act],
    last.alpha,
    BATCH,
    last.units,
    Z[k],
    A[k],
    Y,
    dA[k],
    dZ[k],
  );
  return { loss: res.lossSum / BATCH, Z, A, dA, dZ };
}

/** The backward loop of CpuEngine.forwardBackward, in float64. `skipActDeriv` is a deliberate bug for the sanity check. */
function backward(
  spec: NetSpec,
  p: Params,
  X: Float64Array,
  f: Fwd,
  skipActDeriv = false,
): { dW: Float64Array[]; db: Float64Array[] } {
  const dW = p.W.map((w) => new Float64Array(w.length)),
    db = p.b.map((b) => new Float64Array(b.length));
  for (let l = spec.layers.length - 1; l >= 0; l--) {
    const L = spec.layers[l],
      u = L.units,
      n = BATCH * u,
      fanIn = l === 0 ? spec.inDim : spec.layers[l - 1].units;
    if (l !== spec.layers.length - 1) {
      for (let i = 0; i < n; i++)
        f.dZ[l][i] = f.dA[l][i] * (skipActDeriv ? 1 : actDerivative(ACTIVATION_ID[L.act], L.alpha, f.Z[l][i]));
    }
    const prevA = l === 0 ? X : f.A[l - 1];
    matmulTransA(BATCH, fanIn, u, prevA, f.dZ[l], dW[l], db[l]);
    if (l > 0) matmulTransB(BATCH, fanIn, u, f.dZ[l], p.W[l], f.dA[l - 1]);
  }
  return { dW, db };
}

/** Worst excess and worst relative error over every dW and db element against FD of the mean loss. */
function checkNet(
  spec: NetSpec,
  rtol: number,
  atol: number,
  skipActDeriv = false,
  st: Stencil = CENTRAL,
): { worst: number; maxRel: number; count: number } {
  const { params, X, Y } = initNet(spec);
  const g = backward(spec, params, X, forward(spec, params, X, Y), skipActDeriv);
  const lossOf = () => forward(spec, params, X, Y).loss;
  let worst = 0,
    maxRel = 0,
    count = 0;
  const visit = (buf: Float64Array, grad: Float64Array) => {
    for (let i = 0; i < buf.length; i++) {
      const fd = centralDiffAt(buf, i, lossOf, st);
      worst = Math.max(worst, excess(grad[i], fd, rtol, atol));
      if (Math.abs(grad[i]) + Math.abs(fd) > 1e-6) maxRel = Math.max(maxRel, relErr(grad[i], fd));
      count++;
    }
  };
  spec.layers.forEach((_, l) => {
    visit(params.W[l], g.dW[l]);
    visit(params.b[l], g.db[l]);
  });
  return { worst, maxRel, count };
}

/** Smallest |Z| over hidden and output layers: the kink-free precondition for relu-like nets. */
function minAbsZ(spec: NetSpec): number {
  const { params, X, Y } = initNet(spec);
  const f = forward(spec, params, X, Y);
  let m = Infinity;
  spec.layers.forEach((L, l) => {
    if (['relu', 'leaky_relu', 'elu', 'selu'].includes(L.act)) for (const v of f.Z[l]) m = Math.min(m, Math.abs(v));
  });
  return m;
}

/**
 * A network from its architecture, e.g. '4 -> 6 relu -> 5 leaky_relu(0.2) -> 3 softmax': the
 * input width, then each layer's units and activation (its alpha in brackets; elu's defaults to 1).
 */
function net(arch: string, loss: LossName, targets: NetSpec['targets'], seed: number, note?: string): NetSpec {
  const [inDim, ...layers] = arch.split(' -> ');
  return {
    name: `${arch}, ${loss}${note ? ` (${note})` : ''}`,
    inDim: Number(inDim),
    layers: layers.map((l) => {
      const [, units, act, alpha] = /^(\d+) (\w+)(?:\((.+)\))?$/.exec(l)!;
      return { units: Number(units), act: act as ActivationName, alpha: Number(alpha ?? (act === 'elu' ? 1 : 0)) };
    }),
    loss,
    targets,
    seed,
  };
}

const NETS: NetSpec[] = [
  net('5 -> 7 tanh -> 6 elu -> 3 softmax', 'categorical_crossentropy', oneHot, 31),
  net('4 -> 5 sigmoid -> 1 sigmoid', 'binary_crossentropy', binaryTargets, 32),
  net('3 -> 6 swish -> 4 softplus -> 2 linear', 'mse', realTargets, 33),
  net('4 -> 6 softsign -> 5 selu -> 3 softmax', 'mse', oneHot, 34, 'softmax Jacobian'),
  net(
    '4 -> 6 relu -> 5 leaky_relu(0.2) -> 3 softmax',
    'binary_crossentropy',
    binaryTargets,
    35,
    'non-fused, clipped probabilities',
  ),
  net('3 -> 5 elu(0.5) -> 4 tanh -> 2 sigmoid', 'mse', unitTargets, 36),
];

/**
 * Whole-net tolerance: rtol 1e-6 relative error with atol 1e-10 for gradients that are (near)
 * zero, e.g. behind a dead relu. Measured worst relative errors are 1e-9 to 8e-9 (FD noise of a
 * mean loss of O(1) over gradients of O(1e-3..1)), worst excess < 0.01 of the bound.
 */
const NET_RTOL = 1e-6,
  NET_ATOL = 1e-10;

/**
 * A gelu hidden layer: actForward(gelu) is smooth only down to float32 rounding of erf, and
 * actDerivative(gelu) differs from the derivative of the smooth formula by up to 5.3e-7 (see
 * GELU_TOL), so this net uses GELU_LOSS's 5-point stencil (h = 1e-2 on each weight) with rtol
 * 1e-4 and atol 5e-6. Measured: worst excess 0.12 of that bound, max relative error 2.1e-5
 * (elements with small gradients, where the 5.3e-7 in f' weighs most).
 */
const GELU_NET = net('4 -> 6 gelu -> 5 tanh -> 3 softmax', 'categorical_crossentropy', oneHot, 37);
const GELU_NET_FD = { stencil: { kind: 'five', h: GELU_FD_H } as Stencil, rtol: 1e-4, atol: 5e-6 };

describe('whole-network gradients (CpuEngine backward) vs central differences, float64', () => {
  for (const spec of NETS) {
    it(spec.name, () => {
      // relu-like layers: no pre-activation within 1e-3 of the kink, so FD (steps of ≤ 1e-5 in a
      // weight move Z by ≤ 1e-5 · |input| ≪ 1e-3) never straddles it.
      expect(minAbsZ(spec)).toBeGreaterThan(1e-3);
      const r = checkNet(spec, NET_RTOL, NET_ATOL);
      expect(r.count).toBeGreaterThan(10);
      expect(r.worst).toBeLessThan(1);
      expect(r.maxRel).toBeLessThan(1e-6);
    });
  }

  it(GELU_NET.name, () => {
    const r = checkNet(GELU_NET, GELU_NET_FD.rtol, GELU_NET_FD.atol, false, GELU_NET_FD.stencil);
    expect(r.worst).toBeLessThan(1);
  });

  it("sanity: dropping f'(Z) in the hidden layers fails the check", () => {
    for (const spec of [NETS[0], NETS[1], NETS[2]]) {
      expect(checkNet(spec, NET_RTOL, NET_ATOL, true).worst).toBeGreaterThan(1e3);
    }
    expect(checkNet(GELU_NET, GELU_NET_FD.rtol, GELU_NET_FD.atol, true, GELU_NET_FD.stencil).worst).toBeGreaterThan(10);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. optimizers vs Keras 3's update rules, written out independently

const W0 = [0.5, -0.3, 1.2, 0, -2];
/** Three steps of gradients, float32-representable so both sides read the same numbers. */
const GRADS = [
  [0.1, -0.2, 0.05, 0.3, -0.05],
  [0.08, 0.15, -0.04, 0.25, 0.03],
  [-0.12, -0.1, 0.06, 0.2, -0.04],
].map((g) => g.map(Math.fround));

interface Expected {
  w: number[];
  s1: number[];
  s2: number[];
}

/**
 * Keras 3 (keras/src/optimizers/*.py update_step), in float64, element by element:
 *  sgd:       w ← w − lr g
 *  momentum:  m ← μ m − lr g;  w ← w + m            (nesterov: w ← w + μ m − lr g)
 *  adam:      m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
 *             w ← w − lr √(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε̂)
 *  rmsprop:   v ← ρ v + (1−ρ) g²;  w ← w − lr g / √(v + ε)
 */
function kerasReference(o: OptimizerConfig, steps: number): Expected {
  const w = W0.slice(),
    s1 = W0.map(() => 0),
    s2 = W0.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = GRADS[t - 1];
    for (let i = 0; i < w.length; i++) {
      if (o.name === 'sgd') {
        if (o.momentum === 0) {
          w[i] = w[i] - o.learning_rate * g[i];
          continue;
        }
        const velocity = o.momentum * s1[i] - o.learning_rate * g[i];
        s1[i] = velocity;
        w[i] = o.nesterov ? w[i] + o.momentum * velocity - o.learning_rate * g[i] : w[i] + velocity;
      } else if (o.name === 'adam') {
        s1[i] = o.beta_1 * s1[i] + (1 - o.beta_1) * g[i];
        s2[i] = o.beta_2 * s2[i] + (1 - o.beta_2) * g[i] * g[i];
        const stepSize = (o.learning_rate * Math.sqrt(1 - o.beta_2 ** t)) / (1 - o.beta_1 ** t);
        w[i] = w[i] - (stepSize * s1[i]) / (Math.sqrt(s2[i]) + o.epsilon);
      } else {
        s2[i] = o.rho * s2[i] + (1 - o.rho) * g[i] * g[i];
        w[i] = w[i] - (o.learning_rate * g[i]) / Math.sqrt(s2[i] + o.epsilon);
      }
    }
  }
  return { w, s1, s2 };
}

function runApplyUpdate(o: OptimizerConfig, steps: number): { w: Float32Array; s1: Float32Array; s2: Float32Array } {
  const w = Float32Array.from(W0),
    s1 = new Float32Array(W0.length),
    s2 = new Float32Array(W0.length);
  for (let t = 1; t <= steps; t++) applyUpdate(o, t, w, Float32Array.from(GRADS[t - 1]), s1, s2);
  return { w, s1, s2 };
}

/**
 * applyUpdate works in float32 storage (w, slots and Adam's step size are rounded to float32
 * each step, relative error 2^-24 ≈ 6e-8 each). Over three steps that stays below 1e-6 of
 * max(1, |w|); the updates themselves are 1e-3..1e-1, so an error in the formula of more
 * than ~1e-5 relative to an update is caught (and the sanity checks below show the plausible
 * wrong formulas miss by far more).
 */
const OPT_TOL = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number) {
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(expected[i])),
    );
  }
}
const maxDiff = (a: ArrayLike<number>, b: number[]) => Math.max(...b.map((v, i) => Math.abs(a[i] - v)));

const OPTIMIZERS: Array<{ label: string; o: OptimizerConfig }> = [
  { label: 'sgd', o: { name: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false } },
  { label: 'sgd momentum 0.9', o: { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false } },
  { label: 'sgd nesterov 0.9', o: { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true } },
  {
    label: 'adam (Keras defaults, lr 0.01)',
    o: { name: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
  },
  // a large epsilon makes "ε outside the sqrt" observable
  {
    label: 'adam (beta_1 0.5, beta_2 0.8, epsilon 0.01)',
    o: { name: 'adam', learning_rate: 0.05, beta_1: 0.5, beta_2: 0.8, epsilon: 0.01 },
  },
  { label: 'rmsprop (Keras defaults, lr 0.01)', o: { name: 'rmsprop', learning_rate: 0.01, rho: 0.9, epsilon: 1e-7 } },
  { label: 'rmsprop (rho 0.7, epsilon 0.01)', o: { name: 'rmsprop', learning_rate: 0.05, rho: 0.7, epsilon: 0.01 } },
];

describe('optimizer updates vs Keras 3 formulas, 3 steps', () => {
  for (const { label, o } of OPTIMIZERS) {
    it(label, () => {
      for (let steps = 1; steps <= 3; steps++) {
        const got = runApplyUpdate(o, steps),
          want = kerasReference(o, steps);
        expectClose(got.w, want.w, OPT_TOL);
        if (o.name === 'sgd' && o.momentum !== 0) expectClose(got.s1, want.s1, OPT_TOL);
        if (o.name === 'adam') {
          expectClose(got.s1, want.s1, OPT_TOL);
          expectClose(got.s2, want.s2, OPT_TOL);
        }
        if (o.name === 'rmsprop') expectClose(got.s2, want.s2, OPT_TOL);
        // every element actually moved: the comparison is not vacuous
        for (let i = 0; i < W0.length; i++) expect(Math.abs(want.w[i] - W0[i])).toBeGreaterThan(1e-4);
      }
    });
  }

  it("adamAlpha is Keras' bias-corrected step size", () => {
    const o = { learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999 };
    expect(adamAlpha(o, 1)).toBeCloseTo((0.01 * Math.sqrt(0.001)) / 0.1, 15);
    expect(adamAlpha(o, 3)).toBeCloseTo((0.01 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3), 15);
  });

  it('sanity: plausible wrong formulas are far outside the tolerance', () => {
    const tol = OPT_TOL * 3; // ≥ the per-element bound for |w| ≤ 3
    // Adam without bias correction (step size lr): at t = 1 the update is 1/0.316 times too big.
    const adam = OPTIMIZERS[3].o as Extract<OptimizerConfig, { name: 'adam' }>;
    const noBias = W0.map((w, i) => {
      const g = GRADS[0][i];
      return w - (adam.learning_rate * ((1 - adam.beta_1) * g)) / (Math.sqrt((1 - adam.beta_2) * g * g) + adam.epsilon);
    });
    expect(maxDiff(runApplyUpdate(adam, 1).w, noBias)).toBeGreaterThan(100 * tol);
    // Adam with ε inside the sqrt (visible with ε = 0.01).
    const adamE = OPTIMIZERS[4].o as Extract<OptimizerConfig, { name: 'adam' }>;
    const epsInside = W0.map((w, i) => {
      const g = GRADS[0][i],
        m = (1 - adamE.beta_1) * g,
        v = (1 - adamE.beta_2) * g * g;
      return (
        w -
        (((adamE.learning_rate * Math.sqrt(1 - adamE.beta_2)) / (1 - adamE.beta_1)) * m) / Math.sqrt(v + adamE.epsilon)
      );
    });
    expect(maxDiff(runApplyUpdate(adamE, 1).w, epsInside)).toBeGreaterThan(100 * tol);
    // RMSprop with ε outside the sqrt.
    const rms = OPTIMIZERS[6].o as Extract<OptimizerConfig, { name: 'rmsprop' }>;
    const epsOutside = W0.map((w, i) => {
      const g = GRADS[0][i],
        v = (1 - rms.rho) * g * g;
      return w - (rms.learning_rate * g) / (Math.sqrt(v) + rms.epsilon);
    });
    expect(maxDiff(runApplyUpdate(rms, 1).w, epsOutside)).toBeGreaterThan(100 * tol);
    // Nesterov, plain momentum and plain sgd are told apart from step 2 (step 1 for nesterov).
    const plain = kerasReference(OPTIMIZERS[0].o, 2).w,
      mom = kerasReference(OPTIMIZERS[1].o, 2).w,
      nest = kerasReference(OPTIMIZERS[2].o, 2).w;
    expect(maxDiff(runApplyUpdate(OPTIMIZERS[1].o, 2).w, plain)).toBeGreaterThan(100 * tol);
    expect(maxDiff(runApplyUpdate(OPTIMIZERS[2].o, 2).w, mom)).toBeGreaterThan(100 * tol);
    expect(maxDiff(runApplyUpdate(OPTIMIZERS[1].o, 2).w, nest)).toBeGreaterThan(100 * tol);
  });
});

// ---------------------------------------------------------------------------------------------
// the clip constant the BCE/CCE dA use, pinned (Keras' backend epsilon)
it("EPSILON is Keras' backend epsilon 1e-7", () => {
  expect(EPSILON).toBe(1e-7);
});

describe('binary_crossentropy outside the clip range', () => {
  it('passes no gradient where the output is clipped (Keras: clip_by_value has zero gradient there)', async () => {
    const { lossForwardBackward } = await import('../src/core/losses');
    const dA = new Float64Array(2),
      dZ = new Float64Array(2);
    // A linear output of 1.5 and of -0.2: both outside [1e-7, 1 - 1e-7].
    lossForwardBackward(
      'binary_crossentropy',
      0,
      0,
      2,
      1,
      Float64Array.of(1.5, -0.2),
      Float64Array.of(1.5, -0.2),
      Float64Array.of(0, 1),
      dA,
      dZ,
    );
    expect(Array.from(dA)).toEqual([0, 0]);
    expect(Array.from(dZ)).toEqual([0, 0]);
  });
});
