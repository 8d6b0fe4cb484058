/**
 * @file How the benchmark measures, and that it measures honestly: warm-up outside the clock,
 * repeats interleaved across engines (on a fake clock), the host's settling and a GPU's re-warm
 * untimed, budgets; every GPU workload synchronized with the device before the clock stops, and
 * the same work for every engine of a cell. Also the CPU product workload and the CPU ceiling.
 */
import { describe, expect, it } from 'vitest';
import { dispatchWorkload, fmaKernel } from '../src/bench/ceiling';
import { measureCpuCeiling } from '../src/bench/cpu-ceiling';
import { type MeasureOptions, measureInterleaved, type Workload } from '../src/bench/measure';
import { maxRelError, oursCpuProduct, oursGpuProduct, type ProductWorkload, productCase } from '../src/bench/products';
import { FORMS, RUNGS, rungConfig } from '../src/bench/spec';
import { median, quantile, summarize } from '../src/bench/stats';
import { oursTrainWorkload } from '../src/bench/training';
import type { Clock } from '../src/bench/types';
import { matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { loadDataset } from '../src/core/datasets';
import { PipelineCache } from '../src/gpu/kernel';
import { GpuScope } from '../src/gpu/scope';
import { testDevice } from './gpu-device';
import { expectClose } from './harness';

describe('statistics', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('quantiles interpolate', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
  });

  it('summarize drops the warm-up samples before anything else', () => {
    const s = summarize([500, 90, 10, 11, 12], 2);
    expect(s).toEqual({ median: 11, min: 10, max: 12, mean: 11, n: 3 });
    expect(() => summarize([1, 2], 2)).toThrow(/no samples/);
  });
});

/** A clock that only moves when a fake workload says it worked. */
function fakeClock(): Clock & { t: number } {
  return {
    t: 0,
    now() {
      return this.t;
    },
  };
}

/** A workload costing `first` ms on its first iteration (compilation), `per` ms after, `sync` ms per call. */
function fake(clock: { t: number }, log: string[], name: string, per: number, first = per, sync = 0): Workload {
  let calls = 0;
  return {
    async run(iters) {
      for (let i = 0; i < iters; i++) clock.t += calls++ === 0 ? first : per;
      clock.t += sync;
      log.push(name);
    },
  };
}

const OPTS: MeasureOptions = { repeats: 5, minRepeats: 3, targetMs: 100, budgetMs: 10_000, warmupIters: 2 };

