/**
 * @file The store without a browser: CPU engines in-thread, a fake device where a GPU is needed.
 * Play trains to the configured epochs and stops; pause, step and reset behave; compare mode
 * builds one run per initializer; errors name the field; a lost device stops training and a
 * restart rebuilds with nothing the user configured lost.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config';
import { parseCsv } from '../../core/datasets/csv';
import { parseInitializer } from '../../core/initializers';
import type { Dataset, RunConfig } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import { CpuEngine } from '../../train/cpu-engine';
import { evaluate } from '../../train/evaluate';
import { describeBuild } from './build';
import { argmaxRows, classProbabilities } from './predictions';
import { PlaygroundStore } from './store';
import type { PageState, StoreDeps } from './types';

const xor = parseConfig({
  seed: 1,
  dataset: 'xor',
  layers: [
    { units: 2, activation: 'sigmoid' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'mse',
  optimizer: { name: 'sgd', learning_rate: 2 },
  batch_size: 4,
  epochs: 600,
  log_every: 10,
});

function state(config: RunConfig, over: Partial<PageState> = {}): PageState {
  return { config, backend: 'cpu', mode: 'single', compare: [], target: 0.05, lesson: null, run: false, ...over };
}

function deps(over: Partial<StoreDeps> = {}): StoreDeps {
  return {
    acquireDevice: async () => ({ unavailable: 'no WebGPU in Node tests' }),
    createEngine: async (cfg: RunConfig, data: Dataset, _opts: EngineOptions) => new CpuEngine(cfg, data),
    loadMnist: async () => {
      throw new Error('no MNIST here');
    },
    now: () => performance.now(),
    label: (init) => init.name,
    color: (i) => `c${i}`,
    ...over,
  };
}

async function until(store: PlaygroundStore, ok: () => boolean, ms = 20000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out in phase ${store.phase}: ${store.message}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PlaygroundStore', () => {
  it('builds, trains to the configured epochs, and stops there', async () => {
    const s = new PlaygroundStore(state(xor), deps());
    await s.start();
    expect(s.phase).toBe('ready');
    expect(s.gpu.status).toBe('unavailable');
    expect(s.backend).toBe('cpu');
    expect(s.runs).toHaveLength(1);
    expect(s.runs[0].history.step).toEqual([0]);
    expect(s.boundary?.grid.length).toBe(64 * 64);
    await s.play();
    await until(s, () => s.phase === 'done');
    expect(s.runs[0].engine!.step).toBe(600);
    expect(s.runs[0].history.latest!.accuracy).toBe(1);
    expect(s.runs[0].stepsToTarget).toBeGreaterThan(0);
    expect(s.samplesPerSec).toBeGreaterThan(0);
    s.dispose();
  });

  it('pauses, steps once, and resets to the same initial record', async () => {
    const s = new PlaygroundStore(state(xor), deps());
    await s.start();
    const first = s.runs[0].history.initial!.loss;
    await s.play();
    await until(s, () => s.runs[0].engine!.step > 20);
    await s.pause();
    expect(s.phase).toBe('paused');
    const at = s.runs[0].engine!.step;
    await new Promise((r) => setTimeout(r, 30));
    expect(s.runs[0].engine!.step).toBe(at);
    await s.stepOnce();
    expect(s.runs[0].engine!.step).toBe(at + 1);
    await s.reset();
    expect(s.phase).toBe('ready');
    expect(s.runs[0].history.step).toEqual([0]);
    expect(s.runs[0].history.initial!.loss).toBe(first);
    s.dispose();
  });

  it('trains one run per compared initializer, with its own colour and label', async () => {
    const compare = ['zeros', 'glorot_uniform', 'he_normal'].map((n) => parseInitializer(n, ''));
    const s = new PlaygroundStore(state(xor, { mode: 'compare', compare }), deps());
    await s.start();
    expect(s.runs.map((r) => [r.label, r.color])).toEqual([
      ['zeros', 'c0'],
      ['glorot_uniform', 'c1'],
      ['he_normal', 'c2'],
    ]);
    expect(s.runs[0].cfg.layers.every((l) => l.kernel_initializer.name === 'zeros')).toBe(true);
    await s.play();
    await until(s, () => s.phase === 'done');
    expect(s.runs.map((r) => r.engine!.step)).toEqual([600, 600, 600]);
    expect(s.runs[0].history.latest!.accuracy).toBeLessThan(1);
    expect(s.runs[1].history.latest!.accuracy).toBe(1);
    s.dispose();
  });

  it('keeps the config and names the field when an edit is invalid or the engine refuses the model', async () => {
    const s = new PlaygroundStore(state(xor), deps());
    await s.start();
    await s.setConfigDoc({ ...s.configDoc(), batch_size: 0 });
    expect(s.editError).toBe('batch_size must be a positive integer, got 0');
    expect(s.state.config).toBe(xor);
    const huge = parseConfig({
      ...s.configDoc(),
      layers: [...Array.from({ length: 30 }, () => ({ units: 8192 })), { units: 1, activation: 'sigmoid' }],
    });
    await s.setState({ config: huge });
    expect(s.phase).toBe('error');
    expect(s.message).toMatch(/^layers need about [\d.]+ MiB in all, more than/);
    await s.setConfigDoc({ ...s.configDoc(), layers: [{ units: 8193 }, { units: 1, activation: 'sigmoid' }] });
    expect(s.editError).toBe('layers[0].units must be an integer from 1 to 8192, got 8193');
    s.dispose();
  });

  it('trains on a CSV file and evaluates its test split', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => {
      const x = (i % 20) / 10 - 1,
        y = Math.floor(i / 20) / 5 - 1;
      return `${x},${y},${x * y > 0 ? 1 : 0}`;
    });
    const csv = parseCsv(`x,y,label\n${rows.join('\n')}`);
    const s = new PlaygroundStore(state({ ...xor, epochs: 20 }), deps());
    await s.start();
    await s.useCsv({ fileName: 'quad.csv', header: true, data: csv.dataset }, 0.25);
    expect(s.phase).toBe('ready');
    expect(s.state.config.dataset).toMatchObject({
      name: 'random',
      samples: 200,
      dim: 2,
      classes: 2,
      test_fraction: 0.25,
    });
    expect(s.data!.train.n).toBe(150);
    await s.play();
    await until(s, () => s.phase === 'done');
    expect(s.runs[0].history.latestTest).not.toBeNull();
    await s.setState({ config: { ...s.state.config, seed: 5 } });
    expect(s.csv).not.toBeNull();
    s.dispose();
  });

  it('evaluates every run on its whole training set at the step the page shows', async () => {
    const compare = ['zeros', 'glorot_uniform'].map((n) => parseInitializer(n, ''));
    const s = new PlaygroundStore(state({ ...xor, epochs: 2000 }, { mode: 'compare', compare }), deps());
    await s.start();
    expect(s.runs.map((r) => r.history.evaluation?.step)).toEqual([0, 0]);
    await s.play();
    await until(s, () => s.runs[0].engine!.step > 50);
    await s.pause();
    for (const r of s.runs) {
      const ev = r.history.evaluation!;
      expect(ev.step).toBe(r.engine!.step);
      expect(ev.train).toEqual(await evaluate(r.engine!, r.cfg, s.data!.train));
    }
    expect(s.boundary!.step).toBe(s.lead!.history.evaluation!.step);
    s.dispose();
  });

  it('draws the most probable of three classes, with probabilities that agree with the accuracy', async () => {
    const rows = Array.from(
      { length: 90 },
      (_, i) => `${Math.cos(i) * (1 + (i % 3))},${Math.sin(i) * (1 + (i % 3))},${i % 3}`,
    );
    const csv = parseCsv(rows.join('\n'));
    const s = new PlaygroundStore(state(xor), deps());
    await s.start();
    await s.useCsv({ fileName: 'rings.csv', header: false, data: csv.dataset }, 0);
    const b = s.boundary!;
    expect(b.classes).toBe(3);
    expect(b.grid.length).toBe(b.gridSize * b.gridSize * 3);
    for (let cell = 0; cell < b.gridSize * b.gridSize; cell++) {
      expect(b.grid[3 * cell] + b.grid[3 * cell + 1] + b.grid[3 * cell + 2]).toBeCloseTo(1, 5);
    }
    // The probabilities keep the output's argmax, which the accuracy counts.
    const { a } = await s.lead!.engine!.predict(s.data!.train.x, s.data!.train.n);
    const p = classProbabilities(a, s.data!.train.n, 3);
    for (let i = 0; i < s.data!.train.n; i++)
      expect(argmaxRows(p.subarray(3 * i), 1, 3)[0]).toBe(argmaxRows(a.subarray(3 * i), 1, 3)[0]);
    s.dispose();
  });

  it('never waits on a build nobody wants: an edit or Cancel gives it up at once, and its engine is released', async () => {
    // A build waits on `hang` when set (a GPU compiling for minutes); its engine, when it comes, counts its disposal.
    let hang: Promise<void> | null = null;
    let release = () => {};
    const hangNext = () => {
      hang = new Promise<void>((r) => {
        release = r;
      });
    };
    let disposedLate = 0;
    const s = new PlaygroundStore(
      state(xor),
      deps({
        createEngine: async (cfg, data, opts) => {
          const wait = hang;
          opts.onProgress?.({ phase: 'kernels', done: 3, total: 40 });
          if (wait) await wait;
          const e = new CpuEngine(cfg, data);
          const dispose = e.dispose.bind(e);
          e.dispose = () => {
            if (wait) disposedLate++;
            dispose();
          };
          return e;
        },
      }),
    );
    hangNext();
    void s.start();
    await until(s, () => s.build?.stage === 'engines' && s.build.runs[0] !== null);
    expect(s.phase).toBe('building');
    expect(describeBuild(s.build!).text).toBe('compiling kernels 3 of 40');
    // An edit while the first build hangs: the second network is built and ready meanwhile.
    hang = null;
    await s.setState({ config: { ...xor, batch_size: 2 } });
    expect(s.phase).toBe('ready');
    expect(s.runs[0].cfg.batch_size).toBe(2);
    release();
    await until(s, () => disposedLate === 1);

    // Cancel: the page says so at once and builds nothing; Play builds again and trains.
    hangNext();
    void s.setState({ config: { ...xor, batch_size: 3 } });
    await until(s, () => s.build?.stage === 'engines');
    s.cancelBuild();
    expect(s.phase).toBe('cancelled');
    expect(s.runs.every((r) => r.engine === null)).toBe(true);
    hang = null;
    await s.play();
    await until(s, () => s.phase === 'playing' || s.phase === 'done');
    expect(s.runs[0].cfg.batch_size).toBe(3);
    release();
    await until(s, () => disposedLate === 2);
    s.dispose();
  });

  it('saves weights and loads them back into a fresh run', async () => {
    const s = new PlaygroundStore(state(xor), deps());
    await s.start();
    await s.play();
    await until(s, () => s.phase === 'done');
    const doc = JSON.parse(JSON.stringify(await s.saveWeights()));
    await s.reset();
    await s.loadWeights(doc);
    expect(s.runs[0].history.initial!.loss).toBeLessThan(0.05);
    expect(() => s.loadWeights({ ...doc, layers: doc.layers.slice(1) })).toThrow(
      'weights.layers must have 2 layers for this config, got 1',
    );
    s.dispose();
  });

  it('stops on a lost device, keeps everything, and restarts on a new device', async () => {
    let lose: (m: string) => void = () => {};
    let devices = 0;
    const fake = deps({
      acquireDevice: async (onLost) => {
        lose = onLost;
        devices++;
        return { device: {} as GPUDevice, adapter: `fake ${devices}` };
      },
      createEngine: async (cfg, data, opts) => Object.assign(new CpuEngine(cfg, data), { backend: opts.backend }),
    });
    const s = new PlaygroundStore(state(xor, { backend: 'gpu' }), fake);
    await s.start();
    expect(s.backend).toBe('gpu');
    await s.play();
    await until(s, () => s.runs[0].engine!.step > 10);
    const history = s.runs[0].history;
    lose('device reset by the test');
    expect(s.phase).toBe('lost');
    expect(s.message).toContain('device reset by the test');
    await s.idle();
    expect(s.state.config).toBe(xor);
    expect(s.runs[0].history).toBe(history);
    await s.restart();
    expect(s.phase).toBe('ready');
    expect(s.gpu).toMatchObject({ status: 'ready', adapter: 'fake 2' });
    // Lost again, the user moves to the CPU, later asks for a GPU again.
    lose('second loss');
    await s.setState({ backend: 'cpu' });
    expect([s.phase, s.backend, s.gpu.status]).toEqual(['ready', 'cpu', 'lost']);
    await s.restart();
    expect([s.phase, s.backend, s.state.backend, s.gpu.adapter]).toEqual(['ready', 'gpu', 'gpu', 'fake 3']);
    s.dispose();
  });
});
