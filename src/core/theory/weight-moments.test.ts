/**
 * @file Every Keras initializer of the engine mapped onto σ_w² and σ_b²: the formulas (Keras'
 * variance scaling in its three modes, the truncation's lost variance, uniform limits,
 * orthogonal rows), and the same numbers seen in what the engine actually draws.
 */
import { describe, expect, it } from 'vitest';
import { INITIALIZER_NAMES, parseInitializer, resolveSampler } from '../initializers';
import { sampleCpu } from '../sampling';
import { layerVariances, samplerMoments } from './weight-moments';

const init = (v: unknown) => parseInitializer(v, 'init');
const zeros = init('zeros');

describe('σ_w² of each initializer', () => {
  const fanIn = 300,
    units = 100;
  const sw = (v: unknown) => layerVariances(init(v), zeros, fanIn, units)?.weightVariance;

  it("variance_scaling's scale is σ_w² in fan_in mode, and goes through the widths in the others", () => {
    expect(sw('lecun_normal')).toBeCloseTo(1, 12);
    expect(sw('lecun_uniform')).toBeCloseTo(1, 12);
    expect(sw('he_normal')).toBeCloseTo(2, 12);
    expect(sw('he_uniform')).toBeCloseTo(2, 12);
    expect(sw('glorot_normal')).toBeCloseTo((2 * fanIn) / (fanIn + units), 12);
    expect(sw('glorot_uniform')).toBeCloseTo((2 * fanIn) / (fanIn + units), 12);
    for (const distribution of ['truncated_normal', 'untruncated_normal', 'uniform']) {
      const vs = (mode: string) => sw({ class_name: 'VarianceScaling', config: { scale: 3, mode, distribution } });
      expect(vs('fan_in')).toBeCloseTo(3, 12);
      expect(vs('fan_out')).toBeCloseTo((3 * fanIn) / units, 12);
      expect(vs('fan_avg')).toBeCloseTo((6 * fanIn) / (fanIn + units), 12);
    }
  });

  it('normal, truncated and uniform draws by their variance; orthogonal by its rows; the identity not at all', () => {
    expect(sw({ class_name: 'RandomNormal', config: { stddev: 0.1 } })).toBeCloseTo(0.01 * fanIn, 12);
    // Truncating at 2 standard deviations keeps 0.7737 of the variance.
    expect(sw({ class_name: 'TruncatedNormal', config: { stddev: 0.1 } })).toBeCloseTo(0.01 * fanIn * 0.773741, 5);
    expect(sw({ class_name: 'RandomUniform', config: { minval: -0.3, maxval: 0.3 } })).toBeCloseTo(0.03 * fanIn, 12);
    expect(sw({ class_name: 'Orthogonal', config: { gain: 2 } })).toBeCloseTo((4 * fanIn) / fanIn, 12);
    expect(layerVariances(init('orthogonal'), zeros, 50, 200)?.weightVariance).toBeCloseTo(50 / 200, 12);
    expect(layerVariances(init('identity'), zeros, 50, 50)).toBeNull();
  });

  it('means: a shifted uniform, ones and constants keep their mean, biases their square', () => {
    const v = layerVariances(init('ones'), init({ name: 'constant', value: 0.5 }), fanIn, units);
    expect(v).toEqual({ weightVariance: 0, weightMean: fanIn, biasVariance: 0, biasMean: 0.5 });
    const shifted = layerVariances(init({ name: 'random_uniform', minval: 0, maxval: 0.1 }), zeros, fanIn, units);
    expect(shifted?.weightMean).toBeCloseTo(0.05 * fanIn, 12);
  });
});

describe('the moments of what the engine draws', () => {
  // Every initializer that can draw a 64 × 96 kernel, sampled by the CPU reference (the GPU's
  // draws are bit-identical): the sample mean and variance within 5 standard errors.
  const shape: [number, number] = [64, 96];
  for (const name of INITIALIZER_NAMES.filter((n) => n !== 'identity')) {
    it(`${name}`, () => {
      const sampler = resolveSampler(init(name), shape);
      const expected = samplerMoments(sampler, shape);
      const x = sampleCpu(sampler, shape, 11, 0, 0);
      const n = x.length;
      const mean = x.reduce((s, v) => s + v, 0) / n;
      const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      expect(expected).not.toBeNull();
      const { mean: m, variance: v } = expected!;
      if (v === 0) {
        expect(mean).toBeCloseTo(m, 6);
        expect(variance).toBe(0);
        return;
      }
      // Orthogonal columns are not independent draws, but still have mean 0 and variance 1/max.
      expect(Math.abs(mean - m)).toBeLessThan(5 * Math.sqrt(v / n));
      expect(Math.abs(variance / v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    });
  }
});
