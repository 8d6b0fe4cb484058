/**
 * @file The benchmark's flags and a tiny smoke run of the ladder on our CPU engine (and the GPU
 * where an adapter exists) that checks the shape of the results. No TF.js here: it takes seconds
 * to load. How it measures: bench-measure.test.ts; what it reports: bench-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/bench/args';
import { fmaFlops, measureCeiling } from '../src/bench/ceiling';
import { runBench } from '../src/bench/ladder';
import { type BenchOptions, defaultOptions } from '../src/bench/spec';
import { results } from './fixtures/bench-results';
import { testDevice } from './gpu-device';

describe('flags', () => {
  it('quick and max size pick the sizes; bad flags are input errors', () => {
    expect(parseBenchArgs(['--quick']).options.sizes).toEqual([64, 128, 256, 512, 1024]);
    expect(parseBenchArgs(['--max-size', '256']).options.sizes).toEqual([64, 128, 256]);
    expect(parseBenchArgs(['--engines', 'ours-cpu,tfjs-cpu', '--budget=3']).options).toMatchObject({
      engines: ['ours-cpu', 'tfjs-cpu'],
      budgetMs: 3000,
    });
    expect(() => parseBenchArgs(['--engines', 'torch'])).toThrow(/unknown "torch"/);
    expect(() => parseBenchArgs(['--max-size'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown flag/);
  });
});

const dev = await testDevice();

/** The smallest ladder: one product size, the XOR network, one repeat. */
function tinyOptions(engines: BenchOptions['engines']): BenchOptions {
  return {
    ...defaultOptions({ quick: true }),
    parts: { ceiling: false, products: true, training: true },
    sizes: [32],
    rungs: ['xor'],
    engines,
    repeats: 1,
    minRepeats: 1,
    targetMs: 5,
    budgetMs: 5000,
  };
}

describe('ladder smoke run', () => {
  it('CPU engine: one result per form and per rung, with timings', async () => {
    const env = { clock: performance, gpu: null, tf: null, environment: results([], []).environment };
    const r = await runBench(env, tinyOptions(['ours-cpu', 'ours-gpu']));
    expect(r.products).toHaveLength(6);
    for (const p of r.products.filter((x) => x.engine === 'ours-cpu')) {
      expect(p).toMatchObject({ status: 'ok', size: 32, flops: 2 * 32 ** 3, method: expect.any(String) });
      expect(p.timing!.median).toBeGreaterThan(0);
      expect(p.timing!.samples).toHaveLength(1);
    }
    expect(
      r.products
        .filter((x) => x.engine === 'ours-gpu')
        .every((p) => p.status === 'skipped' && p.reason === 'no WebGPU adapter'),
    ).toBe(true);
    expect(r.training).toEqual([
      expect.objectContaining({ rung: 'xor', engine: 'ours-gpu', status: 'skipped' }),
      expect.objectContaining({
        rung: 'xor',
        engine: 'ours-cpu',
        status: 'ok',
        batch: 4,
        msPerStep: expect.any(Number),
        samplesPerSec: expect.any(Number),
      }),
    ]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it.skipIf(!dev)(
    'GPU engine: products agree with the CPU reference, steps are timed, dispatches counted',
    async () => {
      const env = { clock: performance, gpu: dev!, tf: null, environment: results([], []).environment };
      const r = await runBench(env, tinyOptions(['ours-cpu', 'ours-gpu', 'ours-gpu-stats']));
      for (const p of r.products.filter((x) => x.engine === 'ours-gpu')) {
        expect(p.status, p.reason).toBe('ok');
        expect(p.maxRelErrorVsCpu).toBeLessThan(1e-4);
      }
      const gpu = r.training.find((t) => t.engine === 'ours-gpu')!,
        stats = r.training.find((t) => t.engine === 'ours-gpu-stats')!;
      expect(gpu.status, gpu.reason).toBe('ok');
      expect(stats.status, stats.reason).toBe('ok');
      expect(gpu.timing!.iters).toBeGreaterThanOrEqual(8);
      // Both timed in windows of several steps: the end-of-window sync must weigh alike on both.
      expect(stats.timing!.iters).toBeGreaterThanOrEqual(8);
      expect(gpu.dispatchesPerStep).toBeGreaterThan(0);
      expect(stats.dispatchesPerStep!).toBeGreaterThan(gpu.dispatchesPerStep!);
    },
  );

  it.skipIf(!dev)("GPU engine: target 1's cells (1024³) are measured again at the end of the run", async () => {
    const env = { clock: performance, gpu: dev!, tf: null, environment: results([], []).environment };
    const r = await runBench(env, {
      ...tinyOptions(['ours-gpu']),
      sizes: [1024],
      parts: { ceiling: false, products: true, training: false },
    });
    expect(r.products.map((p) => [p.form, p.status, p.again?.repeats])).toEqual([
      ['forward', 'ok', 1],
      ['dX', 'ok', 1],
      ['dW', 'ok', 1],
    ]);
    for (const p of r.products) expect(p.again!.median).toBeGreaterThan(0);
  });

  it.skipIf(!dev)('ceiling kernel runs and reports GFLOP/s', async () => {
    const c = await measureCeiling(
      dev!.device,
      performance,
      { repeats: 1, minRepeats: 1, targetMs: 2, budgetMs: 5000, warmupIters: 1 },
      undefined,
      { groups: 4, loops: 16, variants: [{ width: 4, chains: 2 }] },
    );
    expect(c.variants).toHaveLength(1);
    expect(c.gflops).toBeGreaterThan(0);
    expect(c.dispatchUs).toBeGreaterThan(0);
    expect(fmaFlops(2, 16, 4, 4)).toBe(4 * 64 * 16 * 2 * 4 * 2);
  });
});
