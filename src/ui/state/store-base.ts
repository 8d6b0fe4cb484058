/**
 * @file The playground store's foundation, shared by its parts (store-build.ts builds the runs,
 * store-training.ts trains them, store.ts takes the page's edits and files): the page state and
 * what the views read, subscription, the one queue every action goes through, and the side work
 * of a record (each run's evaluation on the whole training and test sets, then the shown run's
 * decision boundary or predicted digits, all at one step). Plain TypeScript, no DOM.
 *
 * Actions are serialized through one queue; a rebuild bumps a generation number (`gen`), and
 * every await re-checks it, so stale engines and results are dropped instead of racing the new
 * ones.
 */
import type { Extent } from '../../charts/boundary-data';
import { ConfigError } from '../../core/errors';
import type { SplitDataset } from '../../core/types';
import type { BackendName, StepRecord } from '../../train/engine';
import { evaluateSets } from '../../train/evaluate';
import type { BuildState } from './build';
import { StepPacer } from './pacer';
import { type DigitSample, predictBoundary, predictDigits } from './predictions';
import type { BoundaryView, CsvSource, GpuInfo, PageState, Phase, RunState, StoreDeps } from './types';

const GRID_SIZE = 64;
const DIGITS_SHOWN = 40;

export abstract class StoreBase {
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

  protected device: GPUDevice | null = null;

  /** The page's GPU device when one is ready, for views that share it (atlas, benchmark). */
  get sharedDevice(): { device: GPUDevice; adapter: string } | null {
    return this.device && this.gpu.status === 'ready'
      ? { device: this.device, adapter: this.gpu.adapter ?? 'WebGPU' }
      : null;
  }
  protected listeners = new Set<() => void>();
  private queue: Promise<void> = Promise.resolve();
  protected gen = 0;
  protected loopAbort: AbortController | null = null;
  protected loopDone: Promise<void> = Promise.resolve();
  protected pacer = new StepPacer();
  protected pastEnd = false;
  protected playWhenReady = false;
  protected extent: Extent | null = null;

  constructor(
    initial: PageState,
    protected readonly deps: StoreDeps,
  ) {
    this.state = initial;
  }

  // ---- subscription ----

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected emit(): void {
    for (const fn of this.listeners) fn();
  }

  protected enqueue(task: () => Promise<void>): Promise<void> {
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

  protected fail(e: Error): void {
    this.phase = this.gpu.status === 'lost' && this.state.backend === 'gpu' ? 'lost' : 'error';
    this.message = e instanceof ConfigError ? e.message : `${e.message}`;
    this.emit();
  }

  protected disposeEngines(): void {
    for (const r of this.runs) {
      r.engine?.dispose();
      r.engine = null;
    }
  }

  protected async stopLoop(): Promise<void> {
    this.loopAbort?.abort();
    this.loopAbort = null;
    await this.loopDone;
  }

  protected push(r: RunState, rec: StepRecord): void {
    r.history.push(rec);
    if (r.stepsToTarget === null && rec.loss <= this.state.target) r.stepsToTarget = rec.step;
  }

  protected recountTargets(): void {
    for (const r of this.runs) {
      const h = r.history;
      const i = h.loss.findIndex((l) => l <= this.state.target);
      r.stepsToTarget = i >= 0 ? h.step[i] : null;
    }
  }

  /** Selects the run the boundary and digits show. */
  // ---- evaluations and predictions ----

  /**
   * The side work of a record, at the engines' current step: every run's loss and accuracy on
   * the whole training set (and test set), then the shown run's output (the decision boundary or
   * predicted digits). The status line, the compare table and the boundary all read these, so
   * they report the same numbers for the same step. `evaluate` false redraws the output only.
   */
  protected async observe(gen: number, evaluate = true): Promise<void> {
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
}
