import { describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { depthProfileModel, perLayerFactor, profile, verdict, verdictLines } from './depth-profile-data';

function run(regime: 'vanishing' | 'healthy' | 'exploding', layers = 12, color = '#0072B2') {
  const r = syntheticRun(regime, regime, color, regime, layers);
  for (let s = 0; s < 5; s++) pushSynthetic(r, s * 10);
  return r;
}

describe('perLayerFactor and verdict', () => {
  it('recovers a geometric decay or growth', () => {
    const v = Array.from({ length: 10 }, (_, i) => 2 * 0.5 ** i);
    expect(perLayerFactor(v, 'forward')).toBeCloseTo(0.5, 10);
    expect(perLayerFactor(v, 'backward')).toBeCloseTo(2, 10);
    expect(verdict(0.5, 10)).toBe('vanishing');
    expect(verdict(1.5, 10)).toBe('exploding');
    expect(verdict(1.1, 10)).toBe('stable');
  });
  it('ignores unusable layers and needs two', () => {
    expect(perLayerFactor([1, null, 0.25], 'forward')).toBeCloseTo(0.5, 10);
    expect(perLayerFactor([1, null], 'forward')).toBeNull();
    expect(verdict(null, 5)).toBeNull();
  });
});

describe('depthProfileModel', () => {
  it('plots std against layer 1..L, now solid with points and at init dashed, on a log axis', () => {
    const m = depthProfileModel([run('vanishing')], 'act_std');
    expect(m.data[0]).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(m.spec.scales.find((s) => s.key === 'y')!.log).toBe(true);
    const [ref, init, now] = m.spec.series;
    expect(ref.label).toBe('std = 1');
    expect(init.dash).toBeDefined();
    expect(now.dash).toBeUndefined();
    expect(now.points).toBe(true);
    const latest = m.data[3] as number[];
    expect(latest[11] / latest[0]).toBeLessThan(0.01); // the vanishing run decays
  });

  it('gives each compared run its colour and pads shorter nets', () => {
    const m = depthProfileModel([run('vanishing', 12), run('healthy', 6, '#D55E00')], 'grad_std');
    expect(m.spec.series.map((s) => s.color)).toEqual(['#0072B2', '#0072B2', '#D55E00', '#D55E00']);
    expect(m.data[3].slice(6)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(m.legend.slice(0, 2).map((l) => l.label)).toEqual(['vanishing', 'healthy']);
  });

  it('names the regime, in the direction each signal travels', () => {
    const lines = verdictLines([run('vanishing'), run('healthy'), run('exploding')], 'act_std');
    expect(lines[0]).toMatch(/vanishing$/);
    expect(lines[1]).toMatch(/stable$/);
    expect(lines[2]).toMatch(/exploding$/);
    // Gradients of the vanishing run shrink toward the input: vanishing, read backward.
    expect(verdictLines([run('vanishing')], 'grad_std')[0]).toMatch(/← ↓ vanishing$/);
  });

  it('is empty without records and log-safe', () => {
    const r = syntheticRun('e', 'e', '#000000', 'healthy', 3);
    expect(depthProfileModel([r], 'act_std').empty).toBe(true);
    pushSynthetic(r, 0);
    r.history.latest!.layers[1].act_std = 0;
    expect(profile(r.history.latest, 'act_std')[1]).toBeNull();
  });
});

describe('depthProfileModel with the theory', () => {
  it('draws each run’s predicted activation std dotted after its measurement, with its status in the caption', () => {
    const r = run('healthy', 4);
    const theory = new Map([[r.id, { actStd: [0.5, 0.4, 0, 0.2], status: 'χ₁ = 0.940, ordered, ξ_c = 15.8 layers' }]]);
    const m = depthProfileModel([r], 'act_std', theory);
    const labels = m.spec.series.map((s) => s.label);
    expect(labels).toEqual(['std = 1', 'healthy at init', 'healthy now', 'healthy theory']);
    const dotted = m.spec.series[3];
    expect(dotted.dash).toBeDefined();
    expect(dotted.color).toBe(r.color);
    // A predicted 0 cannot go on the log axis: a gap, not a fall to the bottom.
    expect(m.data[4]).toEqual([0.5, 0.4, null, 0.2]);
    expect(m.legend.map((l) => l.label)).toContain('theory at initialization');
    expect(m.subtitle).toMatch(/theory: χ₁ = 0.940, ordered, ξ_c = 15.8 layers$/);
    // The backward panel has no prediction.
    const grad = depthProfileModel([r], 'grad_std', theory);
    expect(grad.spec.series.map((s) => s.label)).toEqual(['healthy at init', 'healthy now']);
  });

  it('shows the prediction before the first record arrives', () => {
    const r = syntheticRun('e', 'e', '#000000', 'healthy', 3);
    const m = depthProfileModel([r], 'act_std', new Map([[r.id, { actStd: [1, 1, 1], status: 's' }]]));
    expect(m.empty).toBe(false);
    expect(m.data[0]).toEqual([1, 2, 3]);
  });
});
