import { describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { healthAxisMax, healthModel, healthSummary, unitHealth } from './unit-health-data';

describe('unitHealth', () => {
  it('reads dead units for relu and saturated units for tanh and sigmoid, from cfg.layers', () => {
    const relu = syntheticRun('r', 'relu', '#0072B2', 'healthy', 4);
    pushSynthetic(relu, 100);
    const b = unitHealth(relu);
    expect(b.map((x) => x.kind)).toEqual(['dead', 'dead', 'dead', 'saturated']); // last: sigmoid output
    expect(b[0].frac).toBe(relu.history.latest!.layers[0].zero_frac);
    expect(b[3].frac).toBe(relu.history.latest!.layers[3].saturated_frac);
    const tanh = syntheticRun('t', 'tanh', '#0072B2', 'vanishing', 3);
    pushSynthetic(tanh, 100);
    expect(unitHealth(tanh).map((x) => `${x.activation}:${x.kind}`)).toEqual([
      'tanh:saturated',
      'tanh:saturated',
      'sigmoid:saturated',
    ]);
  });

  it('groups compared runs per layer and zooms the axis to small fractions', () => {
    const a = syntheticRun('a', 'a', '#0072B2', 'healthy', 3);
    const b = syntheticRun('b', 'b', '#D55E00', 'vanishing', 5);
    pushSynthetic(a, 0);
    pushSynthetic(b, 0);
    const m = healthModel([a, b]);
    expect(m.layers).toBe(5);
    expect(m.bars[4][0]).toBeNull();
    expect(m.bars[4][1]!.layer).toBe(4);
    expect(healthAxisMax(0.03)).toBe(0.05);
    expect(healthAxisMax(0.12)).toBe(0.2);
    expect(healthAxisMax(0.7)).toBe(1);
    expect(healthSummary([a])).toMatch(/^a: \d+ of 3 layers over 50\s%/);
  });

  it('shows a layer of copies of one unit as all but one unit identical, whatever the activation', () => {
    const zeros = syntheticRun('z', 'zeros', '#0072B2', 'healthy', 3);
    pushSynthetic(zeros, 0);
    for (const L of zeros.history.latest!.layers) L.max_unit_diff = 0;
    const b = unitHealth(zeros);
    // 16 hidden units that are one: 15 add nothing. The one-unit output layer cannot be a copy.
    expect(b.map((x) => [x.kind, x.frac])).toEqual([
      ['identical', 15 / 16],
      ['identical', 15 / 16],
      ['saturated', zeros.history.latest!.layers[2].saturated_frac],
    ]);
    expect(healthSummary([zeros])).toMatch(/worst L1 94\s% identical$/);
  });
});