describe('measureInterleaved', () => {
  it('excludes warm-up, batches iterations to the target and reports the steady time', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const out = await measureInterleaved([{ key: 'a', workload: fake(clock, log, 'a', 2, 1000, 1) }], OPTS, clock);
    const o = out.get('a')!;
    expect(o.status).toBe('ok');
    if (o.status !== 'ok') return;
    // The 1000 ms compile is in the warm-up; a repeat of ~50 iterations spreads the 1 ms sync.
    expect(o.summary.median).toBeGreaterThan(2);
    expect(o.summary.median).toBeLessThan(2.1);
    expect(o.iters).toBeGreaterThanOrEqual(45);
    expect(o.samples).toHaveLength(5);
    expect(o.warmupMs).toBeGreaterThanOrEqual(1000);
  });

  it('times repeats round-robin across workloads', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    await measureInterleaved(
      [
        { key: 'a', workload: fake(clock, log, 'a', 1) },
        { key: 'b', workload: fake(clock, log, 'b', 3) },
      ],
      { ...OPTS, repeats: 3 },
      clock,
    );
    // Calibration first (a a a, b b b: warm-up, probe, refined probe), then a b a b a b.
    expect(log.slice(-6)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('lets the host settle (collect garbage) before every timed repeat, untimed', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    // Settling takes (fake) time: none of it may land in a sample.
    const settling = Object.assign(clock, {
      settle() {
        log.push('settle');
        clock.t += 50;
      },
    });
    const out = await measureInterleaved(
      [
        { key: 'a', workload: fake(clock, log, 'a', 1) },
        { key: 'b', workload: fake(clock, log, 'b', 3) },
      ],
      { ...OPTS, repeats: 3 },
      settling,
    );
    expect(log.slice(-12)).toEqual([
      'settle',
      'a',
      'settle',
      'b',
      'settle',
      'a',
      'settle',
      'b',
      'settle',
      'a',
      'settle',
      'b',
    ]);
    const a = out.get('a')!;
    expect(a.status === 'ok' && a.summary.max).toBe(1);
  });

  it('re-warms a workload before each timed repeat, untimed, when it asks to (a GPU idle while other engines ran)', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    let last = '';
    // "gpu" costs 20 ms per iteration, and 100 ms more for the first after another workload ran.
    const gpu: Workload = {
      async run(iters) {
        clock.t += 20 * iters + (last === 'gpu' ? 0 : 100);
        last = 'gpu';
        log.push(`gpu:${iters}`);
      },
    };
    const cpu: Workload = {
      async run(iters) {
        clock.t += 30 * iters;
        last = 'cpu';
        log.push(`cpu:${iters}`);
      },
    };
    const cold = await measureInterleaved(
      [
        { key: 'gpu', workload: gpu },
        { key: 'cpu', workload: cpu },
      ],
      { ...OPTS, repeats: 3 },
      clock,
    );
    expect(cold.get('gpu')).toMatchObject({ status: 'ok', iters: 5, summary: { min: 40 } });
    log.length = 0;
    const warm = await measureInterleaved(
      [
        { key: 'gpu', workload: gpu, rewarmMs: 50 },
        { key: 'cpu', workload: cpu },
      ],
      { ...OPTS, repeats: 3 },
      clock,
    );
    // ceil(50 / 20) = 3 untimed iterations before each 5-iteration window; the wake-up lands in them.
    expect(log.slice(-9)).toEqual(['gpu:3', 'gpu:5', 'cpu:4', 'gpu:3', 'gpu:5', 'cpu:4', 'gpu:3', 'gpu:5', 'cpu:4']);
    expect(warm.get('gpu')).toMatchObject({ status: 'ok', iters: 5, samples: [20, 20, 20] });
  });

  it('skips a workload that cannot fit the minimum repeats into the budget, and one predicted not to', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const out = await measureInterleaved(
      [
        { key: 'slow', workload: fake(clock, log, 'slow', 4000) },
        { key: 'predicted', workload: fake(clock, log, 'predicted', 1), predictedMs: 5000 },
        {
          key: 'boom',
          workload: {
            run: async () => {
              throw new Error('device lost');
            },
          },
        },
      ],
      OPTS,
      clock,
    );
    expect(out.get('slow')).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^measured 4\.0 s per iteration: 3 repeats/),
    });
    expect(out.get('predicted')).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^predicted 5\.0 s per iteration/),
    });
    expect(log).not.toContain('predicted');
    expect(out.get('boom')).toEqual({ status: 'failed', reason: 'device lost' });
  });

  it('keeps the probe as the first repeat of a slow workload; the warm-up is outside the budget', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const out = await measureInterleaved([{ key: 's', workload: fake(clock, log, 's', 1500, 3000) }], OPTS, clock);
    const o = out.get('s')!;
    expect(o.status).toBe('ok');
    if (o.status !== 'ok') return;
    expect(o.iters).toBe(1);
    // Warm-up 3000 + 1500 (not budgeted), then the probe and two more repeats: a repeat of a
    // second or more gets the minimum of 3, though 5 would fit the budget.
    expect(o.samples).toEqual([1500, 1500, 1500]);
    expect(clock.t).toBe(4500 + 1500 * 3);
  });

  it('times all repeats of a slow workload that asks for them, as the budget allows', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const out = await measureInterleaved(
      [{ key: 's', workload: fake(clock, log, 's', 1500, 3000), allRepeats: true }],
      OPTS,
      clock,
    );
    expect(out.get('s')).toMatchObject({ status: 'ok', iters: 1, samples: [1500, 1500, 1500, 1500, 1500] });
    const tight = await measureInterleaved(
      [{ key: 't', workload: fake(clock, log, 't', 3000), allRepeats: true }],
      OPTS,
      clock,
    );
    // 3 s windows: the 10 s budget holds the probe and two more, never fewer than the minimum of 3.
    expect(tight.get('t')).toMatchObject({ status: 'ok', samples: [3000, 3000, 3000] });
  });

  it('shrinks a multi-iteration window towards its floor when the budget needs it', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const out = await measureInterleaved(
      [{ key: 'w', workload: fake(clock, log, 'w', 1000), minIters: 8, minItersFloor: 2 }],
      OPTS,
      clock,
    );
    // 8-iteration windows would take 24 s for 3 repeats; 3 iterations fit the 10 s budget.
    expect(out.get('w')).toMatchObject({ status: 'ok', iters: 3, samples: [1000, 1000, 1000] });
  });

  it('stops on abort', async () => {
    const clock = fakeClock(),
      log: string[] = [];
    const ac = new AbortController();
    ac.abort();
    await expect(
      measureInterleaved([{ key: 'a', workload: fake(clock, log, 'a', 1) }], OPTS, clock, ac.signal),
    ).rejects.toThrow(/cancelled/);
  });
});

