/**
 * The Benchmark page's measurements: "Race this network" (the playground's network on each
 * backend, statistics on and off) and where the GPU starts to win on the quick ladder. Real
 * engines (the CPU reference) and real timing; the numbers are checked for what they mean, never
 * for how fast they are.
 */
import { describe, expect, it } from 'vitest';
import { crossover, crossoverAt, quickLadderOptions, quickLadderSeconds } from '../src/bench/crossover';
import { type MakeEngine, raceCsv, raceNetwork } from '../src/bench/race';
import { RUNGS, rungInfo } from '../src/bench/spec';
import type { BenchResults, ProductMeasurement } from '../src/bench/types';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import type { RunConfig } from '../src/core/types';
import { XOR_LESSON } from '../src/core/xor-lesson';
import { CpuEngine } from '../src/train/cpu-engine';

const clock = { now: () => performance.now() };
const circle = parseConfig({
  ...XOR_LESSON,
  dataset: { name: 'circle', samples: 200 },
  batch_size: 16,
  log_every: 5,
});

/** The CPU reference engine, counting what was built and what was released. */
function counting() {
  const built: RunConfig[] = [];
  let disposed = 0;
  const make: MakeEngine = async (cfg, data, opts) => {
    opts.signal?.throwIfAborted();
    built.push(cfg);
    const e = new CpuEngine(cfg, data);
    const dispose = e.dispose.bind(e);
    e.dispose = () => {
      disposed++;
      dispose();
    };
    return e;
  };
  return { make, built, disposed: () => disposed };
}

describe('race this network', () => {
  it('times each backend with statistics as the playground records them and without, and releases every engine', async () => {
    const data = (await loadDataset(circle.dataset, circle.seed)).train;
    const c = counting();
    const progress: number[] = [];
    const rows = await raceNetwork(
      circle,
      data,
      [
        { backend: 'gpu', unavailable: 'no WebGPU adapter' },
        { backend: 'cpu', opts: { backend: 'cpu' } },
      ],
      c.make,
      { clock, seconds: 0.3, onProgress: (p) => progress.push(p.done / p.total) },
    );
    expect(rows.map((r) => [r.backend, r.statistics, r.status])).toEqual([
      ['gpu', true, 'skipped'],
      ['gpu', false, 'skipped'],
      ['cpu', true, 'ok'],
      ['cpu', false, 'ok'],
    ]);
    expect(rows[0].reason).toBe('no WebGPU adapter');
    // The network raced is the playground's, its statistics every log_every steps or never inside a window.
    expect(c.built.map((cfg) => [cfg.layers, cfg.batch_size, cfg.log_every > 1e6 ? 'off' : cfg.log_every])).toEqual([
      [circle.layers, 16, 5],
      [circle.layers, 16, 'off'],
    ]);
    for (const r of rows.slice(2)) {
      expect(r.stepsPerSec! * r.msPerStep!).toBeCloseTo(1000, 6);
      expect(r.samplesPerSec).toBeCloseTo(r.stepsPerSec! * 16, 6);
    }
    expect(c.disposed()).toBe(2);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
    const csv = raceCsv(rows).split('\n');
    expect(csv[0]).toBe('backend,statistics,status,ms_per_step,steps_per_s,samples_per_s,reason');
    expect(csv[1]).toBe('gpu,every log_every steps,skipped,,,,no WebGPU adapter');
    expect(Number(csv[3].split(',')[4])).toBe(rows[2].stepsPerSec);
  });

  it('stops at once when cancelled, and releases what it built', async () => {
    const data = (await loadDataset(circle.dataset, circle.seed)).train;
    const c = counting();
    const abort = new AbortController();
    const race = raceNetwork(circle, data, [{ backend: 'cpu', opts: { backend: 'cpu' } }], c.make, {
      clock,
      seconds: 30,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.label.startsWith('timing')) abort.abort();
      },
    });
    await expect(race).rejects.toMatchObject({ name: 'AbortError' });
    expect(c.disposed()).toBe(c.built.length);
  });
});

describe('where the GPU starts to win', () => {
  it('finds the first size from which the GPU stays faster', () => {
    expect(crossoverAt([1, 2, 3, 4], [5, 3, 1, 1], [2, 2, 2, 2])).toBe(3);
    // Faster once, then slower again: not a crossover.
    expect(crossoverAt([1, 2, 3], [1, 3, 3], [2, 2, 2])).toBeNull();
    // A size measured by one backend only is passed over.
    expect(crossoverAt([1, 2, 3], [3, null, 1], [2, 1, null])).toBeNull();
    expect(crossoverAt([1, 2, 3], [3, null, 1], [2, 1, 2])).toBe(3);
  });

  it('says in words where the GPU wins on a run, product and training alike', () => {
    const product = (size: number, engine: 'ours-gpu' | 'ours-cpu', median: number): ProductMeasurement =>
      ({ form: 'forward', size, engine, status: 'ok', timing: { median } }) as ProductMeasurement;
    const o = quickLadderOptions(1024, false);
    const results = {
      products: [64, 128, 256].flatMap((n, i) => [product(n, 'ours-gpu', [2, 1.5, 1][i]), product(n, 'ours-cpu', 1.2)]),
      training: [],
      rungs: o.rungs.map((id) => rungInfo(RUNGS.find((r) => r.id === id)!)),
    } as unknown as BenchResults;
    expect(crossover(results, 'forward')).toEqual({
      x: 256,
      text: 'In these products our GPU engine is faster than our CPU engine from the 256×256×256 product on.',
    });
    expect(crossover(results, 'training')).toBeNull();
    // The quick ladder: our two engines, the forward product up to 1024³, the networks up to 8×512.
    expect([o.engines, o.forms, o.sizes, o.rungs]).toEqual([
      ['ours-gpu', 'ours-cpu'],
      ['forward'],
      [64, 128, 256, 512, 1024],
      ['xor', 'circle', 'mnist-128', 'mnist-8x512'],
    ]);
    expect(quickLadderSeconds(o, true)).toBeGreaterThan(quickLadderSeconds(o, false));
  });
});
