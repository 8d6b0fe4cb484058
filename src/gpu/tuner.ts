/**
 * @file The product tuner: for the product shapes of a network, it times every variant that can
 * take each shape on this device (products.ts) and keeps the fastest, the way Triton's autotune
 * or ONNX Runtime's tunable ops choose kernels: by measurement on the device at hand, never by
 * its name. Choices are kept per adapter and kernel version (tune-cache.ts), so a second run on
 * the same adapter starts at once.
 *
 * A shape's trial: a probe of every candidate first, the product alone over a sixteenth of its
 * workgroups, whose time scaled up estimates a full run's (every candidate is then compiled and
 * warm). A candidate whose estimate is both long (over LONG_MS) and more than PRUNE times the
 * fastest estimate is dropped without a full run: on a software adapter, where one run of a
 * kernel shaped for another kind of device can take a second, this bounds the trial to about
 * a sixteenth of such runs. The rest run once in full, those more than PRUNE times slower than
 * the fastest of that run are dropped, and the survivors are timed in ROUNDS interleaved rounds
 * of batches of about TARGET_MS; the fastest batch of each (or its single run, if faster) counts.
 */
import { type BoundKernel, bind, PipelineCache, writeArray } from './kernel';
import { STATS_CHUNKS } from './kernels';
import {
  type MatmulForm,
  type MatmulPlan,
  matmulCalls,
  matmulPlan,
  PRODUCT_KERNELS_VERSION,
  type ProductCaps,
  type ProductChoices,
  productCapsOf,
  productVariants,
} from './products';
import { timeStatsChunks } from './stats-chunk';
import { type Batch, type TrialTimer, trialTimer } from './trial-timer';
import { type AdapterEntry, loadEntry, memoryStore, saveEntry, type TuneStore } from './tune-cache';

/** A product as the tuner sees it: (m×k)·(k×n) → m×n in form `form` (matmulPlan's convention). */
export interface ProductShape {
  form: MatmulForm;
  m: number;
  n: number;
  k: number;
}

export const shapeKey = (s: ProductShape): string => `${s.form} ${s.m}x${s.n}x${s.k}`;

/** The products of one training step of a dense network: forward and dW of every layer, dX above the first. */
export function networkShapes(layers: readonly { fanIn: number; units: number }[], batch: number): ProductShape[] {
  const all = layers.flatMap(({ fanIn, units }, l) => [
    { form: 'forward' as const, m: batch, n: units, k: fanIn },
    ...(l > 0 ? [{ form: 'dX' as const, m: batch, n: fanIn, k: units }] : []),
    { form: 'dW' as const, m: fanIn, n: units, k: batch },
  ]);
  return [...new Map(all.map((s) => [shapeKey(s), s])).values()];
}

/** One variant's time on one shape. */
export interface Trial extends ProductShape {
  variant: string;
  /** Milliseconds per product: the fastest batch (or the single run of a dropped candidate). */
  ms: number;
  chosen: boolean;
}

export interface TuneOptions {
  signal?: AbortSignal;
  /** Trials done of trials to do (one per shape and candidate), after each. */
  onProgress?(done: number, total: number): void;
  /** Times every shape, even those the cache has a choice for (the tune command). */
  retime?: boolean;
  /** Each shape's trials once it is chosen. */
  onTrials?(trials: Trial[]): void;
}

const TARGET_MS = 2;
const MAX_REPS = 256;
const ROUNDS = 3;
const PRUNE = 3;
const LONG_MS = 10;
/** A probe runs 1 / PROBE_SHARE of the product's workgroups. */
const PROBE_SHARE = 16;

/** The variant chosen for every shape tuned so far on one device. */
export class TunedChoices implements ProductChoices {
  constructor(
    private readonly products: AdapterEntry['products'],
    /** Elements per workgroup of the statistics passes (kernels.ts, statsGroups). */
    readonly statsChunk: number,
  ) {}

  /**
   * The choice for this shape, else for the nearest tuned number of rows of the same form and
   * widths (a predict pass of another batch size), else the general kernel.
   */
  variantFor(form: MatmulForm, M: number, N: number, K: number): string {
    const exact = this.products[shapeKey({ form, m: M, n: N, k: K })];
    if (exact) return exact.variant;
    let best: string | null = null,
      distance = Infinity;
    for (const [key, c] of Object.entries(this.products)) {
      const [f, dims] = key.split(' ');
      const [m, n, k] = dims.split('x').map(Number);
      if (f !== form || n !== N || k !== K || Math.abs(Math.log(m / M)) >= distance) continue;
      best = c.variant;
      distance = Math.abs(Math.log(m / M));
    }
    return best ?? 'general';
  }
}

