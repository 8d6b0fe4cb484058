/**
 * @file The product tuner: it keeps the fastest variant of those it timed, for every shape;
 * keeps its choices per adapter and kernel version and reuses them without timing again; times
 * again what a cache of another version, a corrupt cache or a choice this device cannot run
 * offers; reports progress and can be cancelled. Its Node store: the user's cache folder.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineCache } from '../src/gpu/kernel';
import { STATS_CHUNKS } from '../src/gpu/kernels';
import { matmulPlan, PRODUCT_KERNELS_VERSION, productCapsOf, productVariants } from '../src/gpu/products';
import type { Batch, TrialTimer } from '../src/gpu/trial-timer';
import { timeShape } from '../src/gpu/trials';
import { memoryStore, type TuneStore } from '../src/gpu/tune-cache';
import { cacheDir, fileStore } from '../src/gpu/tune-store-node';
import { type ProductShape, ProductTuner, shapeKey, type Trial, TunedChoices } from '../src/gpu/tuner';
import { testDevice } from './gpu-device';

const dev = await testDevice();

const shapes: ProductShape[] = [
  { form: 'forward', m: 64, n: 36, k: 20 },
  { form: 'dX', m: 64, n: 20, k: 36 },
  { form: 'dW', m: 20, n: 36, k: 64 },
];

/** A tuning on a fresh tuner over `store`: its trials, progress reports and choices. */
async function tune(
  store: TuneStore,
  opts: { retime?: boolean; signal?: AbortSignal; shapes?: ProductShape[]; compileBudgetMs?: number } = {},
) {
  const tuner = new ProductTuner(dev!.device, store);
  const trials: Trial[] = [];
  const progress: [number, number][] = [];
  const choices = await tuner.choices(opts.shapes ?? shapes, {
    ...opts,
    onTrials: (t) => trials.push(...t),
    onProgress: (done, total) => progress.push([done, total]),
  });
  return { tuner, trials, progress, choices };
}

const cached = (store: TuneStore) => store.read().then((t) => JSON.parse(t!));

