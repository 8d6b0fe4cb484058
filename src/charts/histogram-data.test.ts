import { describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { histPanels, histRange, normalizeHist } from './histogram-data';

const area = (d: { x0: number[]; x1: number[]; d: number[] }) =>
  d.d.reduce((s, v, i) => s + v * (d.x1[i] - d.x0[i]), 0);

describe('normalizeHist', () => {
  it('turns counts into a density of area 1 over the bins', () => {
    const d = normalizeHist({ min: -1, max: 3, counts: [1, 3, 0, 4] }, 0.01)!;
    expect(area(d)).toBeCloseTo(1, 12);
    expect(d.x0).toEqual([-1, 0, 1, 2]);
    expect(d.d).toEqual([0.125, 0.375, 0, 0.5]);
    expect(d.peak).toBe(0.5);
  });
  it('draws a zero-width histogram as one bar of the given width, still area 1', () => {
    const d = normalizeHist({ min: 0, max: 0, counts: [0, 0, 7] }, 0.5)!;
    expect(d.x0).toEqual([-0.25]);
    expect(area(d)).toBeCloseTo(1, 12);
  });
  it('returns null for nothing counted or a broken range', () => {
    expect(normalizeHist({ min: 0, max: 1, counts: [0, 0] }, 0.1)).toBeNull();
    expect(normalizeHist({ min: NaN, max: 1, counts: [1] }, 0.1)).toBeNull();
    expect(normalizeHist(null, 0.1)).toBeNull();
  });
});

describe('histPanels', () => {
  const r = syntheticRun('a', 'a', '#0072B2', 'vanishing', 6);
  for (let s = 0; s < 4; s++) pushSynthetic(r, s * 10);

  it('gives one panel per layer with latest and initial densities', () => {
    const p = histPanels(r, 'act', false);
    expect(p.length).toBe(6);
    expect(p[0].title).toMatch(/^L1 tanh · σ /);
    for (const q of p) {
      expect(area(q.now!)).toBeCloseTo(1, 6);
      expect(area(q.init!)).toBeCloseTo(1, 6);
      expect(q.yMax).toBeGreaterThanOrEqual(q.now!.peak);
    }
  });

  it('spans each layer on its own, or all on one range', () => {
    const own = histPanels(r, 'act', false);
    expect(own[5].xMax - own[5].xMin).toBeLessThan(own[0].xMax - own[0].xMin); // vanishing: narrower deep
    const shared = histPanels(r, 'act', true);
    expect(new Set(shared.map((q) => `${q.xMin},${q.xMax}`)).size).toBe(1);
  });

  it('reads kernel and gradient histograms, and is empty without a run', () => {
    expect(histPanels(r, 'kernel', false)[0].title).toMatch(/σ 0\.3/);
    expect(histPanels(r, 'grad', false).length).toBe(6);
    expect(histPanels(undefined, 'act', false)).toEqual([]);
  });

  it('pads a range with no width', () => {
    expect(histRange([{ min: 0, max: 0, counts: [1] }])).toEqual([-0.5, 0.5]);
    expect(histRange([null])).toEqual([-1, 1]);
  });
});