export class ProductTuner {
  private static readonly tuners = new WeakMap<GPUDevice, ProductTuner>();
  readonly caps: ProductCaps;
  /** The cache's key for this device: its adapter and what the variants may use of it. */
  readonly adapter: string;
  private entry: Promise<AdapterEntry> | null = null;
  /** Tunings run one at a time (engines built together would time each other's trials). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the last save failed, if it did. */
  saveError: Error | null = null;

  /** The device's tuner; the first call names where its choices are kept (memory by default). */
  static for(device: GPUDevice, store?: TuneStore): ProductTuner {
    let tuner = ProductTuner.tuners.get(device);
    if (!tuner) {
      tuner = new ProductTuner(device, store ?? memoryStore());
      ProductTuner.tuners.set(device, tuner);
    }
    return tuner;
  }

  constructor(
    readonly device: GPUDevice,
    readonly store: TuneStore,
  ) {
    this.caps = productCapsOf(device);
    const info = (device as GPUDevice & { adapterInfo?: Partial<GPUAdapterInfo> }).adapterInfo ?? {};
    const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s);
    this.adapter = `${parts.length ? [...new Set(parts)].join(' / ') : 'unknown adapter'} | subgroups ${this.caps.subgroupSize ?? 'none'}`;
  }

  /** The choices for `shapes`: cached where a valid choice is kept, else measured now (and kept). */
  choices(shapes: readonly ProductShape[], opts: TuneOptions = {}): Promise<TunedChoices> {
    const run = this.queue.then(() => this.tuneNow(shapes, opts));
    this.queue = run.catch(() => {});
    return run;
  }

  private async tuneNow(shapes: readonly ProductShape[], opts: TuneOptions): Promise<TunedChoices> {
    this.entry ??= loadEntry(this.store, this.adapter, PRODUCT_KERNELS_VERSION);
    const entry = await this.entry;
    const todo = shapes.filter((s) => {
      const kept = entry.products[shapeKey(s)];
      return opts.retime || !kept || !this.candidates(s).includes(kept.variant);
    });
    const chunkTodo = opts.retime || entry.statsChunk === undefined;
    if (todo.length || chunkTodo) {
      const sizes = todo.map((s) => this.candidates(s).length);
      const total = sizes.reduce((n, c) => n + c, chunkTodo ? STATS_CHUNKS.length : 0);
      let done = 0;
      const tick = () => opts.onProgress?.(++done, total);
      const timer = trialTimer(this.device, Math.max(STATS_CHUNKS.length, ...sizes));
      try {
        for (const s of todo) {
          opts.signal?.throwIfAborted();
          const trials = await this.trial(s, timer, opts.signal, tick);
          const best = trials.find((t) => t.chosen)!;
          entry.products[shapeKey(s)] = { variant: best.variant, ms: best.ms };
          opts.onTrials?.(trials);
        }
        if (chunkTodo) {
          const chunks = await timeStatsChunks(this.device, PipelineCache.for(this.device), timer, opts.signal);
          entry.statsChunk = chunks.reduce((a, c) => (c.ms < a.ms ? c : a)).chunk;
          for (const _ of chunks) tick();
        }
      } finally {
        timer.dispose();
        // What was measured is kept, even when the tuning was cancelled half way.
        this.saveError = await saveEntry(this.store, this.adapter, entry);
      }
    }
    return new TunedChoices(entry.products, entry.statsChunk ?? STATS_CHUNKS[0]);
  }

  private candidates(s: ProductShape): string[] {
    return productVariants(s.form, s.m, s.n, s.k, this.caps);
  }

  /** Times every candidate of one shape; the fastest is `chosen`. */
  private async trial(s: ProductShape, timer: TrialTimer, signal: AbortSignal | undefined, tick: () => void) {
    const variants = this.candidates(s);
    const plans = variants.map((v) => matmulPlan(s.form, s.m, s.n, s.k, v, this.caps) as MatmulPlan);
    const operands = new TrialOperands(this.device, s, plans);
    try {
      const { ms, timed } = await timeCandidates(await operands.bind(plans), timer, signal, tick);
      const chosen = timed.reduce((a, i) => (ms[i] < ms[a] ? i : a), timed[0]);
      return variants.map((variant, i): Trial => ({ ...s, variant, ms: ms[i], chosen: i === chosen }));
    } finally {
      operands.dispose();
    }
  }
}

/**
 * Probes, single runs and rounds of one shape's candidates (see the file's header): each one's
 * ms per product, and which were timed to the end (the others' ms is their estimate or run).
 */
