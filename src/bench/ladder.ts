/**
 * @file The benchmark runner: ceiling, products and the training ladder, in that order, then
 * target 1's cells once more. It has no Node or DOM dependency: the clock, the GPU device, TF.js
 * and the MNIST bytes are injected, so the CLI (src/bench/node.ts) and the page's Benchmark view
 * (src/bench/bench-view.ts) run the very same measurements. Each phase is a function of the run
 * (`Run`); a cell of a phase is measured in cells.ts.
 */
import { loadDataset } from '../core/datasets';
import type { Dataset } from '../core/types';
import { PipelineCache } from '../gpu/kernel';
import { measureCeiling, recheckCeiling } from './ceiling';
import { type CellContext, onGpu, Predictor, productCell, rewarm, trainingCell } from './cells';
import { measureCpuCeiling, recheckCpuCeiling } from './cpu-ceiling';
import { checkAborted, type MeasureOptions, measureInterleaved } from './measure';
import { oursGpuProduct, productCase } from './products';
import { type BenchOptions, RUNGS, type Rung, rungConfig, rungInfo, TARGET_SIZE } from './spec';
import { toTiming } from './stats';
import type { BenchEnv, BenchResults, Ceiling, CpuCeiling, ProductMeasurement, TrainMeasurement } from './types';
import { PRODUCT_ENGINES, TRAIN_ENGINES } from './types';
import { REPORT_WORDS } from './words';

export interface BenchProgress {
  phase: 'ceiling' | 'products' | 'training' | 'done';
  /** Cells finished and in all. */
  done: number;
  total: number;
  label: string;
}

interface BenchCallbacks {
  onProgress?: (p: BenchProgress) => void;
  /** Every measurement as soon as it is known (the view's table and chart grow with them). */
  onProduct?: (m: ProductMeasurement) => void;
  onTraining?: (m: TrainMeasurement) => void;
  signal?: AbortSignal;
}

/** One run: its options, the engines and networks it measures, and its progress. */
interface Run extends CellContext {
  cb: BenchCallbacks;
  ceilingOptions: MeasureOptions;
  rungs: Rung[];
  /** Whether target 1's cells of our GPU engine are measured again at the end. */
  again: boolean;
  total: number;
  done: number;
}

function planRun(env: BenchEnv, opts: BenchOptions, cb: BenchCallbacks): Run {
  const measure: MeasureOptions = {
    repeats: opts.repeats,
    minRepeats: opts.minRepeats,
    targetMs: opts.targetMs,
    budgetMs: opts.budgetMs,
    warmupIters: 2,
  };
  const rungs = opts.rungs.map((id) => {
    const r = RUNGS.find((x) => x.id === id);
    if (!r) throw new Error(`unknown network ${id}; known: ${RUNGS.map((x) => x.id).join(', ')}`);
    return r;
  });
  const again =
    opts.parts.products && !!env.gpu && opts.engines.includes('ours-gpu') && opts.sizes.includes(TARGET_SIZE);
  const total =
    (opts.parts.ceiling ? 2 : 0) +
    (opts.parts.products ? opts.sizes.length * opts.forms.length : 0) +
    (opts.parts.training ? rungs.length : 0) +
    (again ? opts.forms.length : 0);
  const ceilingOptions = { ...measure, targetMs: Math.max(measure.targetMs, 300) };
  return { env, opts, cb, measure, ceilingOptions, signal: cb.signal, rungs, again, total, done: 0 };
}

async function progress(run: Run, phase: BenchProgress['phase'], label: string): Promise<void> {
  run.cb.onProgress?.({ phase, done: run.done, total: run.total, label });
  await run.env.pause?.();
}

async function ceilingPhase(run: Run): Promise<Ceiling | null> {
  const { gpu, clock } = run.env;
  if (!run.opts.parts.ceiling) return null;
  let ceiling: Ceiling | null = null;
  if (gpu) {
    await progress(run, 'ceiling', 'adapter ceiling (FMA kernel)');
    ceiling = await measureCeiling(gpu.device, clock, run.ceilingOptions, run.signal);
  }
  run.done++;
  return ceiling;
}

/** The CPU's ceiling, where our CPU engine runs (cpu-ceiling.ts). */
async function cpuCeilingPhase(run: Run): Promise<CpuCeiling | null> {
  if (!run.opts.parts.ceiling) return null;
  let ceiling: CpuCeiling | null = null;
  if (run.opts.engines.includes('ours-cpu')) {
    await progress(run, 'ceiling', 'CPU ceiling (WebAssembly SIMD multiply-adds on every thread)');
    ceiling = await measureCpuCeiling(run.signal);
  }
  run.done++;
  return ceiling;
}

async function productsPhase(run: Run): Promise<ProductMeasurement[]> {
  const { opts, env } = run;
  if (!opts.parts.products) return [];
  const engines = PRODUCT_ENGINES.filter((e) => opts.engines.includes(e));
  const cache = env.gpu ? PipelineCache.for(env.gpu.device) : null;
  const pred = new Predictor();
  const products: ProductMeasurement[] = [];
  for (const n of opts.sizes) {
    for (const form of opts.forms) {
      checkAborted(run.signal);
      await progress(run, 'products', `${form} ${n}³`);
      for (const m of await productCell(run, form, n, engines, pred, cache)) {
        products.push(m);
        run.cb.onProduct?.(m);
      }
      run.done++;
    }
  }
  return products;
}

