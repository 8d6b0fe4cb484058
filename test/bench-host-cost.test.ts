/**
 * @file The host-cost mode of the benchmark: our engine's steps on Dawn's Null backend (kernels
 * validated, never run) are timed like any rung, and the verdict against TF.js webgpu reads the
 * 8×512 network's figures. No TF.js here: it takes seconds to load.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/bench/args';
import { HOST_TARGET, hostCost, hostCostOptions, hostCostReport, NULL_BACKEND } from '../src/bench/host-cost';
import { runBench } from '../src/bench/ladder';
import { defaultOptions } from '../src/bench/spec';
import { acquireNodeDevice } from '../src/gpu/node-device';
import { results, step } from './fixtures/bench-results';

describe('host cost', () => {
  it('runs only the training ladder, only on the engines that use the adapter', () => {
    const args = parseBenchArgs(['--host-cost', '--rungs', 'xor']);
    expect(args.hostCost).toBe(true);
    const o = hostCostOptions(args.options);
    expect(o.parts).toEqual({ ceiling: false, products: false, training: true });
    expect(o.engines).toEqual(['ours-gpu-stats', 'ours-gpu', 'tfjs-webgpu']);
    expect(o.rungs).toEqual(['xor']);
  });

  it('is met when ours with statistics costs at most 1/20 of TF.js webgpu on the 8×512 network', () => {
    const run = (ours: number, peer: number) =>
      hostCost(
        results([], [step('ours-gpu-stats', HOST_TARGET.rung, ours), step('tfjs-webgpu', HOST_TARGET.rung, peer)]),
      );
    expect(run(0.4, 23).met).toBe(true);
    expect(run(2, 23).met).toBe(false);
    const cost = run(0.5, 10);
    expect(cost.rows.find((r) => r.rung === HOST_TARGET.rung)?.ratio).toBeCloseTo(0.05);
    expect(hostCost(results([], [step('ours-gpu-stats', HOST_TARGET.rung, 1)])).met).toBeNull();
  });

  it("times our engine's steps on the Null backend", async () => {
    const acquired = await acquireNodeDevice(NULL_BACKEND);
    expect(acquired?.adapter).toMatch(/null/i);
    const options = hostCostOptions({
      ...defaultOptions({ quick: true }),
      rungs: ['xor', 'circle'],
      engines: ['ours-gpu', 'ours-gpu-stats'],
      repeats: 2,
      minRepeats: 1,
      targetMs: 5,
      budgetMs: 5000,
    });
    try {
      const env = { clock: performance, gpu: acquired, tf: null, environment: results([], []).environment };
      const r = await runBench(env, options);
      expect(r.products).toEqual([]);
      expect(r.training.map((t) => [t.rung, t.engine, t.status])).toEqual([
        ['xor', 'ours-gpu', 'ok'],
        ['xor', 'ours-gpu-stats', 'ok'],
        ['circle', 'ours-gpu', 'ok'],
        ['circle', 'ours-gpu-stats', 'ok'],
      ]);
      for (const t of r.training) expect(t.msPerStep).toBeGreaterThan(0);
      expect(hostCostReport(r)).toMatch(/target not measured/);
    } finally {
      acquired?.device.destroy();
    }
  });
});
