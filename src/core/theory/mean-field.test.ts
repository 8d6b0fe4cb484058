/**
 * @file The mean-field theory against closed forms and an independent quadrature: Gauss–Hermite
 * moments of the normal, ReLU's and the linear network's exact maps (ReLU's correlation map is
 * the arc-cosine kernel of Cho and Saul), the length map's slope against finite differences,
 * tanh's critical line, numbers from scipy's adaptive quadrature, and every activation's results
 * at n and 2n points agreeing to 1e-6 in each phase.
 */
import { describe, expect, it } from 'vitest';
import type { Activation } from '../types';
import { ELEMENTWISE, theoryActivation } from './activation';
import { pairMoments, unitMoments } from './expectations';
import { criticalWeightVariance, fixedLength, lengthMap, meanField } from './mean-field';
import { hermiteRule, piecewiseRule } from './quadrature';

const act = (name: Activation['name'], alpha = name === 'leaky_relu' ? 0.2 : name === 'elu' ? 1 : 0) =>
  theoryActivation({ name, alpha });
const relu = act('relu');

describe('quadrature rules', () => {
  it('Gauss–Hermite integrates the normal moments E[Z^2k] = (2k−1)!! exactly', () => {
    for (const n of [8, 33, 64, 160]) {
      const { z, w } = hermiteRule(n);
      let doubleFactorial = 1;
      for (let k = 0; 2 * k < Math.min(n, 24); k++) {
        if (k > 0) doubleFactorial *= 2 * k - 1;
        const moment = z.reduce((s, zi, i) => s + w[i] * zi ** (2 * k), 0);
        expect(moment / doubleFactorial, `n=${n} k=${k}`).toBeCloseTo(1, 12);
      }
    }
  });

  it('piecewise Gauss–Legendre rules weigh the normal density to 1 whatever their cuts', () => {
    for (const [centre, width] of [
      [0, 1],
      [0.3, 1e-3],
      [-7, 0.1],
    ]) {
      const { w } = piecewiseRule(8, centre, width);
      expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 14);
    }
  });
});

describe('closed forms', () => {
  it('ReLU: E[φ(√q z)²] = q/2 and E[φ′²] = 1/2 at every q; leaky ReLU (1 + α²) times that', () => {
    for (const q of [1e-6, 0.3, 1, 7.5, 1e4]) {
      const m = unitMoments(relu, 0, q);
      expect(m.square / q).toBeCloseTo(0.5, 12);
      expect(m.derivSquare).toBeCloseTo(0.5, 12);
      expect(m.slope).toBeCloseTo(0.5, 12);
      expect(m.mean / Math.sqrt(q)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12);
      expect(unitMoments(act('leaky_relu', 0.3), 0, q).square / q).toBeCloseTo(0.5 * (1 + 0.09), 12);
    }
  });

  it('ReLU: χ₁ = σ_w²/2 and q* = σ_b²/(1 − σ_w²/2) below σ_w² = 2, which is critical; beyond, q grows without bound', () => {
    for (const [weightVariance, biasVariance] of [
      [0.5, 0.2],
      [1, 0.05],
      [1.9, 0.01],
    ]) {
      const m = meanField({ act: relu, weightVariance, biasVariance });
      expect(m.qStar).toBeCloseTo(biasVariance / (1 - weightVariance / 2), 12);
      expect(m.chi1).toBeCloseTo(weightVariance / 2, 12);
      expect(m.phase).toBe('ordered');
      expect(m.xiC).toBeCloseTo(-1 / Math.log(weightVariance / 2), 9);
    }
    expect(criticalWeightVariance(relu, 0.1)).toBeCloseTo(2, 10);
    const exploding = meanField({ act: relu, weightVariance: 3, biasVariance: 0.1 });
    expect(exploding.qStar).toBe(Infinity);
    expect(exploding.chi1).toBeCloseTo(1.5, 12);
    expect(exploding.phase).toBe('chaotic');
  });

  it("ReLU's correlation map is the arc-cosine kernel: E[φ(u₁)φ(u₂)] = q(√(1−c²) + (π − arccos c)c)/2π", () => {
    for (const q of [0.5, 3]) {
      for (const c of [-0.9, -0.2, 0, 0.4, 0.95, 0.9999]) {
        const pair = pairMoments(relu, q, c);
        const theta = Math.acos(c);
        expect(pair.cross).toBeCloseTo((q * (Math.sqrt(1 - c * c) + (Math.PI - theta) * c)) / (2 * Math.PI), 10);
        expect(pair.derivCross).toBeCloseTo((Math.PI - theta) / (2 * Math.PI), 10);
      }
    }
  });

  it('a linear network: q* = σ_b²/(1 − σ_w²), χ₁ = σ_w², critical at σ_w² = 1 for any σ_b²', () => {
    const linear = act('linear');
    const m = meanField({ act: linear, weightVariance: 0.6, biasVariance: 0.2 });
    expect(m.qStar).toBeCloseTo(0.2 / 0.4, 12);
    expect(m.chi1).toBeCloseTo(0.6, 12);
    expect(criticalWeightVariance(linear, 0)).toBeCloseTo(1, 10);
    expect(criticalWeightVariance(linear, 0.3)).toBeCloseTo(1, 10);
  });

  it("tanh's critical σ_w² at σ_b² = 0 is 1; with σ_b² = 0.05 it moves out to about 1.76", () => {
    const tanh = act('tanh');
    // Above 1, χ₁ − 1 grows only as (σ_w² − 1)²: the root is flat, found to 1e-6, not to rounding.
    expect(Math.abs((criticalWeightVariance(tanh, 0) as number) - 1)).toBeLessThan(1e-6);
    expect(criticalWeightVariance(tanh, 0.05)).toBeCloseTo(1.76095, 4);
    expect(meanField({ act: tanh, weightVariance: 0.8, biasVariance: 0 }).phase).toBe('ordered');
    expect(meanField({ act: tanh, weightVariance: 1.3, biasVariance: 0 }).cStar).toBeCloseTo(0, 10);
  });
});