async function trainingPhase(run: Run): Promise<TrainMeasurement[]> {
  const { opts, env } = run;
  if (!opts.parts.training) return [];
  const engines = TRAIN_ENGINES.filter((e) => opts.engines.includes(e));
  const pred = new Predictor();
  const datasets = new Map<string, Promise<Dataset>>();
  const training: TrainMeasurement[] = [];
  for (const rung of run.rungs) {
    checkAborted(run.signal);
    await progress(run, 'training', rung.label);
    const cfg = rungConfig(rung, 1);
    const key = JSON.stringify(cfg.dataset);
    if (!datasets.has(key))
      datasets.set(
        key,
        loadDataset(cfg.dataset, cfg.seed, env.load ?? {}).then((d) => d.train),
      );
    const data = await datasets.get(key)!;
    for (const m of await trainingCell(run, rung, data, engines, pred)) {
      training.push(m);
      run.cb.onTraining?.(m);
    }
    run.done++;
  }
  return training;
}

/**
 * Target 1's products of our GPU engine once more, at the end of the run (minutes after their
 * place in the ladder when the training rungs ran between): other load on a shared machine only
 * ever slows a measurement, and a slow spell can cover a whole cell, so the target reads the
 * faster of the two medians, as it reads the ceiling as the best seen (report and results.json
 * keep both).
 */
async function againPhase(run: Run, products: ProductMeasurement[]): Promise<void> {
  if (!run.again) return;
  const { device } = run.env.gpu!;
  const cache = PipelineCache.for(device);
  for (const form of run.opts.forms) {
    checkAborted(run.signal);
    await progress(run, 'products', `${form} ${TARGET_SIZE}³, ours GPU again`);
    const p = products.find(
      (x) => x.engine === 'ours-gpu' && x.form === form && x.size === TARGET_SIZE && x.status === 'ok',
    );
    if (p) {
      const w = await oursGpuProduct(device, cache, productCase(form, p.shape, TARGET_SIZE));
      try {
        const entry = { key: 'ours-gpu', workload: w, warmupIters: 2, ...rewarm('ours-gpu') };
        const o = (await measureInterleaved([entry], run.measure, run.env.clock, run.signal)).get('ours-gpu');
        if (o?.status === 'ok') p.again = toTiming(o);
      } finally {
        w.dispose();
      }
    }
    run.done++;
  }
}

/**
 * Fractions of the ceilings, once they are final (the best seen over the run): the adapter's for
 * the engines on the GPU, the CPU's for our CPU engine.
 */
function ceilingFractions(
  ceilings: { gpu: Ceiling | null; cpu: CpuCeiling | null },
  measurements: (ProductMeasurement | TrainMeasurement)[],
): void {
  for (const m of measurements) {
    const ceiling = onGpu(m.engine) ? ceilings.gpu : m.engine === 'ours-cpu' ? ceilings.cpu : null;
    if (m.gflops !== undefined && ceiling && ceiling.gflops > 0) m.ceilingFraction = m.gflops / ceiling.gflops;
  }
}

function runNotes(env: BenchEnv, training: TrainMeasurement[]): string[] {
  const notes: string[] = [];
  if (env.tf) {
    for (const [b, why] of Object.entries(env.tf.missing)) notes.push(`TF.js ${b} backend unavailable: ${why}`);
    notes.push(REPORT_WORDS.fill('note-tensors', { tensors: env.tf.tf.memory().numTensors }));
  }
  if (training.some((t) => t.dispatchesPerStep !== undefined)) notes.push(REPORT_WORDS.fill('note-dispatches'));
  return notes;
}

export async function runBench(env: BenchEnv, opts: BenchOptions, cb: BenchCallbacks = {}): Promise<BenchResults> {
  const t0 = env.clock.now();
  const run = planRun(env, opts, cb);
  const ceiling = await ceilingPhase(run);
  const cpuCeiling = await cpuCeilingPhase(run);
  const recheck = (when: string) =>
    ceiling && env.gpu && recheckCeiling(ceiling, when, env.gpu.device, env.clock, run.ceilingOptions, run.signal);
  const products = await productsPhase(run);
  if (opts.parts.products) await recheck('after the products');
  const training = await trainingPhase(run);
  await againPhase(run, products);
  if (opts.parts.training) await recheck('at the end');
  if (cpuCeiling && (opts.parts.products || opts.parts.training))
    await recheckCpuCeiling(cpuCeiling, 'at the end', run.signal);
  ceilingFractions({ gpu: ceiling, cpu: cpuCeiling }, [...products, ...training]);
  const notes = runNotes(env, training);
  await progress(run, 'done', 'finished');
  return {
    schema: 1,
    date: new Date().toISOString(),
    durationS: (env.clock.now() - t0) / 1000,
    options: { ...opts },
    environment: env.environment,
    ceiling,
    cpuCeiling,
    products,
    rungs: run.rungs.map(rungInfo),
    training,
    notes,
  };
}

export type { Rung };
