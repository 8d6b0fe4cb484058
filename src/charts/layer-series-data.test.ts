import { describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { LAYER_SERIES } from '../train/history';
import { depthLegend, layerSeriesModel, MAX_LAYER_LEGEND, SERIES_INFO } from './layer-series-data';
import { layerColor } from './palette';

function run(layers: number, records: number) {
  const r = syntheticRun('a', 'tanh', '#0072B2', 'vanishing', layers);
  for (let s = 0; s < records; s++) pushSynthetic(r, s * 10);
  return r;
}

describe('layerSeriesModel', () => {
  it('has one column per layer aligned with step, coloured by depth', () => {
    const m = layerSeriesModel(run(5, 8), 'act_std', true);
    expect(m.data.length).toBe(6);
    for (const c of m.data) expect(c.length).toBe(8);
    expect(m.spec.series.map((s) => s.color)).toEqual([0, 1, 2, 3, 4].map((l) => layerColor(l, 5)));
    expect(m.spec.series[4].label).toBe('L5 (out) sigmoid');
  });

  it('puts norms on log axes with negative values dropped and zeros on a floor marked 0, fractions on a 0–100 % axis', () => {
    const r = run(3, 4);
    r.history.layers[1].grad_std[2] = 0;
    r.history.layers[1].grad_std[3] = -1;
    const m = layerSeriesModel(r, 'grad_std', true);
    expect(m.spec.scales[1].log).toBe(true);
    const floor = m.spec.scales[1].zeroAt!;
    // A decade below the smallest positive value's decade.
    const least = Math.min(...r.history.layers.flatMap((L) => L.grad_std.filter((v) => v > 0)));
    expect(floor).toBe(10 ** (Math.floor(Math.log10(least)) - 1));
    expect(m.data[2][2]).toBe(floor);
    expect(m.data[2][3]).toBeNull();
    expect(layerSeriesModel(run(3, 4), 'grad_std', true).spec.scales[1].zeroAt).toBeUndefined();
    const f = layerSeriesModel(r, 'zero_frac', true);
    expect(f.spec.scales[1]).toEqual({ key: 'y', log: false, range: [0, 1] });
    expect(f.spec.axes[1].format).toBe('percent');
    expect(layerSeriesModel(r, 'grad_std', false).data[2][2]).toBe(0);
  });

  it('describes every series with a log choice', () => {
    for (const s of LAYER_SERIES) expect(SERIES_INFO[s].axis.length).toBeGreaterThan(3);
    for (const s of ['kernel_grad_norm', 'update_ratio', 'grad_std'] as const) expect(SERIES_INFO[s].log).toBe(true);
    for (const s of ['act_mean', 'zero_frac', 'saturated_frac'] as const) expect(SERIES_INFO[s].log).toBe(false);
  });

  it('says which run it shows in compare mode and waits without data', () => {
    expect(layerSeriesModel(run(3, 2), 'act_std', true, 3).subtitle).toMatch(/1 of 3 runs/);
    expect(layerSeriesModel(undefined, 'act_std', true).empty).toBe(true);
  });

  it('switches the legend to a ramp for deep nets', () => {
    expect(depthLegend(run(MAX_LAYER_LEGEND, 1), MAX_LAYER_LEGEND).legend.length).toBe(MAX_LAYER_LEGEND);
    const deep = depthLegend(run(30, 1), 30);
    expect(deep.legend).toEqual([]);
    expect(deep.ramp!.to).toBe('layer 30 (out)');
  });
});
