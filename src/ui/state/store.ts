/**
 * @file The playground's one store: plain TypeScript, no DOM. It owns the page state (the run
 * config and the few settings the URL carries), the engines (one run, or one per compared
 * initializer), their histories, and the training loop; views read its fields and call its
 * actions, and a Lit ReactiveController re-renders them when it emits.
 *
 * The loop never waits on the page: it calls `engine.run(k)` on every run, with k from a
 * StepPacer (about 45 ms a call, see pacer.ts), pushes the records into each run's
 * TrainingHistory (the charts poll its version once per frame), and at most four times a second
 * evaluates every run on the whole training and test sets and predicts the decision boundary (or
 * MNIST digits), all at one step. Actions are serialized through one queue; a rebuild bumps a
 * generation number, and every await re-checks it, so stale engines and results are dropped
 * instead of racing the new ones.
 */
import { type Extent, pointsExtent } from '../../charts/boundary-data';
import { configToJSON, parseConfig } from '../../core/config';
import { loadDataset } from '../../core/datasets';
import { csvDatasetConfig, splitCsv } from '../../core/datasets/csv';
import { ConfigError } from '../../core/errors';
import type { Initializer, RunConfig, SplitDataset } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import type { BackendName, StepRecord } from '../../train/engine';
import { evaluateSets } from '../../train/evaluate';
import { TrainingHistory } from '../../train/history';
import { layerShapes } from '../../train/model';
import { decodeWeights, encodeWeights, type WeightsDocument } from '../../train/weights-file';
import { isLessonConfig } from '../presets';
import { type BuildState, buildEngines, unlessAborted } from './build';
import { StepPacer } from './pacer';
import { type DigitSample, predictBoundary, predictDigits } from './predictions';
import type { BoundaryView, CsvSource, GpuInfo, PageState, Phase, RunState, StoreDeps } from './types';

/** Evaluations and predictions at most this often while training, ms. */
const OBSERVE_EVERY_MS = 250;
/** Side work (evaluations, predictions) is spaced to take at most 1/this of the wall time. */
const SIDE_WORK_FACTOR = 5;
export const GRID_SIZE = 64;
const DIGITS_SHOWN = 40;

export class PlaygroundStore {
  state: PageState;
  gpu: GpuInfo = { status: 'pending', adapter: null, reason: null };
  phase: Phase = 'starting';
  /** Why training stopped (phase error or lost), naming the field for ConfigErrors. */
  message: string | null = null;
  /** The last edit that parseConfig refused, naming the field; cleared by the next good edit. */
  editError: string | null = null;
  /** The lesson the config was edited away from (its text stays in view); null when none. */
  editedLesson: string | null = null;
  /** A short note about the last file action ("weights loaded"). */
  notice: string | null = null;
  /** Problems found in the URL at load (shown once in an alert). */
  urlErrors: string[] = [];
  csv: CsvSource | null = null;
  data: SplitDataset | null = null;
  runs: RunState[] = [];
  /** The run the boundary, digits and weight export use. */
  primary = 0;
  boundary: BoundaryView | null = null;
  digits: (DigitSample & { step: number }) | null = null;
  samplesPerSec = 0;
  /** The build in progress (phase building), for its progress; null otherwise. */
  build: BuildState | null = null;
  /** Bumped when `state` changes (the page then rewrites the URL). */
  stateVersion = 0;

  private device: GPUDevice | null = null;

  /** The page's GPU device when one is ready, for views that share it (atlas, benchmark). */
  get sharedDevice(): { device: GPUDevice; adapter: string } | null {
    return this.device && this.gpu.status === 'ready'
      ? { device: this.device, adapter: this.gpu.adapter ?? 'WebGPU' }
      : null;
  }
  /** Identifies the current device's lost callback, so a lost old device is ignored. */
  private deviceToken: object | null = null;
  private listeners = new Set<() => void>();
  private queue: Promise<void> = Promise.resolve();
  private gen = 0;
  private loopAbort: AbortController | null = null;
  /** Aborts the build in progress: an edit, a backend switch or Cancel never waits for it. */
  private buildAbort: AbortController | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private pacer = new StepPacer();
  private pastEnd = false;
  private playWhenReady = false;
  private dataCache: { key: string; data: SplitDataset } | null = null;
  private mnist: Promise<ArrayBuffer> | null = null;
  private extent: Extent | null = null;

  constructor(
    initial: PageState,
    private readonly deps: StoreDeps,
  ) {
    this.state = initial;
  }