describe('workloads', () => {
  it('our CPU product workload computes the product it times, in each form', async () => {
    const [M, N, K] = [9, 13, 5];
    for (const form of ['forward', 'dX', 'dW'] as const) {
      const c = productCase(form, { M, N, K }, 3);
      const { inputs } = c;
      const w = await oursCpuProduct(c);
      try {
        await w.run(2);
        const ref = new Float32Array(M * N);
        if (form === 'forward') matmulBias(M, K, N, inputs.a, inputs.b, inputs.bias, ref);
        else if (form === 'dX') matmulTransB(M, N, K, inputs.a, inputs.b, ref);
        else matmulTransA(K, M, N, inputs.a, inputs.b, ref, null);
        expect(maxRelError(await w.read(), ref), form).toBeLessThan(1e-6);
      } finally {
        w.dispose();
      }
    }
  });

  it('the CPU ceiling is measured on every thread of the CPU engine and on one', async () => {
    const c = await measureCpuCeiling(undefined, 2);
    expect(c.gflops).toBeGreaterThan(0);
    expect(c.oneThread).toBeGreaterThan(0);
    expect(c.threads).toBeGreaterThanOrEqual(1);
  });
});

const dev = await testDevice();

/**
 * Counts the command buffers submitted to `device` and how many of them a synchronization
 * (onSubmittedWorkDone, or a buffer mapped after them) has since waited for.
 */
function syncWatch(device: GPUDevice): { submitted(): number; unsynced(): number; stop(): void } {
  const queue = device.queue;
  const proto = (globalThis as unknown as { GPUBuffer: { prototype: GPUBuffer } }).GPUBuffer.prototype;
  const { submit, onSubmittedWorkDone } = queue;
  const mapAsync = proto.mapAsync;
  let submitted = 0,
    synced = 0;
  const after = <T>(p: Promise<T>): Promise<T> => {
    const upTo = submitted;
    return p.then((v) => {
      synced = Math.max(synced, upTo);
      return v;
    });
  };
  queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    submitted++;
    return submit.call(queue, buffers);
  };
  queue.onSubmittedWorkDone = () => after(onSubmittedWorkDone.call(queue));
  proto.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    return after(mapAsync.apply(this, args));
  };
  return {
    submitted: () => submitted,
    unsynced: () => submitted - synced,
    stop() {
      queue.submit = submit;
      queue.onSubmittedWorkDone = onSubmittedWorkDone;
      proto.mapAsync = mapAsync;
    },
  };
}

describe.skipIf(!dev)('measurements are honest', () => {
  it('a GPU workload returns only once the device finished what it submitted: the clock stops after the work', async () => {
    const device = dev!.device;
    const cache = PipelineCache.for(device);
    const rung = (id: string) => RUNGS.find((r) => r.id === id)!;
    const xor = (await loadDataset(rungConfig(rung('xor'), 1).dataset, 1)).train;
    const circle = (await loadDataset(rungConfig(rung('circle'), 1).dataset, 1)).train;
    const gpu = { backend: 'gpu' as const, ...dev! };
    const workloads: [string, () => Promise<{ run(iters: number): Promise<void>; dispose?(): void }>][] = [
      ...FORMS.map((f): [string, () => Promise<ProductWorkload>] => [
        `product ${f}`,
        () => oursGpuProduct(device, cache, productCase(f, { M: 64, N: 64, K: 64 }, 1)),
      ]),
      ['training xor, no statistics', () => oursTrainWorkload(rung('xor'), xor, gpu, 1e9)],
      ['training circle, statistics every step', () => oursTrainWorkload(rung('circle'), circle, gpu, 1)],
      [
        'ceiling kernel',
        async () => {
          const scope = new GpuScope(device);
          const sink = scope.buffer('sink', 4096 * 4);
          const fma = await cache.get(fmaKernel(1, 1));
          const bound = scope.bind(fma, [sink], [1, 1, 1], { loops: 4, m: 1, c: 0, never: -1 });
          return { run: dispatchWorkload(device, bound), dispose: () => scope.dispose() };
        },
      ],
    ];
    for (const [what, make] of workloads) {
      const w = await make();
      const watch = syncWatch(device);
      try {
        await w.run(5);
        expect(watch.submitted(), what).toBeGreaterThan(0);
        expect(watch.unsynced(), what).toBe(0);
      } finally {
        watch.stop();
        w.dispose?.();
      }
    }
  });

  it('every engine of a training cell takes the same steps: the same network, weights and rows', async () => {
    const rung = RUNGS.find((r) => r.id === 'circle')!;
    const data = (await loadDataset(rungConfig(rung, 1).dataset, 1)).train;
    const gpu = await oursTrainWorkload(rung, data, { backend: 'gpu', ...dev! }, 1e9);
    const cpu = await oursTrainWorkload(rung, data, { backend: 'cpu' }, 1e9);
    try {
      await gpu.run(20);
      await cpu.run(20);
      const [g, c] = [await gpu.engine.weights(), await cpu.engine.weights()];
      g.forEach((layer, l) => {
        expectClose(layer.kernel, c[l].kernel, 1e-5, 1e-4, `layer ${l} kernel`);
        expectClose(layer.bias, c[l].bias, 1e-5, 1e-4, `layer ${l} bias`);
      });
    } finally {
      gpu.dispose();
      cpu.dispose();
    }
  });
});
