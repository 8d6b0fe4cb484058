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
    expect((err as Error).message).toMatch(
      /^layers need about \d+\.\d MiB in all, more than the CPU backend allows \(2048\.0 MiB\)$/,
    );
    expect(CPU_BUDGET_BYTES).toBe(2 * 1024 ** 3);
  });
});
