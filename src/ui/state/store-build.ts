/**
 * @file The playground store's building: the GPU device acquired (and a lost one handled), the
 * runs built for the page's config (one, or one per compared initializer) with their progress,
 * and a build given up at once when an edit, a backend switch or Cancel makes it stale.
 */
import { pointsExtent } from '../../charts/boundary-data';
import { loadDataset } from '../../core/datasets';
import { splitCsv } from '../../core/datasets/csv';
import type { Initializer, RunConfig, SplitDataset } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import { TrainingHistory } from '../../train/history';
import { type BuildState, buildEngines, unlessAborted } from './build';
import { StepPacer } from './pacer';
import { StoreBase } from './store-base';
import type { GpuInfo, RunState } from './types';

export abstract class BuildingStore extends StoreBase {
  /** Identifies the current device's lost callback, so a lost old device is ignored. */
  private deviceToken: object | null = null;
  /** Aborts the build in progress: an edit, a backend switch or Cancel never waits for it. */
  private buildAbort: AbortController | null = null;
  private dataCache: { key: string; data: SplitDataset } | null = null;
  private mnist: Promise<ArrayBuffer> | null = null;

  /** Starts the training loop (store-training.ts); a build ends with it when Play was asked for meanwhile. */
  protected abstract startLoop(): void;

  // ---- lifecycle ----

  /** Acquires the GPU (when there is one), builds the engines, and starts training if the URL said run=1. */
  start(urlErrors: string[] = []): Promise<void> {
    this.urlErrors = urlErrors;
    this.playWhenReady = this.state.run;
    return this.enqueue(async () => {
      await this.acquire();
      await this.rebuild(++this.gen);
    });
  }

  private async acquire(): Promise<void> {
    const token = {};
    this.deviceToken = token;
    const got = await this.deps.acquireDevice((msg) => {
      if (this.deviceToken === token) this.onDeviceLost(msg);
    });
    if ('unavailable' in got) {
      this.gpu = { status: 'unavailable', adapter: null, reason: got.unavailable };
      this.device = null;
    } else {
      this.gpu = { status: 'ready', adapter: got.adapter, reason: null };
      this.device = got.device;
    }
    this.emit();
  }

  private onDeviceLost(msg: string): void {
    this.device = null;
    this.deviceToken = null;
    this.gpu = { status: 'lost', adapter: this.gpu.adapter, reason: msg };
    const usedGpu = this.runs.some((r) => r.engine?.backend === 'gpu');
    if (!usedGpu) {
      this.emit();
      return;
    }
    this.loopAbort?.abort();
    this.buildAbort?.abort();
    this.gen++;
    this.phase = 'lost';
    this.message = `The GPU device was lost: ${msg}. Training stopped; your settings and charts are kept.`;
    this.emit();
    void this.enqueue(async () => {
      await this.stopLoop();
      this.disposeEngines();
    });
  }

