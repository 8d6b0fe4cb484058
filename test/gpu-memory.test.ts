/**
 * @file No GPU memory left behind: every buffer an engine, the page's store, an atlas population
 * or a SOM creates is destroyed when its owner is done: after a run, a reset, a new seed, a
 * compare of seven initializers, an atlas run, and a device lost mid-run. Buffers are counted
 * by wrapping the device's createBuffer and each buffer's destroy (test/live-buffers.ts).
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAtlasConfig } from '../src/atlas/config';
import { runAtlas } from '../src/atlas/run';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { parseInitializer } from '../src/core/initializers';
import { XOR_LESSON } from '../src/core/xor-lesson';
import { createEngine } from '../src/engines/create';
import { acquireNodeDevice } from '../src/gpu/node-device';
import { LESSON_INITIALIZERS } from '../src/ui/defaults';
import { PlaygroundStore } from '../src/ui/state/store';
import type { PageState } from '../src/ui/state/types';
import { testDevice } from './gpu-device';
import { type BufferTracker, trackBuffers } from './live-buffers';

const dev = await testDevice();

const xor = parseConfig({
  seed: 1,
  dataset: 'xor',
  layers: [
    { units: 4, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
  optimizer: { name: 'sgd', learning_rate: 0.5 },
  batch_size: 4,
  epochs: 100_000,
  log_every: 10,
});

/** A network too large for the fused small-network kernel, so the layer-by-layer path runs too. */
const spiral = parseConfig({
  seed: 2,
  dataset: { name: 'spiral', samples: 256 },
  layers: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
    { units: 2, activation: 'softmax' },
  ],
  loss: 'categorical_crossentropy',
  optimizer: { name: 'adam' },
  batch_size: 64,
  epochs: 4,
  log_every: 1,
});

/** The page's store on the test device, with `build` making its engines; the lesson's seven to compare. */
function pageStore(build: typeof createEngine): PlaygroundStore {
  const state: PageState = {
    config: xor,
    backend: 'gpu',
    mode: 'single',
    compare: LESSON_INITIALIZERS.map((n) => parseInitializer(n, 'compare')),
    target: 0.05,
    lesson: null,
    run: false,
  };
  return new PlaygroundStore(state, {
    acquireDevice: async () => dev!,
    createEngine: build,
    loadMnist: async () => new ArrayBuffer(0),
    now: () => performance.now(),
    label: (init) => init.name,
    color: (i) => `c${i}`,
  });
}

describe.skipIf(!dev)('GPU buffers are all destroyed', () => {
  let tracker: BufferTracker;
  beforeEach(() => {
    tracker = trackBuffers(dev!.device);
  });
  afterEach(() => tracker.stop());

  it('by an engine after a run, predictions and a weights read-back', async () => {
    for (const cfg of [xor, spiral]) {
      const data = (await loadDataset(cfg.dataset, cfg.seed)).train;
      const engine = await createEngine(cfg, data, { backend: 'gpu', ...dev! });
      try {
        await engine.init();
        await engine.run(Math.min(40, engine.totalSteps), () => {});
        await engine.predict(data.x, data.n);
        await engine.weights();
        expect(tracker.live().length).toBeGreaterThan(0);
      } finally {
        engine.dispose();
      }
      expect(tracker.live()).toEqual([]);
    }
  });

  it('by an engine whose build was aborted', async () => {
    const data = (await loadDataset(spiral.dataset, spiral.seed)).train;
    const abort = new AbortController();
    const building = createEngine(spiral, data, {
      backend: 'gpu',
      ...dev!,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'kernels') abort.abort();
      },
    });
    await expect(building).rejects.toThrow();
    expect(abort.signal.aborted).toBe(true);
    expect(tracker.live()).toEqual([]);
  });

  it("by the page's store through resets, a new seed and a compare of seven initializers", async () => {
    const store = pageStore(createEngine);
    try {
      await store.start();
      expect([store.phase, store.backend]).toEqual(['ready', 'gpu']);
      const single = tracker.live();
      const steps = async () => {
        for (let i = 0; i < 3; i++) await store.stepOnce();
      };
      await steps();
      await store.reset();
      expect(tracker.live()).toEqual(single);
      await store.newSeed();
      await steps();
      expect(tracker.live()).toEqual(single);
      await store.setState({ mode: 'compare' });
      await steps();
      expect(store.runs).toHaveLength(7);
      await store.reset();
      expect(tracker.live().length).toBeGreaterThan(single.length);
      await store.setState({ mode: 'single' });
      expect(tracker.live()).toEqual(single);
    } finally {
      store.dispose();
    }
    expect(tracker.live()).toEqual([]);
  });

  it("by the page's store when one of the seven engines it compares fails to build", async () => {
    let built = 0;
    const store = pageStore(async (cfg, data, opts) => {
      if (++built === 5) throw new Error('the fourth compared engine failed');
      return createEngine(cfg, data, opts);
    });
    try {
      await store.start();
      await store.setState({ mode: 'compare' });
      expect(store.phase).toBe('error');
      expect(tracker.live()).toEqual([]);
    } finally {
      store.dispose();
    }
  });

  it('by an atlas run: a basin map, and a population with its SOM', async () => {
    const net = { ...XOR_LESSON, epochs: 50 };
    const axes = [
      { layer: 0, row: 0, col: 0 },
      { layer: 0, bias: 0 },
    ];
    const configs = [
      { ...net, mode: 'basin', axes, resolution: 16 },
      { ...net, mode: 'population', size: 512, som: { rows: 4, cols: 4, iterations: 3 } },
    ];
    for (const doc of configs) {
      const result = await runAtlas(parseAtlasConfig(doc), { backend: 'gpu', ...dev! });
      expect(result.population.networks).toBeGreaterThan(0);
      expect(tracker.live()).toEqual([]);
    }
  });
});

describe.skipIf(!dev)('a device lost mid-run', () => {
  it('ends an engine run with the one message, and its buffers are destroyed all the same', async () => {
    const own = (await acquireNodeDevice())!;
    const tracker = trackBuffers(own.device);
    const data = (await loadDataset(xor.dataset, xor.seed)).train;
    const engine = await createEngine(xor, data, { backend: 'gpu', ...own });
    try {
      await engine.init();
      const running = engine.run(engine.totalSteps, () => {});
      setTimeout(() => own.device.destroy(), 50);
      await expect(running).rejects.toThrow(/^the GPU device was lost \(/);
    } finally {
      engine.dispose();
    }
    expect(tracker.live()).toEqual([]);
  });

  it('ends an atlas run with the one message, and its buffers are destroyed all the same', async () => {
    const own = (await acquireNodeDevice())!;
    const tracker = trackBuffers(own.device);
    const cfg = parseAtlasConfig({ ...XOR_LESSON, epochs: 100_000, mode: 'population', size: 4096 });
    const running = runAtlas(cfg, { backend: 'gpu', ...own });
    setTimeout(() => own.device.destroy(), 200);
    await expect(running).rejects.toThrow(/^the GPU device was lost \(/);
    expect(tracker.live()).toEqual([]);
  });
});