async function timeCandidates(
  kernels: BoundKernel[][],
  timer: TrialTimer,
  signal: AbortSignal | undefined,
  tick: () => void,
): Promise<{ ms: number[]; timed: number[] }> {
  const probes = kernels.map(probeOf);
  const probed = await timer.time(probes.map((p) => ({ kernels: [p.kernel], reps: 1 })));
  const ms = probed.map((t, i) => t * probes[i].scale);
  const longest = Math.max(LONG_MS, PRUNE * Math.min(...ms));
  const runs: number[] = [];
  for (let i = 0; i < kernels.length; i++)
    if (ms[i] <= longest) runs.push(i);
    else tick();
  const first = await timer.time(runs.map((i) => ({ kernels: kernels[i], reps: 1 })));
  const slowest = PRUNE * Math.min(...first);
  const timed: number[] = [];
  for (const [j, i] of runs.entries()) {
    ms[i] = first[j];
    if (first[j] <= slowest) timed.push(i);
    else tick();
  }
  const batches: Batch[] = timed.map((i) => ({
    kernels: kernels[i],
    reps: Math.min(MAX_REPS, Math.max(1, Math.round(TARGET_MS / Math.max(ms[i], 1e-4)))),
  }));
  for (let r = 0; r < ROUNDS; r++) {
    signal?.throwIfAborted();
    const round = await timer.time(batches);
    for (const [j, i] of timed.entries()) ms[i] = Math.min(ms[i], round[j]);
  }
  for (const _ of timed) tick();
  return { ms, timed };
}

/**
 * A candidate's probe: its product (the last dispatch, after any transposition) over about
 * 1 / PROBE_SHARE of its workgroups, fewer rows of them first, and the factor to a full run.
 */
function probeOf(kernels: BoundKernel[]): { kernel: BoundKernel; scale: number } {
  const product = kernels[kernels.length - 1];
  const [x, y, z] = product.groups;
  const target = Math.max(1, Math.ceil((x * y) / PROBE_SHARE));
  const rows = Math.min(y, Math.max(1, Math.floor(target / x)));
  const cols = Math.min(x, target);
  return { kernel: { ...product, groups: [cols, rows, z] }, scale: (x * y) / (cols * rows) };
}

/** Operands of one shape's trial, filled with values in [-1, 1), and its candidates bound to them. */
class TrialOperands {
  private readonly made: GPUBuffer[] = [];
  private readonly cache: PipelineCache;

  constructor(
    readonly device: GPUDevice,
    readonly s: ProductShape,
    plans: readonly MatmulPlan[],
  ) {
    this.cache = PipelineCache.for(device);
    const [a, b] = s.form === 'dW' ? [s.k * s.m, s.k * s.n] : [s.m * s.k, s.k * s.n];
    this.A = this.filled(a);
    this.B = this.filled(b);
    this.bias = this.filled(s.n);
    this.out = this.buffer(s.m * s.n);
    const most = (pick: (p: MatmulPlan) => number) => Math.max(0, ...plans.map(pick));
    this.scratchA = this.buffer(most((p) => p.transposeA?.floats ?? 0));
    this.scratchB = this.buffer(most((p) => p.transposeB?.floats ?? 0));
  }

  readonly A: GPUBuffer;
  readonly B: GPUBuffer;
  readonly bias: GPUBuffer;
  readonly out: GPUBuffer;
  readonly scratchA: GPUBuffer;
  readonly scratchB: GPUBuffer;

  private buffer(floats: number): GPUBuffer {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const b = this.device.createBuffer({ label: 'tune', size: Math.max(16, 4 * floats), usage });
    this.made.push(b);
    return b;
  }

  private filled(floats: number): GPUBuffer {
    const b = this.buffer(floats);
    const data = new Float32Array(floats);
    let x = 1;
    for (let i = 0; i < floats; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      data[i] = x / 2147483648 - 1;
    }
    writeArray(this.device, b, data);
    return b;
  }

  /** Each plan's dispatches, compiled (in parallel) and bound. */
  bind(plans: readonly MatmulPlan[]): Promise<BoundKernel[][]> {
    return Promise.all(
      plans.map((p) =>
        Promise.all(
          matmulCalls(p, [this.A, this.B, this.bias, this.out], { a: this.scratchA, b: this.scratchB }).map(
            async (c) => {
              const k = bind(this.device, await this.cache.get(c.desc), c.buffers, c.groups, c.uniforms);
              if (k.params) this.made.push(k.params);
              return k;
            },
          ),
        ),
      ),
    );
  }

  dispose(): void {
    for (const b of this.made) b.destroy();
  }
}
