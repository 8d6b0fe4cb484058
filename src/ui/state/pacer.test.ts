/** @file The pacer finds k for a fast GPU, a slow software adapter, and noisy timings. */
import { describe, expect, it } from 'vitest';
import { MAX_MS, StepPacer, TARGET_MS } from './pacer';

function drive(overhead: number, perStep: number, calls = 60, noise = () => 0): StepPacer {
  const p = new StepPacer();
  for (let i = 0; i < calls; i++) p.observe(p.k, overhead + perStep * p.k + noise());
  return p;
}

describe('StepPacer', () => {
  it('aims at the target call time when the overhead is small', () => {
    const p = drive(1, 0.05);
    expect(1 + 0.05 * p.k).toBeGreaterThan(TARGET_MS * 0.8);
    expect(1 + 0.05 * p.k).toBeLessThan(TARGET_MS * 1.2);
  });

  it('keeps at least half of each call for training when the overhead is large', () => {
    const p = drive(35, 3);
    expect(3 * p.k).toBeGreaterThanOrEqual(35 * 0.8);
    expect(35 + 3 * p.k).toBeLessThanOrEqual(MAX_MS);
  });

  it('stays at one step when a single step exceeds the target', () => {
    expect(drive(0, 500).k).toBe(1);
  });

  it('settles under noise instead of collapsing to one step', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 40;
    };
    expect(drive(35, 3, 200, rand).k).toBeGreaterThan(6);
  });
});