  // ---- subscription ----

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task).catch((e) => this.fail(e as Error));
    this.queue = next;
    return next;
  }

  /** Resolves when every queued action so far has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  // ---- derived ----

  /** The backend actually used: the GPU only when asked for and available. */
  get backend(): BackendName {
    return this.state.backend === 'gpu' && this.gpu.status === 'ready' ? 'gpu' : 'cpu';
  }

  get playing(): boolean {
    return this.phase === 'playing';
  }

  get lead(): RunState | undefined {
    return this.runs[Math.min(this.primary, this.runs.length - 1)];
  }

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

  // ---- state changes ----

  /** Replaces parts of the page state; anything that changes the runs rebuilds them. */
  setState(patch: Partial<PageState>): Promise<void> {
    const before = this.state;
    this.state = { ...before, ...patch, run: false };
    if (patch.lesson !== undefined) this.editedLesson = null;
    else if (patch.config && before.lesson && !isLessonConfig(before.lesson, patch.config)) {
      this.state.lesson = null;
      this.editedLesson = before.lesson;
    }
    this.stateVersion++;
    this.editError = null;
    if (patch.config && this.csv && !this.csvStillApplies(patch.config)) this.csv = null;
    const rebuild =
      patch.config !== undefined ||
      (patch.backend !== undefined && patch.backend !== before.backend) ||
      (patch.mode !== undefined && patch.mode !== before.mode) ||
      (patch.compare !== undefined && this.state.mode === 'compare');
    if (patch.target !== undefined) this.recountTargets();
    this.emit();
    return rebuild ? this.rebuildSoon() : Promise.resolve();
  }

  /** Parses a config document; a ConfigError becomes `editError` (the field named) and changes nothing. */
  setConfigDoc(doc: unknown): Promise<void> {
    let cfg: RunConfig;
    try {
      cfg = parseConfig(doc);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.editError = e.message;
      this.emit();
      return Promise.resolve();
    }
    return this.setState({ config: cfg });
  }

  /** The current config as a document of the schema (what editors start from). */
  configDoc(): Record<string, unknown> {
    return configToJSON(this.state.config);
  }

  newSeed(): Promise<void> {
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000;
    return this.setState({ config: { ...this.state.config, seed } });
  }

  /** Uses a parsed CSV as the dataset; the config's dataset becomes a `random` of the same shape. */
  useCsv(source: CsvSource, testFraction = 0.2): Promise<void> {
    const doc = this.configDoc() as Record<string, unknown> & { layers: { units: number; activation: unknown }[] };
    doc.dataset = csvDatasetConfig(source.data, source.data.n >= 10 ? testFraction : 0);
    const out = doc.layers[doc.layers.length - 1];
    if (source.data.classes > 2) {
      out.units = source.data.classes;
      out.activation = 'softmax';
      doc.loss = 'categorical_crossentropy';
    } else if (out.units !== 1 && out.units !== 2) {
      out.units = 1;
      out.activation = 'sigmoid';
      doc.loss = 'binary_crossentropy';
    }
    let cfg: RunConfig;
    try {
      cfg = parseConfig(doc);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.editError = e.message;
      this.emit();
      return Promise.resolve();
    }
    this.csv = source;
    return this.setState({ config: cfg, lesson: null });
  }

  private csvStillApplies(cfg: RunConfig): boolean {
    const d = cfg.dataset,
      c = this.csv!.data;
    return d.name === 'random' && d.samples === c.n && d.dim === c.inputDim && d.classes === c.classes;
  }

  private rebuildSoon(): Promise<void> {
    const gen = ++this.gen;
    this.loopAbort?.abort();
    this.buildAbort?.abort();
    return this.enqueue(() => this.rebuild(gen));
  }

  // ---- building ----

  private async rebuild(gen: number): Promise<void> {
    await this.stopLoop();
    if (gen !== this.gen) return;
    const playAfter = this.playWhenReady;
    this.disposeEngines();
    this.phase = 'building';
    this.message = null;
    const cfg = this.state.config;
    const backend = this.backend;
    const specs =
      this.state.mode === 'compare'
        ? this.state.compare.map((init, i) => ({ init, label: this.deps.label(init), color: this.deps.color(i) }))
        : [{ init: null, label: 'run', color: this.deps.color(0) }];
    this.runs = specs.map((s, i) => ({
      id: `${gen}-${i}`,
      label: s.label,
      color: s.color,
      init: s.init,
      engine: null,
      stepsToTarget: null,
      cfg: s.init ? withKernelInit(cfg, s.init) : cfg,
      history: new TrainingHistory(),
    }));
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

  private setBuild(build: BuildState, gen: number): void {
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

  private fail(e: Error): void {
    this.phase = this.gpu.status === 'lost' && this.state.backend === 'gpu' ? 'lost' : 'error';
    this.message = e instanceof ConfigError ? e.message : `${e.message}`;
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

  private disposeEngines(): void {
    for (const r of this.runs) {
      r.engine?.dispose();
      r.engine = null;
    }
  }

  // ---- training ----

  play(): Promise<void> {
    return this.enqueue(async () => {
      if (this.phase === 'building' || this.phase === 'starting') {
        this.playWhenReady = true;
        return;
      }
      if (this.phase === 'cancelled') {
        this.playWhenReady = true;
        await this.rebuild(++this.gen);
        return;
      }
      if (this.phase === 'ready' || this.phase === 'paused' || this.phase === 'done') {
        if (this.phase === 'done') this.pastEnd = true;
        this.startLoop();
        this.emit();
      }
    });
  }

  pause(): Promise<void> {
    this.playWhenReady = false;
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (this.phase !== 'playing') return this.emit();
      // Evaluated where it stopped, so the paused page reports one step everywhere.
      await this.observe(this.gen);
      this.phase = 'paused';
      this.emit();
    });
  }

  /** One update on every run, then paused. */
  stepOnce(): Promise<void> {
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (!this.canTrain()) return;
      const gen = this.gen;
      await this.runAll(1, undefined, gen);
      await this.observe(gen);
      if (gen !== this.gen) return;
      this.phase = 'paused';
      this.emit();
    });
  }

  /** Re-initializes every run with the same seed (same weights, same data order). */
  reset(): Promise<void> {
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (!this.runs.every((r) => r.engine)) {
        await this.rebuild(++this.gen);
        return;
      }
      const gen = this.gen;
      const firsts = await Promise.all(this.runs.map((r) => r.engine!.init()));
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        r.history.clear();
        r.stepsToTarget = null;
        this.push(r, firsts[i]);
      });
      this.pastEnd = false;
      this.samplesPerSec = 0;
      await this.observe(gen);
      this.phase = 'ready';
      this.emit();
    });
  }

  private canTrain(): boolean {
    return (
      this.runs.length > 0 &&
      this.runs.every((r) => r.engine) &&
      ['ready', 'paused', 'done', 'playing'].includes(this.phase)
    );
  }

  private startLoop(): void {
    const ac = new AbortController();
    this.loopAbort = ac;
    this.phase = 'playing';
    const gen = this.gen;
    this.loopDone = this.loop(ac.signal, gen).catch((e) => {
      if (gen === this.gen) this.fail(e as Error);
    });
  }

  private async stopLoop(): Promise<void> {
    this.loopAbort?.abort();
    this.loopAbort = null;
    await this.loopDone;
  }

  private async loop(signal: AbortSignal, gen: number): Promise<void> {
    let lastObserved = this.deps.now();
    let lastTick = this.deps.now();
    // Evaluations and predictions are side work: on a slow adapter they are spaced out so that
    // they take at most 1/SIDE_WORK_FACTOR of the time.
    let observeEvery = OBSERVE_EVERY_MS;
    while (!signal.aborted && gen === this.gen) {
      const lead = this.runs[0].engine!;
      const total = lead.totalSteps;
      const limited = !this.pastEnd && total > 0;
      const k = this.pacer.k;
      const steps = limited ? Math.min(k, Math.max(0, total - lead.step)) : k;
      if (steps === 0) break;
      const t0 = this.deps.now();
      await this.runAll(steps, signal, gen);
      if (gen !== this.gen) return;
      const t1 = this.deps.now();
      this.pacer.observe(steps, t1 - t0);
      const rate =
        (steps * Math.min(this.state.config.batch_size, this.data!.train.n) * this.runs.length) /
        Math.max(1e-3, (t1 - lastTick) / 1000);
      this.samplesPerSec = this.samplesPerSec ? 0.8 * this.samplesPerSec + 0.2 * rate : rate;
      if (t1 - lastObserved >= observeEvery) {
        await this.observe(gen);
        lastObserved = this.deps.now();
        observeEvery = Math.max(OBSERVE_EVERY_MS, SIDE_WORK_FACTOR * (lastObserved - t1));
      }
      if (gen !== this.gen) return;
      this.emit();
      if (limited && lead.step >= total) break;
      // Let the page handle input between calls (the CPU engine may share the thread in tests).
      await new Promise((r) => setTimeout(r, 0));
      lastTick = t1;
    }
    if (gen !== this.gen || signal.aborted) return;
    // The final picture first, so that "done" means the boundary shows the trained model.
    await this.observe(gen);
    if (gen !== this.gen || signal.aborted) return;
    this.loopAbort = null;
    this.phase = 'done';
    this.emit();
  }

  /** `steps` updates on every run; the records go into the histories. */
  private async runAll(steps: number, signal: AbortSignal | undefined, gen: number): Promise<void> {
    const buffers: StepRecord[][] = this.runs.map(() => []);
    await Promise.all(this.runs.map((r, i) => r.engine!.run(steps, (rec) => buffers[i].push(rec), signal)));
    if (gen !== this.gen) return;
    this.runs.forEach((r, i) => {
      for (const rec of buffers[i]) this.push(r, rec);
    });
  }

  private push(r: RunState, rec: StepRecord): void {
    r.history.push(rec);
    if (r.stepsToTarget === null && rec.loss <= this.state.target) r.stepsToTarget = rec.step;
  }

  private recountTargets(): void {
    for (const r of this.runs) {
      const h = r.history;
      const i = h.loss.findIndex((l) => l <= this.state.target);
      r.stepsToTarget = i >= 0 ? h.step[i] : null;
    }
  }

  /** Selects the run the boundary and digits show. */
  setPrimary(i: number): Promise<void> {
    this.primary = Math.max(0, Math.min(this.runs.length - 1, i));
    return this.enqueue(() => this.observe(this.gen, false).then(() => this.emit()));
  }

  // ---- evaluations and predictions ----

  /**
   * The side work of a record, at the engines' current step: every run's loss and accuracy on
   * the whole training set (and test set), then the shown run's output (the decision boundary or
   * predicted digits). The status line, the compare table and the boundary all read these, so
   * they report the same numbers for the same step. `evaluate` false redraws the output only.
   */
  private async observe(gen: number, evaluate = true): Promise<void> {
    const data = this.data;
    if (!data || !this.runs.every((r) => r.engine)) return;
    if (evaluate) {
      const evaluations = await Promise.all(this.runs.map((r) => evaluateSets(r.engine!, r.cfg, data)));
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        r.history.noteEvaluation(evaluations[i]);
      });
    }
    const run = this.lead!;
    const units = run.cfg.layers[run.cfg.layers.length - 1].units;
    const step = run.engine!.step;
    if (this.extent) {
      const grid = await predictBoundary(run.engine!, this.extent, GRID_SIZE, units);
      if (gen !== this.gen) return;
      this.boundary = { ...grid, gridSize: GRID_SIZE, extent: this.extent, step };
    } else if (data.train.inputDim === 784) {
      const d = await predictDigits(run.engine!, data.test ?? data.train, DIGITS_SHOWN, units);
      if (gen !== this.gen) return;
      this.digits = { ...d, step };
    }
  }

  // ---- files ----

  /** Loads weights (the engine's file format) into every run: shapes must match the config. */
  /** Throws a ConfigError naming the field when the file does not fit the configured network. */
  loadWeights(doc: unknown): Promise<void> {
    const w = decodeWeights(doc, layerShapes(this.state.config));
    if (!this.runs.every((r) => r.engine)) throw new Error('the network is not built yet; wait until it is ready');
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      const gen = this.gen;
      const firsts = await Promise.all(this.runs.map((r) => r.engine!.init(w)));
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        r.history.clear();
        r.stepsToTarget = null;
        this.push(r, firsts[i]);
      });
      await this.observe(gen);
      this.phase = 'paused';
      this.notice = 'Weights loaded: training continues from them.';
      this.emit();
    });
  }

  /** The shown run's current weights as the engine's weights document. */
  async saveWeights(): Promise<WeightsDocument> {
    const run = this.lead;
    if (!run?.engine) throw new Error('the network is not built yet');
    return encodeWeights(run.cfg, await run.engine.weights());
  }
}

/** The config with every layer's kernel initializer replaced (one compared run). */
export function withKernelInit(cfg: RunConfig, init: Initializer): RunConfig {
  return { ...cfg, layers: cfg.layers.map((l) => ({ ...l, kernel_initializer: init })) };
}

function concatPoints(d: SplitDataset): Float32Array {
  if (!d.test) return d.train.x;
  const all = new Float32Array(d.train.x.length + d.test.x.length);
  all.set(d.train.x);
  all.set(d.test.x, d.train.x.length);
  return all;
}
