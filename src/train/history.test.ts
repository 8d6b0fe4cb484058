import { describe, expect, it } from 'vitest';
import type { LayerStats } from '../core/stats';
import { TrainingHistory } from './history';

const rec = (step: number) => ({
  step,
  epoch: 0,
  loss: 1 / (step + 1),
  accuracy: 0.5,
  layers: [{ act_std: step } as unknown as LayerStats],
});

describe('TrainingHistory', () => {
  it('keeps columns aligned and bounded, decimating evenly over the whole run', () => {
    const h = new TrainingHistory(100);
    for (let s = 0; s < 1000; s++) h.push(rec(s));
    expect(h.step.length).toBeLessThan(100);
    expect(h.step.length).toBeGreaterThan(40);
    expect(h.layers[0].act_std).toEqual(h.step);
    expect(h.step[0]).toBe(0);
    const gaps = h.step.slice(1).map((s, i) => s - h.step[i]);
    expect(new Set(gaps).size).toBe(1); // evenly spaced
    expect(h.latest!.step).toBe(999);
    expect(h.initial!.step).toBe(0);
  });
});