  /**
   * Builds the same config again; after a lost device first asks for a new one and goes back to
   * the GPU (the user may have switched to the CPU meanwhile).
   */
  restart(): Promise<void> {
    this.loopAbort?.abort();
    this.buildAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (this.gpu.status === 'lost') {
        await this.acquire();
        if ((this.gpu as GpuInfo).status === 'ready' && this.state.backend !== 'gpu') {
          this.state = { ...this.state, backend: 'gpu' };
          this.stateVersion++;
        }
      }
      await this.rebuild(++this.gen);
    });
  }

  dispose(): void {
    this.loopAbort?.abort();
    this.buildAbort?.abort();
    this.gen++;
    this.disposeEngines();
    this.listeners.clear();
  }

  protected rebuildSoon(): Promise<void> {
    const gen = ++this.gen;
    this.loopAbort?.abort();
    this.buildAbort?.abort();
    return this.enqueue(() => this.rebuild(gen));
  }

  // ---- building ----

  /** The runs of `cfg`, not built yet: one, or one per compared kernel initializer. */
  private freshRuns(cfg: RunConfig, gen: number): RunState[] {
    const specs =
      this.state.mode === 'compare'
        ? this.state.compare.map((init, i) => ({ init, label: this.deps.label(init), color: this.deps.color(i) }))
        : [{ init: null, label: 'run', color: this.deps.color(0) }];
    return specs.map((s, i) => ({
      id: `${gen}-${i}`,
      label: s.label,
      color: s.color,
      init: s.init,
      engine: null,
      stepsToTarget: null,
      cfg: s.init ? withKernelInit(cfg, s.init) : cfg,
      history: new TrainingHistory(),
    }));
  }

  protected async rebuild(gen: number): Promise<void> {
    await this.stopLoop();
    if (gen !== this.gen) return;
    const playAfter = this.playWhenReady;
    this.disposeEngines();
    this.phase = 'building';
    this.message = null;
    const cfg = this.state.config;
    const backend = this.backend;
    this.runs = this.freshRuns(cfg, gen);
    this.primary = Math.min(this.primary, this.runs.length - 1);
    this.boundary = null;
    this.digits = null;
    this.samplesPerSec = 0;
    this.pacer = new StepPacer();
    this.pastEnd = false;
    const build = new AbortController();
    this.buildAbort = build;
    const signal = build.signal;
    this.build = { stage: 'data', runs: this.runs.map(() => null) };
    this.emit();
    try {
      const data = await unlessAborted(this.loadData(cfg), signal);
      this.data = data;
      this.extent = data.train.inputDim === 2 ? pointsExtent(concatPoints(data)) : null;
      const opts: EngineOptions =
        backend === 'gpu'
          ? { backend, device: this.device!, adapter: this.gpu.adapter ?? undefined }
          : { backend: 'cpu' };
      this.setBuild({ stage: 'engines', runs: this.runs.map(() => null) }, gen);
      const engines = await buildEngines(
        this.runs.map((r) => r.cfg),
        data.train,
        this.deps.createEngine,
        { ...opts, signal },
        (i, progress) => {
          if (this.build)
            this.setBuild({ ...this.build, runs: this.build.runs.map((p, j) => (j === i ? progress : p)) }, gen);
        },
      );
      this.runs.forEach((r, i) => {
        r.engine = engines[i];
      });
      this.setBuild({ stage: 'first record', runs: this.build!.runs }, gen);
      const firsts = await unlessAborted(Promise.all(this.runs.map((r) => r.engine!.init())), signal);
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        this.push(r, firsts[i]);
      });
      await this.observe(gen);
      if (gen !== this.gen) return;
      this.phase = 'ready';
      if (playAfter) {
        this.playWhenReady = false;
        this.startLoop();
      }
    } catch (e) {
      if (gen !== this.gen) return;
      this.fail(e as Error);
    } finally {
      if (this.buildAbort === build) this.buildAbort = null;
      if (gen === this.gen) this.build = null;
    }
    this.emit();
  }

  protected setBuild(build: BuildState, gen: number): void {
    if (gen !== this.gen) return;
    this.build = build;
    this.emit();
  }

  /**
   * Gives up the build in progress at once (an engine still compiling is disposed when it
   * arrives). The settings stay; nothing is built until an edit, Play, or Build again.
   */
  cancelBuild(): void {
    if (this.phase !== 'building' && this.phase !== 'starting') return;
    this.gen++;
    this.buildAbort?.abort();
    this.playWhenReady = false;
    this.disposeEngines();
    this.build = null;
    this.phase = 'cancelled';
    this.message = null;
    this.emit();
  }

  private async loadData(cfg: RunConfig): Promise<SplitDataset> {
    const key = JSON.stringify([cfg.dataset, cfg.seed, this.csv?.fileName ?? null, this.csv?.data.n ?? 0]);
    if (this.dataCache?.key === key) return this.dataCache.data;
    const data = this.csv
      ? splitCsv(this.csv.data, cfg.dataset.test_fraction, cfg.seed)
      : await loadDataset(cfg.dataset, cfg.seed, { mnist: () => (this.mnist ??= this.deps.loadMnist()) });
    this.dataCache = { key, data };
    return data;
  }
}

/** The config with every layer's kernel initializer replaced (one compared run). */
function withKernelInit(cfg: RunConfig, init: Initializer): RunConfig {
  return { ...cfg, layers: cfg.layers.map((l) => ({ ...l, kernel_initializer: init })) };
}

function concatPoints(d: SplitDataset): Float32Array {
  if (!d.test) return d.train.x;
  const all = new Float32Array(d.train.x.length + d.test.x.length);
  all.set(d.train.x);
  all.set(d.test.x, d.train.x.length);
  return all;
}
