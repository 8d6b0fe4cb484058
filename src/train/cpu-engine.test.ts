import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { ConfigError } from '../core/errors';
import { CPU_BUDGET_BYTES, CpuEngine } from './cpu-engine';

describe('CpuEngine', () => {
  it('refuses a model beyond its memory budget before allocating, naming the field', () => {
    const units = 20_000; // 20k × 20k kernel: 1.6 GB per copy, five copies
    const cfg = parseConfig({
      dataset: { name: 'random', dim: units, samples: 2, classes: 2 },
      layers: [{ units }, { units: 1, activation: 'sigmoid' }],
    });
    const data = {
      name: 'random' as const,
      x: new Float32Array(0),
      labels: new Uint32Array(2),
      n: 2,
      inputDim: units,
      classes: 2,
    };
    let err: unknown;
    try {
      new CpuEngine(cfg, data);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    // The message names what the model needs and what the backend allows, whatever that is.
    const [needs, allows] = [...(err as Error).message.matchAll(/(\d+\.\d) MiB/g)].map((m) => Number(m[1]));
    expect((err as Error).message).toMatch(
      /^layers need about .* MiB in all, more than the CPU backend allows \(.* MiB\)$/,
    );
    expect(needs).toBeGreaterThan(allows);
    expect(allows).toBeCloseTo(CPU_BUDGET_BYTES / 2 ** 20, 1);
  });
});