describe.skipIf(!dev)('product tuner', () => {
  it('times every variant that can take each shape and keeps the fastest', async () => {
    const { tuner, trials, progress, choices } = await tune(memoryStore(), { compileBudgetMs: Infinity });
    for (const s of shapes) {
      const table = trials.filter((t) => shapeKey(t) === shapeKey(s));
      expect(table.map((t) => t.variant)).toEqual(productVariants(s.form, s.m, s.n, s.k, tuner.caps));
      const chosen = table.filter((t) => t.chosen);
      expect(chosen.length).toBe(1);
      expect(chosen[0].ms).toBe(Math.min(...table.map((t) => t.ms)));
      expect(chosen[0].ms).toBeGreaterThan(0);
      expect(choices.variantFor(s.form, s.m, s.n, s.k)).toBe(chosen[0].variant);
    }
    // Two reports per candidate of each shape (compiled, timed) and one per statistics chunk, counting up to the total.
    const total = 2 * trials.length + STATS_CHUNKS.length;
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(progress.map(([, t]) => t))).toEqual(new Set([total]));
    expect(STATS_CHUNKS).toContain(choices.statsChunk);
  });

  it('keeps the fastest even when the first full run of a shape takes many times its steady time', async () => {
    // A clock of made-up times: `vec4`'s product takes 1 ms, `general`'s 2 ms, except the first
    // candidate of the first full runs (the timer's second call, after the probes), 100 times as
    // long: a software adapter's warm-up, which alone must not drop the fastest candidate.
    let calls = 0;
    const timer: TrialTimer = {
      clock: 'host',
      async time(batches: readonly Batch[]) {
        calls++;
        return batches.map((b, j) => {
          const ms = b.kernels[b.kernels.length - 1].kernel.desc.name.includes('vec4') ? 1 : 2;
          return calls === 2 && j === 0 ? 100 * ms : ms;
        });
      },
      dispose() {},
    };
    const device = dev!.device;
    const caps = productCapsOf(device);
    const s: ProductShape = { form: 'forward', m: 64, n: 64, k: 64 };
    const plans = ['vec4', 'general'].map((v) => matmulPlan(s.form, s.m, s.n, s.k, v, caps)!);
    const { ms } = await timeShape(device, PipelineCache.for(device), s, plans, timer, undefined, () => {});
    expect(ms).toEqual([1, 2]);
  });

  it('times only the variants it compiled within its compile budget, the general kernel at least', async () => {
    // Compiled variant by variant: a budget spent at once leaves the first, the general kernel.
    const { trials, choices } = await tune(memoryStore(), { compileBudgetMs: 0 });
    expect(new Set(trials.map((t) => t.variant))).toEqual(new Set(['general']));
    for (const s of shapes) expect(choices.variantFor(s.form, s.m, s.n, s.k)).toBe('general');
  });

  it('keeps its choices per adapter and kernel version, and a second tuner reuses them without timing', async () => {
    const store = memoryStore();
    const first = await tune(store);
    const file = await cached(store);
    const entry = file.adapters[first.tuner.adapter];
    expect(entry.version).toBe(PRODUCT_KERNELS_VERSION);
    expect(Object.keys(entry.products).sort()).toEqual(shapes.map(shapeKey).sort());
    const second = await tune(store);
    expect([second.trials, second.progress]).toEqual([[], []]);
    for (const s of shapes)
      expect(second.choices.variantFor(s.form, s.m, s.n, s.k)).toBe(first.choices.variantFor(s.form, s.m, s.n, s.k));
    expect(second.choices.statsChunk).toBe(first.choices.statsChunk);
    // Another adapter's entry in the same cache is kept beside this one's.
    file.adapters['another adapter | subgroups none'] = { version: 'x', products: {} };
    await store.write(JSON.stringify(file));
    await tune(store, { retime: true });
    expect(Object.keys((await cached(store)).adapters)).toContain('another adapter | subgroups none');
  });

  it('times again what a cache of another kernel version, or a choice this device cannot run, offers', async () => {
    const store = memoryStore();
    const { tuner } = await tune(store);
    const file = await cached(store);
    const entry = file.adapters[tuner.adapter];
    entry.products[shapeKey(shapes[0])].variant = 'no-such-variant';
    await store.write(JSON.stringify(file));
    const oneShape = await tune(store);
    expect(new Set(oneShape.trials.map(shapeKey))).toEqual(new Set([shapeKey(shapes[0])]));
    entry.version = 'deadbeef';
    await store.write(JSON.stringify(file));
    const all = await tune(store);
    expect(new Set(all.trials.map(shapeKey))).toEqual(new Set(shapes.map(shapeKey)));
    expect((await cached(store)).adapters[tuner.adapter].version).toBe(PRODUCT_KERNELS_VERSION);
  });

  it('ignores a corrupt cache, with no error, and replaces it', async () => {
    for (const text of [
      '{"format": 1, "adapters": {"x": ',
      '[1, 2]',
      '{"format": 1, "adapters": {"a": {"version": 3}}}',
    ]) {
      const store = memoryStore();
      await store.write(text);
      const { trials, tuner } = await tune(store, { shapes: shapes.slice(0, 1) });
      expect(trials.length).toBeGreaterThan(0);
      expect((await cached(store)).adapters[tuner.adapter].version).toBe(PRODUCT_KERNELS_VERSION);
    }
    // A store that cannot be read or written: the choices still serve this run.
    const broken: TuneStore = {
      where: 'nowhere',
      read: () => Promise.reject(new Error('unreadable')),
      write: () => Promise.reject(new Error('read-only')),
    };
    const { tuner, choices } = await tune(broken, { shapes: shapes.slice(0, 1) });
    expect(tuner.saveError?.message).toBe('read-only');
    expect(productVariants('forward', 64, 36, 20, tuner.caps)).toContain(choices.variantFor('forward', 64, 36, 20));
  });

  it('can be cancelled, and keeps what it measured before', async () => {
    const store = memoryStore();
    const ctl = new AbortController();
    const tuner = new ProductTuner(dev!.device, store);
    const run = tuner.choices(shapes, { onTrials: () => ctl.abort(), signal: ctl.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const kept = Object.keys((await cached(store)).adapters[tuner.adapter].products);
    expect(kept).toEqual([shapeKey(shapes[0])]);
  });

  it('answers a product it did not time with the choice for the nearest number of rows of the same widths', () => {
    const choices = new TunedChoices(
      { 'forward 256x64x32': { variant: 'a', ms: 1 }, 'forward 4096x64x32': { variant: 'b', ms: 1 } },
      STATS_CHUNKS[0],
    );
    expect(
      ['forward 256', 'forward 512', 'forward 2048', 'forward 65536', 'dX 256'].map((q) => {
        const [form, m] = q.split(' ');
        return choices.variantFor(form as 'forward', Number(m), 64, 32);
      }),
    ).toEqual(['a', 'a', 'b', 'b', 'general']);
  });
});

describe('the tuner cache in Node', () => {
  it('lives in MLP_CACHE_DIR, else the XDG cache folder, else ~/.cache, under mlp-playground/', () => {
    expect(cacheDir({ MLP_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(cacheDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'mlp-playground'));
    expect(cacheDir({})).toMatch(/\.cache\/mlp-playground$/);
    expect(fileStore().where).toBe(join(process.env.MLP_CACHE_DIR!, 'tune.json'));
  });

  it('reads a missing file as no cache, and writes the whole text', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mlp-tune-')), 'sub', 'tune.json');
    const store = fileStore(path);
    expect(await store.read()).toBeNull();
    await store.write('{"format": 1}');
    expect(readFileSync(path, 'utf8')).toBe('{"format": 1}');
    expect(await store.read()).toBe('{"format": 1}');
  });
});
