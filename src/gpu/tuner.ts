/**
 * @file The product tuner: for the product shapes of a network, it times every variant that can
 * take each shape on this device (products.ts) and keeps the fastest, the way Triton's autotune
 * or ONNX Runtime's tunable ops choose kernels: by measurement on the device at hand, never by
 * its name. Choices are kept per adapter and kernel version (tune-cache.ts), so a second run on
 * the same adapter starts at once.
 *
 * A tuning first compiles the candidates, variant by variant in PRODUCT_VARIANTS's order, for
 * at most COMPILE_BUDGET_MS (then only the variants compiled by then are candidates: on a
 * hardware GPU all of them, on a software adapter whose shader compiler takes seconds over a
 * kernel shaped for a GPU, those shaped for it), then times each shape's candidates (trials.ts).
 */
import { type KernelDesc, PipelineCache } from './kernel';
import { STATS_CHUNKS } from './kernels';
import {
  type MatmulForm,
  type MatmulPlan,
  matmulPlan,
  PRODUCT_KERNELS_VERSION,
  PRODUCT_VARIANTS,
  type ProductCaps,
  type ProductChoices,
  productCapsOf,
  productVariants,
} from './products';
import { timeStatsChunks } from './stats-chunk';
import { type TrialTimer, trialTimer } from './trial-timer';
import { type ProductShape, timeShape } from './trials';
import { type AdapterEntry, loadEntry, memoryStore, saveEntry, type TuneStore } from './tune-cache';

export type { ProductShape } from './trials';

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

interface TuneOptions {
  signal?: AbortSignal;
  /** Trials done of trials to do (one per shape and candidate), after each. */
  onProgress?(done: number, total: number): void;
  /** Times every shape, even those the cache has a choice for (the tune command). */
  retime?: boolean;
  /** Each shape's trials once it is chosen. */
  onTrials?(trials: Trial[]): void;
  /** How long to compile candidates before timing only those compiled (default COMPILE_BUDGET_MS). */
  compileBudgetMs?: number;
}

/**
 * How long the tuner compiles candidates before it times only those compiled (a software
 * adapter's shader compiler can take seconds over one kernel shaped for a GPU).
 */
const COMPILE_BUDGET_MS = 5000;

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
    if (!todo.length && !chunkTodo) return new TunedChoices(entry.products, entry.statsChunk ?? STATS_CHUNKS[0]);
    // Each candidate of each shape counts twice, compiled and timed; the statistics chunks once.
    const sizes = todo.map((s) => this.candidates(s).length);
    const total = sizes.reduce((n, c) => n + 2 * c, chunkTodo ? STATS_CHUNKS.length : 0);
    let done = 0;
    const tick = () => opts.onProgress?.(++done, total);
    const timer = trialTimer(this.device, Math.max(STATS_CHUNKS.length, ...sizes));
    try {
      const compiled = await this.compile(todo, opts.compileBudgetMs ?? COMPILE_BUDGET_MS, opts.signal, tick);
      for (const s of todo) {
        opts.signal?.throwIfAborted();
        const trials = await this.trial(s, compiled, timer, opts.signal, tick);
        const best = trials.find((t) => t.chosen)!;
        entry.products[shapeKey(s)] = { variant: best.variant, ms: best.ms };
        opts.onTrials?.(trials);
      }
      if (chunkTodo) {
        const chunks = await timeStatsChunks(this.device, this.cache, timer, opts.signal);
        entry.statsChunk = chunks.reduce((a, c) => (c.ms < a.ms ? c : a)).chunk;
        for (const _ of chunks) tick();
      }
    } finally {
      timer.dispose();
      // What was measured is kept, even when the tuning was cancelled half way.
      this.saveError = await saveEntry(this.store, this.adapter, entry);
    }
    return new TunedChoices(entry.products, entry.statsChunk ?? STATS_CHUNKS[0]);
  }

  /**
   * Compiles the candidates of `shapes`, one variant at a time (every shape's plan of it at
   * once), until `budgetMs` has passed: the `shapeKey variant` pairs compiled. The general
   * kernel, first, is always compiled.
   */
  private async compile(
    shapes: readonly ProductShape[],
    budgetMs: number,
    signal: AbortSignal | undefined,
    tick: () => void,
  ): Promise<Set<string>> {
    const compiled = new Set<string>();
    const t0 = performance.now();
    for (const variant of PRODUCT_VARIANTS) {
      const takers = shapes.filter((s) => this.candidates(s).includes(variant));
      if (compiled.size && performance.now() - t0 > budgetMs) {
        for (const _ of takers) tick();
        continue;
      }
      signal?.throwIfAborted();
      await Promise.all(
        takers.map(async (s) => {
          await Promise.all(this.kernels(s, variant).map((d) => this.cache.get(d)));
          compiled.add(`${shapeKey(s)} ${variant}`);
          tick();
        }),
      );
    }
    return compiled;
  }

  private get cache(): PipelineCache {
    return PipelineCache.for(this.device);
  }

  /** The kernels a variant's plan of a shape runs: its transpositions and its product. */
  private kernels(s: ProductShape, variant: string): KernelDesc[] {
    const plan = matmulPlan(s.form, s.m, s.n, s.k, variant, this.caps) as MatmulPlan;
    return [plan.transposeA?.desc, plan.transposeB?.desc, plan.desc].filter((d): d is KernelDesc => d !== undefined);
  }

  private candidates(s: ProductShape): string[] {
    return productVariants(s.form, s.m, s.n, s.k, this.caps);
  }

  /** Times the compiled candidates of one shape; the fastest is `chosen`. */
  private async trial(
    s: ProductShape,
    compiled: Set<string>,
    timer: TrialTimer,
    signal: AbortSignal | undefined,
    tick: () => void,
  ): Promise<Trial[]> {
    const all = this.candidates(s);
    const variants = all.filter((v) => compiled.has(`${shapeKey(s)} ${v}`));
    for (let i = variants.length; i < all.length; i++) tick();
    const plans = variants.map((v) => matmulPlan(s.form, s.m, s.n, s.k, v, this.caps) as MatmulPlan);
    const { ms, timed } = await timeShape(this.device, this.cache, s, plans, timer, signal, tick);
    const chosen = timed.reduce((a, i) => (ms[i] < ms[a] ? i : a), timed[0]);
    return variants.map((variant, i): Trial => ({ ...s, variant, ms: ms[i], chosen: i === chosen }));
  }
}
