import { describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { lossAxisLabel, lossModel, lossSubtitle } from './loss-data';

function runs(n: number, records: number) {
  const rs = Array.from({ length: n }, (_, i) =>
    syntheticRun(`r${i}`, `run ${i}`, '#0072B2', i ? 'healthy' : 'vanishing', 4),
  );
  for (let s = 0; s < records; s++) for (const r of rs) pushSynthetic(r, s * 10);
  return rs;
}

describe('lossModel', () => {
  it('builds aligned columns: step, then loss, accuracy, test loss, test accuracy per run', () => {
    const m = lossModel(runs(1, 12), false);
    expect(m.data.length).toBe(1 + m.spec.series.length);
    expect(m.spec.series.map((s) => s.label)).toEqual([
      'run 0 loss',
      'run 0 accuracy',
      'run 0 test loss',
      'run 0 test accuracy',
    ]);
    for (const col of m.data) expect(col.length).toBe(12);
    expect(m.data[0]).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
  });

  it('leaves null gaps where test metrics were not evaluated, and joins them with points', () => {
    const m = lossModel(runs(1, 12), false);
    const test = m.data[3];
    expect(test.filter((v) => v === null).length).toBe(12 - 3); // evaluated at steps 0, 50, 100
    expect(test[0]).toBeTypeOf('number');
    const s = m.spec.series[2];
    expect(s.spanGaps && s.points).toBe(true);
  });

  it('drops non-positive losses on a log axis only', () => {
    const [r] = runs(1, 3);
    r.history.loss[1] = 0;
    expect(lossModel([r], true).data[1][1]).toBeNull();
    expect(lossModel([r], false).data[1][1]).toBe(0);
    expect(lossModel([r], true).spec.scales.find((s) => s.key === 'loss')!.log).toBe(true);
  });

  it('overlays compared runs in their colours with a run legend', () => {
    const rs = runs(2, 5);
    rs[1].color = '#D55E00';
    const m = lossModel(rs, true);
    expect(m.spec.series.filter((s) => s.scale === 'loss').map((s) => s.color)).toEqual([
      '#0072B2',
      '#0072B2',
      '#D55E00',
      '#D55E00',
    ]);
    expect(m.legend.slice(0, 2).map((l) => l.label)).toEqual(['run 0', 'run 1']);
  });

  it('omits test series for a run without a test split, and reports emptiness', () => {
    const r = syntheticRun('x', 'x', '#000000', 'healthy', 3);
    expect(lossModel([r], true).empty).toBe(true);
    r.history.push({ step: 0, epoch: 0, loss: 1, accuracy: 0.5, layers: [] });
    const m = lossModel([r], true);
    expect(m.empty).toBe(false);
    expect(m.spec.series.length).toBe(2);
  });

  it('names the loss with its unit and summarises the latest record', () => {
    const rs = runs(1, 6);
    expect(lossAxisLabel(rs)).toBe('BCE loss (nats)');
    expect(lossSubtitle(rs)).toMatch(/^run 0 · step 50 · batches: loss [\d.]+, accuracy [\d.]+%/);
    expect(lossSubtitle(runs(2, 2))).toBe('2 runs compared · up to step 10');
  });
});