describe('against an independent quadrature', () => {
  it('tanh at σ_w² = 4, σ_b² = 0.1 (chaotic) gives what scipy.integrate.quad gives', () => {
    // scipy 1.17: brentq over nested adaptive quad on [−12, 12], tolerances 1e-13.
    const m = meanField({ act: act('tanh'), weightVariance: 4, biasVariance: 0.1 });
    expect(m.qStar).toBeCloseTo(2.2681954307395293, 9);
    expect(m.chi1).toBeCloseTo(1.323350481824416, 9);
    expect(m.cStar).toBeCloseTo(0.2855242154655879, 9);
    expect(m.chiC).toBeCloseTo(0.8593204489887214, 9);
  });
});

describe('slopes', () => {
  it('the length map slope σ_w² E[φ′² + φφ″] (Stein) is its derivative, kinked activations included', () => {
    for (const name of ELEMENTWISE) {
      const a = act(name);
      const p = { act: a, weightVariance: 1.7, biasVariance: 0.1 };
      for (const q of [0.2, 1.3]) {
        // A wide step: gelu's erf is rounded to float32 as on the GPU, a staircase of 1e-8 steps.
        const h = 1e-3 * q;
        const numeric = (lengthMap(p, q + h) - lengthMap(p, q - h)) / (2 * h);
        expect(p.weightVariance * unitMoments(a, 0, q).slope, `${name} q=${q}`).toBeCloseTo(numeric, 5);
      }
    }
  });
});

describe('stability of the quadrature', () => {
  // One point in each phase for every activation, and the critical line.
  const POINTS = [
    [0.7, 0.02],
    [1.5, 0.05],
    [2.5, 0.3],
    [4, 0.1],
  ];
  for (const name of ELEMENTWISE) {
    it(`${name}: q*, c*, χ₁ and χ_c agree at 64 and 128 points to 1e-6`, () => {
      const a = act(name);
      for (const [weightVariance, biasVariance] of POINTS) {
        const coarse = meanField({ act: a, weightVariance, biasVariance, points: 64 });
        const fine = meanField({ act: a, weightVariance, biasVariance, points: 128 });
        for (const key of ['qStar', 'cStar', 'chi1', 'chiC'] as const) {
          const [x, y] = [coarse[key], fine[key]];
          if (!Number.isFinite(y)) expect(x, `${name} ${key}`).toBe(y);
          else expect(Math.abs(x - y), `${name} σ_w²=${weightVariance} ${key}: ${x} vs ${y}`).toBeLessThan(1e-6);
        }
      }
      const crit = [64, 128].map((points) => criticalWeightVariance(a, 0.05, points));
      if (crit[1] !== null) expect(Math.abs((crit[0] as number) - crit[1])).toBeLessThan(1e-6);
    });
  }

  it('q* is where the length map started when it is already there, and 0 where signals die', () => {
    const p = { act: relu, weightVariance: 2, biasVariance: 0 };
    expect(fixedLength(p, 0.7)).toBeCloseTo(0.7, 12);
    expect(fixedLength({ act: act('tanh'), weightVariance: 0.9, biasVariance: 0 })).toBe(0);
  });
});
