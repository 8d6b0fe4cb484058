/**
 * @file The benchmark's own logic: statistics and warm-up handling, the interleaved timing loop
 * (on a fake clock), the SVG chart writer, the targets evaluation, the flag parser, and a tiny
 * smoke run of the ladder on our CPU engine (and the GPU where an adapter exists) that checks
 * the shape of the results. No TF.js here: it takes seconds to load.
 */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/bench/args';
import { fmaFlops, measureCeiling } from '../src/bench/ceiling';
import { measureCpuCeiling } from '../src/bench/cpu-ceiling';
import { cpuTargets } from '../src/bench/cpu-targets';
import { runBench } from '../src/bench/ladder';
import { type Clock, type MeasureOptions, measureInterleaved, type Workload } from '../src/bench/measure';
import { maxRelError, oursCpuProduct, productInputs } from '../src/bench/products';
import {
  chartColumns,
  charts,
  crossover,
  extractHistory,
  markdownReport,
  serializeResults,
  toCsv,
} from '../src/bench/report';
import { type BenchOptions, defaultOptions, layersLabel, RUNGS, stepFlops } from '../src/bench/spec';
import { median, pairedShare, quantile, summarize } from '../src/bench/stats';
import { escapeXml, lineChartSvg, logTicks, scaleValue } from '../src/bench/svg';
import { evaluateTargets, fastestCheck } from '../src/bench/targets';
import type { BenchResults, ProductMeasurement, TrainMeasurement } from '../src/bench/types';
import { matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { testDevice } from './gpu-device';

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

/** Well-formedness: every tag closes in order (enough for our generated SVG: no CDATA, no comments). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('SVG line chart', () => {
  const svg = lineChartSvg({
    title: 'ms vs n <&>',
    xLabel: 'n',
    yLabel: 'ms',
    xLog: true,
    yLog: true,
    xTicks: [64, 128, 256],
    series: [
      {
        label: 'a',
        color: '#000',
        points: [
          [64, 1],
          [128, 10],
          [256, 100],
        ],
      },
      {
        label: 'b "gap"',
        color: '#f00',
        points: [
          [64, 2],
          [128, NaN],
          [256, 0],
        ],
        dash: true,
      },
    ],
    hlines: [{ y: 1, label: 'one' }],
  });

  it('is one well-formed svg element with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('ms vs n &lt;&amp;&gt;');
    expect(svg).toContain('b &quot;gap&quot;');
    expect(escapeXml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });

  it('puts decades at equal distances on a log axis', () => {
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" data-v="(\d+(?:\.\d+)?)">/g)]
      .filter((m) => ['1', '10', '100'].includes(m[2]))
      .map((m) => Number(m[1]));
    expect(ys).toHaveLength(3);
    expect(Math.abs(ys[0] - ys[1] - (ys[1] - ys[2]))).toBeLessThan(0.2);
    expect(scaleValue(10, 1, 100, 0, 200, true)).toBeCloseTo(100);
    expect(scaleValue(10, 0, 100, 0, 200, false)).toBeCloseTo(20);
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(1, 10)).toEqual([1, 2, 5, 10]);
  });

  it('leaves a gap for points a log axis cannot show', () => {
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(2);
    expect(paths[1].match(/[ML]/g)).toEqual(['M']);
  });
});

const timing = (ms: number) => ({
  median: ms,
  min: ms,
  max: ms,
  repeats: 3,
  iters: 1,
  samples: [ms, ms, ms],
  warmupMs: 0,
});

function product(
  engine: ProductMeasurement['engine'],
  form: ProductMeasurement['form'],
  size: number,
  ms: number | null,
): ProductMeasurement {
  const flops = 2 * size ** 3;
  return ms === null
    ? { form, size, shape: { M: size, N: size, K: size }, engine, flops, status: 'skipped', reason: 'budget' }
    : {
        form,
        size,
        shape: { M: size, N: size, K: size },
        engine,
        flops,
        status: 'ok',
        timing: timing(ms),
        gflops: flops / (ms * 1e6),
        method: 'k',
      };
}

function step(engine: TrainMeasurement['engine'], rung: string, ms: number | null): TrainMeasurement {
  return ms === null
    ? { rung, engine, batch: 4, flopsPerStep: 1e6, status: 'skipped', reason: 'budget' }
    : {
        rung,
        engine,
        batch: 4,
        flopsPerStep: 1e6,
        status: 'ok',
        timing: timing(ms),
        msPerStep: ms,
        stepsPerSec: 1000 / ms,
        samplesPerSec: 4000 / ms,
      };
}

function results(products: ProductMeasurement[], training: TrainMeasurement[], ceiling = 100): BenchResults {
  return {
    schema: 1,
    date: '2025-01-01T00:00:00.000Z',
    durationS: 60,
    options: { repeats: 3, targetMs: 100, budgetMs: 1000 },
    environment: {
      runtime: 'test',
      machine: { cpu: 'cpu', cores: 2 },
      adapter: 'a',
      tfjsAdapter: 'a',
      driver: 'd',
      tfjsVersion: null,
      tfjsBackends: [],
    },
    ceiling: { gflops: ceiling, variants: [] },
    products,
    training,
    notes: [],
    rungs: RUNGS.map((r) => ({
      id: r.id,
      label: r.label,
      layers: layersLabel(r),
      batch: r.batch,
      loss: r.loss,
      params: 0,
      flopsPerStep: stepFlops(r),
    })),
  };
}

describe('targets', () => {
  it("the CPU engine's targets: the 8×512 step, the 1024³ products against TF.js wasm and the CPU ceiling, the tiny networks", () => {
    // 2·1024³ FLOPs = 2.147 GFLOP: 40 ms is 54 GFLOP/s, 25% of a 200 GFLOP/s ceiling is 43 ms.
    const r = results(
      [
        product('ours-cpu', 'forward', 1024, 40),
        product('ours-cpu', 'dX', 1024, 42),
        product('ours-cpu', 'dW', 1024, 60),
        product('tfjs-wasm', 'forward', 1024, 50),
      ],
      [
        step('ours-cpu', 'mnist-8x512', 100),
        step('ts-cpu', 'mnist-8x512', 600),
        step('tfjs-wasm', 'mnist-8x512', 900),
        step('ours-cpu', 'xor', 0.003),
        step('ts-cpu', 'xor', 0.004),
        step('ours-cpu', 'circle', 0.08),
        step('ts-cpu', 'circle', 0.07),
      ],
    );
    r.cpuCeiling = { gflops: 200, threads: 2, oneThread: 100 };
    const [stepT, products, tiny] = cpuTargets(r);
    expect(stepT.status).toBe('missed');
    expect(stepT.details).toEqual([
      'ours 100 ms vs the TypeScript engine 600 ms per step: 6.00×',
      'ours 100 ms vs TF.js wasm 900 ms per step: 9.00×, missed (needs 1.11× more)',
    ]);
    expect(products.status).toBe('missed');
    expect(products.details[0]).toMatch(
      /^forward: 40\.00 ms, 53\.7 GFLOP\/s; 1\.25× faster than TF\.js wasm's forward \(50\.00 ms\); 27% of/,
    );
    expect(products.details[2]).toMatch(
      /^dW: 60\.00 ms, .*missed, 1\.20× slower than .*18% of .*: missed, needs 1\.40× more$/,
    );
    expect(tiny.status).toBe('missed');
    expect(tiny.details[1]).toBe(
      'circle: ours 0.080 ms vs the TypeScript engine 0.070 ms per step: missed, 1.14× slower',
    );
    r.training = r.training.map((t) => (t.engine === 'tfjs-wasm' ? step('tfjs-wasm', 'mnist-8x512', 1000) : t));
    expect(cpuTargets(r)[0].status).toBe('met');
  });

  // 2·1024³ FLOPs = 2.147 GFLOP: 20 ms is 107 GFLOP/s, 40 ms is 54 GFLOP/s.
  it('target 1 is met only when every form beats TF.js 2× and reaches half the ceiling', () => {
    const met = results(
      ['forward', 'dX', 'dW'].flatMap((f) => [
        product('ours-gpu', f as 'dX', 1024, 20),
        product('tfjs-webgpu', f as 'dX', 1024, 45),
      ]),
      [],
      200,
    );
    expect(evaluateTargets(met)[0].status).toBe('met');
    const slowDw = results(
      [
        product('ours-gpu', 'forward', 1024, 20),
        product('tfjs-webgpu', 'forward', 1024, 45),
        product('ours-gpu', 'dW', 1024, 40),
        product('tfjs-webgpu', 'dW', 1024, 45),
      ],
      [],
      200,
    );
    const t = evaluateTargets(slowDw)[0];
    expect(t.status).toBe('missed');
    expect(t.details.find((d) => d.startsWith('dW'))).toMatch(
      /1\.13× TF\.js webgpu .*missed, needs 1\.78× more.*27% of the 200\.0 GFLOP\/s ceiling: missed/,
    );
    expect(evaluateTargets(results([], []))[0].status).toBe('not measured');
  });

  it("target 1 reads the faster of a cell's two medians against the ceiling, the ladder's against TF.js", () => {
    // 30 ms is 36% of a 200 GFLOP/s ceiling, 20 ms 54%.
    const cells = (again: number) =>
      results(
        [
          { ...product('ours-gpu', 'forward', 1024, 30), again: timing(again) },
          product('tfjs-webgpu', 'forward', 1024, 100),
        ],
        [],
        200,
      );
    const t = evaluateTargets(cells(20))[0];
    expect(t.status).toBe('met where measured');
    expect(t.details[0]).toMatch(
      /^forward \(k\): 30\.00 ms, 71\.6 GFLOP\/s; 3\.33× TF\.js webgpu \(100 ms\); 54% of the 200\.0 GFLOP\/s ceiling \(measured again at the end of the run: 20\.00 ms; the faster taken\)$/,
    );
    expect(t.why[0]).toBe(
      "the two readings of a cell, minutes apart, differ: forward 30.00 and 20.00 ms (50% apart). The same kernel on the same inputs: the machine's speed changed between them (other work)",
    );
    expect(evaluateTargets(cells(28))[0].why.some((w) => w.startsWith('the two readings'))).toBe(false);
    const slower = evaluateTargets(cells(50))[0];
    expect(slower.status).toBe('missed');
    expect(slower.details[0]).toMatch(
      /36% of the 200\.0 GFLOP\/s ceiling \(measured again at the end of the run: 50\.00 ms; the faster taken\): missed, needs 1\.40× more$/,
    );
  });

  it('target 2 checks the speed-up with statistics and their share of the step', () => {
    const r = results(
      [],
      [
        step('ours-gpu-stats', 'mnist-8x512', 110),
        step('ours-gpu', 'mnist-8x512', 100),
        step('tfjs-webgpu', 'mnist-8x512', 400),
      ],
    );
    const t = evaluateTargets(r)[1];
    expect(t.status).toBe('met');
    expect(t.details[1]).toMatch(
      /^statistics: 9\.1% of the step, paired by round .*; 110 ms with vs 100 ms without by medians \(ratio 1\.10\), 9\.1%/,
    );
    const r2 = results(
      [],
      [
        step('ours-gpu-stats', 'mnist-8x512', 150),
        step('ours-gpu', 'mnist-8x512', 100),
        step('tfjs-webgpu', 'mnist-8x512', 600),
      ],
    );
    expect(evaluateTargets(r2)[1].status).toBe('missed');
  });

  it('target 2 pairs the statistics share by round: bursts of other work that slow both engines of a round cancel', () => {
    // Rounds 2 and 4 slowed both engines, round 5 only the run with statistics.
    const withS = [110, 160, 110, 165, 160],
      without = [100, 145, 100, 150, 100];
    expect(pairedShare(withS, without)).toBeCloseTo(10 / 110, 6);
    expect(pairedShare(withS, without.slice(1))).toBeUndefined();
    const mk = (engine: TrainMeasurement['engine'], xs: number[]) => {
      const m = step(engine, 'mnist-8x512', median(xs));
      return { ...m, timing: { ...m.timing!, samples: xs, repeats: xs.length, min: Math.min(...xs) } };
    };
    const t = evaluateTargets(
      results([], [mk('ours-gpu-stats', withS), mk('ours-gpu', without), step('tfjs-webgpu', 'mnist-8x512', 800)]),
    )[1];
    expect(t.status).toBe('met');
    expect(t.details[1]).toMatch(/^statistics: 9\.1% of the step, paired by round.* by medians \(ratio 1\.60\), 38%/);
  });

  it('target 3 allows the GPU up to 2× the CPU time on the tiny networks; target 4 needs every rung', () => {
    const r = results(
      [],
      [
        step('ours-gpu', 'xor', 0.2),
        step('ours-cpu', 'xor', 0.1),
        step('ours-gpu', 'circle', 0.5),
        step('ours-cpu', 'circle', 0.2),
        step('ours-cpu', 'xor', 0.1),
        step('tfjs-cpu', 'xor', 1),
        step('ours-cpu', 'mnist-128', 10),
        step('tfjs-cpu', 'mnist-128', 9),
      ],
    );
    const [, , t3, t4] = evaluateTargets(r);
    expect(t3.status).toBe('missed');
    expect(t3.details[0]).toMatch(/xor: .*GPU 2\.00× slower$/);
    expect(t3.details[1]).toMatch(/missed, needs 1\.25× less GPU time/);
    expect(t4.status).toBe('missed');
    const r4 = results(
      [],
      [
        step('ours-cpu', 'xor', 0.1),
        step('tfjs-cpu', 'xor', 1),
        step('ours-cpu', 'circle', null),
        step('tfjs-cpu', 'circle', 1),
      ],
    );
    expect(evaluateTargets(r4)[3].status).toBe('met where measured');
  });

  it('"fastest in the table" takes the faster of ours per cell, ignores cells without a peer and names the cells a peer wins', () => {
    const r = results(
      [
        product('ours-gpu', 'forward', 64, 0.08),
        product('ours-cpu', 'forward', 64, 0.5),
        product('tfjs-wasm', 'forward', 64, 0.03),
        product('ours-gpu', 'dW', 64, 0.05),
        product('tfjs-wasm', 'dW', 64, 0.2),
        product('ours-gpu', 'dX', 64, 0.05),
      ],
      [
        step('ours-gpu', 'xor', 0.2),
        step('ours-cpu', 'xor', 0.01),
        step('tfjs-cpu', 'xor', 0.4),
        step('ours-gpu-stats', 'mnist-128', 1),
        step('tfjs-webgpu', 'mnist-128', 2),
      ],
    );
    r.ceiling!.dispatchUs = 40;
    r.products[0].dispatches = 2;
    const f = fastestCheck(r);
    expect(f.status).toBe('missed');
    expect(f.details).toEqual([
      'ours fastest in 2 of 3 cells with a peer measured; a peer is faster in:',
      "forward 64³: TF.js wasm 0.030 ms, ours GPU 0.080 ms (2.67× slower); our GPU's 2 dispatches would take 0.080 ms empty (40 µs each on this adapter)",
    ]);
    // Where a peer was not measured the cell counts for nothing; our GPU with statistics is not ours' entry.
    expect(
      fastestCheck(
        results([product('ours-gpu', 'dX', 64, 1)], [step('ours-gpu-stats', 'xor', 1), step('tfjs-cpu', 'xor', 2)]),
      ).status,
    ).toBe('not measured');
  });
});

describe('report', () => {
  const r = results(
    [
      product('ours-gpu', 'forward', 64, 0.5),
      product('ours-cpu', 'forward', 64, 0.2),
      product('ours-gpu', 'forward', 128, 1),
      product('ours-cpu', 'forward', 128, 2),
      product('ours-cpu', 'forward', 256, null),
      product('ours-gpu', 'forward', 256, 3),
    ],
    [step('ours-gpu', 'xor', 1), step('ours-cpu', 'xor', 0.1)],
  );

  it('finds the GPU/CPU crossover, counting a CPU too slow to measure as beaten', () => {
    expect(crossover(r).products.forward).toBe(128);
    expect(crossover(r).training).toBeNull();
  });

  it('keeps the History section of the previous report and starts one with the baseline', () => {
    const first = markdownReport(r, null);
    expect(first).toMatch(/## History\n\n.*\n\n- 2025-01-01, baseline/);
    const edited = `${first.replace(/\n$/, '')}\n- 2025-01-02, vec8 tiles: forward 1024³ 2× faster.\n`;
    const again = markdownReport(r, extractHistory(edited));
    expect(again).toContain('- 2025-01-02, vec8 tiles');
    expect(again.match(/## History/g)).toHaveLength(1);
  });

  it('charts, columns and CSV carry every engine measured', () => {
    const files = charts(r).map((c) => c.file);
    expect(files).toEqual(expect.arrayContaining(['product-forward.svg', 'training.svg', 'crossover.svg']));
    const cols = chartColumns(r, 'forward');
    expect(cols.x).toEqual([64, 128, 256]);
    expect(cols.series.find((s) => s.engine === 'ours-cpu')!.y).toEqual([0.2, 2, null]);
    expect(toCsv(r).split('\n')[0]).toMatch(/^kind,cell,/);
  });
});

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

describe('workloads', () => {
  it('our CPU product workload computes the product it times, in each form', async () => {
    const [M, N, K] = [9, 13, 5];
    for (const form of ['forward', 'dX', 'dW'] as const) {
      const inputs = productInputs(form, M, N, K, 3);
      const w = await oursCpuProduct(form, M, N, K, inputs);
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

describe('results.json', () => {
  it('is valid JSON with the same structure, numbers to 4 significant digits, one measurement per line', () => {
    const r = results([product('ours-gpu', 'forward', 64, 0.123456789)], [step('ours-cpu', 'xor', 1 / 3)]);
    const text = serializeResults(r);
    const back = JSON.parse(text) as BenchResults;
    expect(back.products[0].timing!.median).toBe(0.1235);
    expect(back.training[0].msPerStep).toBe(0.3333);
    expect(back.rungs).toHaveLength(r.rungs.length);
    expect(text.split('\n').filter((l) => l.includes('"engine"'))).toHaveLength(2);
  });
});
