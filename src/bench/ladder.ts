/**
 * @file The benchmark runner: ceiling, products and the training ladder, in that order. It has
 * no Node or DOM dependency: the clock, the GPU device, TF.js and the MNIST bytes are injected,
 * so the CLI (src/bench/node.ts) and the page's Benchmark view (src/bench/bench-view.ts) run
 * the very same measurements.
 */
import { type LoadOptions, loadDataset } from '../core/datasets';
import type { Dataset } from '../core/types';
import type { EngineOptions } from '../engines/create';
import { PipelineCache } from '../gpu/kernel';
import type { Engine } from '../train/engine';
import { measureCeiling, recheckCeiling } from './ceiling';
import { measureCpuCeiling, recheckCpuCeiling } from './cpu-ceiling';
import { type Clock, checkAborted, type Entry, type MeasureOptions, measureInterleaved, type Outcome } from './measure';
import {
  maxRelError,
  oursCpuProduct,
  oursGpuProduct,
  type ProductWorkload,
  productInputs,
  tfProduct,
} from './products';
import {
  type BenchOptions,
  GPU_REWARM_MS,
  productShape,
  RUNGS,
  type Rung,
  rungConfig,
  rungInfo,
  TARGET_SIZE,
} from './spec';
import type { TfBackend, TfHandle } from './tf';
import { countDispatchesPerStep, oursTrainWorkload, type TrainWorkload, tfTrainWorkload } from './training';
import type {
  BenchResults,
  Ceiling,
  CpuCeiling,
  EngineName,
  Environment,
  ProductEngine,
  ProductMeasurement,
  Timing,
  TrainEngine,
  TrainMeasurement,
} from './types';
import { PRODUCT_ENGINES, TRAIN_ENGINES } from './types';

export interface BenchEnv {
  clock: Clock;
  /** Our device and its adapter's description; null where there is no WebGPU adapter. */
  gpu: { device: GPUDevice; adapter: string } | null;
  tf: TfHandle | null;
  /** How MNIST is read (the browser fetches it; Node reads the file). */
  load?: LoadOptions;
  environment: Environment;
  /** Lets the host breathe between cells (the page repaints its progress); Node needs none. */
  pause?: () => Promise<void>;
}

export interface BenchProgress {
  phase: 'ceiling' | 'products' | 'training' | 'done';
  /** Cells finished and in all. */
  done: number;
  total: number;
  label: string;
}

export interface BenchCallbacks {
  onProgress?: (p: BenchProgress) => void;
  /** Every measurement as soon as it is known (the view's table and chart grow with them). */
  onProduct?: (m: ProductMeasurement) => void;
  onTraining?: (m: TrainMeasurement) => void;
  signal?: AbortSignal;
}

/** log_every of "statistics off": only the one record every `run` call ends with. */
const NO_RECORDS = 1_000_000_000;

const TF_OF: Partial<Record<EngineName, TfBackend>> = {
  'tfjs-webgpu': 'webgpu',
  'tfjs-wasm': 'wasm',
  'tfjs-cpu': 'cpu',
};

function toTiming(o: Extract<Outcome, { status: 'ok' }>): Timing {
  const s = o.summary;
  return {
    median: s.median,
    min: s.min,
    max: s.max,
    repeats: o.samples.length,
    iters: o.iters,
    samples: o.samples,
    warmupMs: o.warmupMs,
  };
}

/** Why an engine cannot run here at all, or null when it can. */
function unavailable(env: BenchEnv, engine: EngineName): string | null {
  if (engine.startsWith('ours-gpu') && !env.gpu) return 'no WebGPU adapter';
  const tb = TF_OF[engine];
  if (tb) {
    if (!env.tf) return 'TF.js not loaded';
    if (!env.tf.backends.includes(tb)) return `TF.js ${tb} backend unavailable: ${env.tf.missing[tb] ?? 'not loaded'}`;
  }
  return null;
}

/** The engines that run on the adapter: ours (with or without statistics) and TF.js webgpu. */
const onGpu = (engine: EngineName) => engine.startsWith('ours-gpu') || engine === 'tfjs-webgpu';
const rewarm = (engine: EngineName) => (onGpu(engine) ? { rewarmMs: GPU_REWARM_MS } : {});

/** Below this an iteration may be dominated by fixed costs (dispatch, read-back) and says little about larger cells. */
const PREDICT_MIN_MS = 1000;

/**
 * Predicts an engine's time for the next, larger cell from its last measured one (time scales
 * with FLOPs once arithmetic dominates), and remembers where the budget already ruled it out.
 */
class Predictor {
  private readonly last = new Map<string, { ms: number; flops: number }>();
  private readonly ruledOut = new Map<string, string>();
  note(key: string, flops: number, o: Outcome | undefined, cell: string): void {
    if (o?.status === 'ok') this.last.set(key, { ms: o.summary.median, flops });
    else if (o?.status === 'skipped' && !this.ruledOut.has(key))
      this.ruledOut.set(key, `too slow from ${cell} on (${o.reason})`);
  }
  predict(key: string, flops: number): number | undefined {
    const l = this.last.get(key);
    return l && l.ms >= PREDICT_MIN_MS ? (l.ms * flops) / l.flops : undefined;
  }
  reason(key: string): string | undefined {
    return this.ruledOut.get(key);
  }
}

export async function runBench(env: BenchEnv, opts: BenchOptions, cb: BenchCallbacks = {}): Promise<BenchResults> {
  const { clock } = env;
  const t0 = clock.now();
  const signal = cb.signal;
  const m: MeasureOptions = {
    repeats: opts.repeats,
    minRepeats: opts.minRepeats,
    targetMs: opts.targetMs,
    budgetMs: opts.budgetMs,
    warmupIters: 2,
  };
  const productEngines = PRODUCT_ENGINES.filter((e) => opts.engines.includes(e));
  const trainEngines = TRAIN_ENGINES.filter((e) => opts.engines.includes(e));
  const rungs = opts.rungs.map((id) => {
    const r = RUNGS.find((x) => x.id === id);
    if (!r) throw new Error(`unknown network ${id}; known: ${RUNGS.map((x) => x.id).join(', ')}`);
    return r;
  });
  // Target 1's cells of our GPU engine are measured again at the end (see below).
  const again =
    opts.parts.products && env.gpu && productEngines.includes('ours-gpu') && opts.sizes.includes(TARGET_SIZE);
  const total =
    (opts.parts.ceiling ? 2 : 0) +
    (opts.parts.products ? opts.sizes.length * opts.forms.length : 0) +
    (opts.parts.training ? rungs.length : 0) +
    (again ? opts.forms.length : 0);
  let done = 0;
  const progress = async (phase: BenchProgress['phase'], label: string) => {
    cb.onProgress?.({ phase, done, total, label });
    await env.pause?.();
  };
  const notes: string[] = [];

  let ceiling: Ceiling | null = null;
  const ceilingOpts = { ...m, targetMs: Math.max(m.targetMs, 300) };
  if (opts.parts.ceiling && env.gpu) {
    await progress('ceiling', 'adapter ceiling (FMA kernel)');
    ceiling = await measureCeiling(env.gpu.device, clock, ceilingOpts, signal);
  }
  if (opts.parts.ceiling) done++;
  const onCpu = opts.engines.includes('ours-cpu');
  let cpuCeiling: CpuCeiling | null = null;
  if (opts.parts.ceiling && onCpu) {
    await progress('ceiling', 'CPU ceiling (WebAssembly SIMD multiply-adds on every thread)');
    cpuCeiling = await measureCpuCeiling(signal);
  }
  if (opts.parts.ceiling) done++;

  const products: ProductMeasurement[] = [];
  if (opts.parts.products) {
    const cache = env.gpu ? PipelineCache.for(env.gpu.device) : null;
    const pred = new Predictor();
    for (const n of opts.sizes) {
      for (const form of opts.forms) {
        checkAborted(signal);
        await progress('products', `${form} ${n}³`);
        const shape = productShape(form, n);
        const { M, N, K } = shape;
        const flops = 2 * M * N * K;
        const inputs = productInputs(form, M, N, K, n);
        const workloads = new Map<ProductEngine, ProductWorkload>();
        const results = new Map<ProductEngine, ProductMeasurement>();
        const entries: Entry[] = [];
        const record = (engine: ProductEngine, extra: Partial<ProductMeasurement>) =>
          results.set(engine, { form, size: n, shape, engine, flops, status: 'skipped', ...extra });
        try {
          for (const engine of productEngines) {
            const key = `${engine}|${form}`;
            const why = unavailable(env, engine) ?? pred.reason(key);
            if (why) {
              record(engine, { status: 'skipped', reason: why });
              continue;
            }
            try {
              const tb = TF_OF[engine];
              const w =
                engine === 'ours-gpu'
                  ? await oursGpuProduct(env.gpu!.device, cache!, form, M, N, K, inputs)
                  : engine === 'ours-cpu'
                    ? await oursCpuProduct(form, M, N, K, inputs)
                    : await tfProduct(env.tf!.tf, tb!, form, M, N, K, inputs);
              workloads.set(engine, w);
              entries.push({
                key: engine,
                workload: w,
                predictedMs: pred.predict(key, flops),
                warmupIters: engine.endsWith('cpu') ? 1 : 2,
                ...rewarm(engine),
              });
            } catch (e) {
              record(engine, { status: 'failed', reason: (e as Error).message });
            }
          }
          const out = await measureInterleaved(entries, m, clock, signal);
          let ref: Float32Array | null = null;
          const cpu = workloads.get('ours-cpu');
          if (cpu && out.get('ours-cpu')?.status === 'ok') ref = await cpu.read();
          for (const [engine, w] of workloads) {
            const o = out.get(engine)!;
            pred.note(`${engine}|${form}`, flops, o, `${form} ${n}³`);
            if (o.status !== 'ok') {
              record(engine, { status: o.status, reason: o.reason, method: w.method });
              continue;
            }
            const gflops = flops / (o.summary.median * 1e6);
            const meas: Partial<ProductMeasurement> = {
              status: 'ok',
              method: w.method,
              dispatches: w.dispatches,
              timing: toTiming(o),
              gflops,
            };
            if (ref && engine !== 'ours-cpu') meas.maxRelErrorVsCpu = maxRelError(await w.read(), ref);
            record(engine, meas);
          }
        } finally {
          for (const w of workloads.values()) w.dispose();
        }
        for (const engine of productEngines) {
          const r = results.get(engine);
          if (!r) continue;
          products.push(r);
          cb.onProduct?.(r);
        }
        done++;
      }
    }
  }

  if (ceiling && env.gpu && opts.parts.products)
    await recheckCeiling(ceiling, 'after the products', env.gpu.device, clock, ceilingOpts, signal);

  const training: TrainMeasurement[] = [];
  if (opts.parts.training) {
    const pred = new Predictor();
    const datasets = new Map<string, Promise<Dataset>>();
    for (const rung of rungs) {
      checkAborted(signal);
      await progress('training', rung.label);
      const info = rungInfo(rung);
      const cfg = rungConfig(rung, 1);
      const key = JSON.stringify(cfg.dataset);
      if (!datasets.has(key))
        datasets.set(
          key,
          loadDataset(cfg.dataset, cfg.seed, env.load ?? {}).then((d) => d.train),
        );
      const data = await datasets.get(key)!;
      const workloads = new Map<TrainEngine, TrainWorkload>();
      const results = new Map<TrainEngine, TrainMeasurement>();
      const record = (engine: TrainEngine, extra: Partial<TrainMeasurement>) =>
        results.set(engine, {
          rung: rung.id,
          engine,
          batch: rung.batch,
          flopsPerStep: info.flopsPerStep,
          status: 'skipped',
          ...extra,
        });
      const entries: Entry[] = [];
      const ours = new Map<TrainEngine, Engine>();
      try {
        for (const engine of trainEngines) {
          const why = unavailable(env, engine) ?? pred.reason(engine);
          if (why) {
            record(engine, { reason: why });
            continue;
          }
          try {
            let w: TrainWorkload;
            if (engine.startsWith('ours-') || engine === 'ts-cpu') {
              const opts: EngineOptions =
                engine === 'ours-cpu' || engine === 'ts-cpu'
                  ? { backend: 'cpu', cpu: engine === 'ts-cpu' ? 'typescript' : 'wasm' }
                  : { backend: 'gpu', device: env.gpu!.device, adapter: env.gpu!.adapter };
              const o = await oursTrainWorkload(rung, data, opts, engine === 'ours-gpu-stats' ? 1 : NO_RECORDS);
              ours.set(engine, o.engine);
              w = o;
            } else {
              w = await tfTrainWorkload(env.tf!.tf, TF_OF[engine]!, rung, data);
            }
            workloads.set(engine, w);
            entries.push({
              key: engine,
              workload: w,
              predictedMs: pred.predict(engine, info.flopsPerStep),
              warmupIters: onGpu(engine) ? 2 : 1,
              ...rewarm(engine),
              // A training cell gets twice the product budget. Our GPU engine times windows of
              // several steps, with and without statistics alike: each run() call ends with a
              // record and waits for the GPU, and that sync is no part of a step (training keeps
              // the queue full and reads records back asynchronously); timing one engine in
              // 1-step windows and the other in 8-step ones charged the sync to the statistics.
              // Three times the budget, and windows shrink to 2 steps when even that is not enough.
              budgetMs: (engine.startsWith('ours-gpu') ? 3 : 2) * opts.budgetMs,
              // The statistics cost is the difference of these two: all repeats for both.
              ...(engine.startsWith('ours-gpu')
                ? { minIters: opts.minGpuSteps, minItersFloor: 2, allRepeats: true }
                : {}),
            });
          } catch (e) {
            record(engine, { status: 'failed', reason: (e as Error).message });
          }
        }
        const out = await measureInterleaved(entries, m, clock, signal);
        for (const engine of workloads.keys()) {
          const o = out.get(engine)!;
          pred.note(engine, info.flopsPerStep, o, rung.id);
          if (o.status !== 'ok') {
            record(engine, { status: o.status, reason: o.reason });
            continue;
          }
          const ms = o.summary.median;
          const gflops = info.flopsPerStep / (ms * 1e6);
          const meas: Partial<TrainMeasurement> = {
            status: 'ok',
            timing: toTiming(o),
            msPerStep: ms,
            stepsPerSec: 1000 / ms,
            samplesPerSec: (1000 / ms) * rung.batch,
            gflops,
          };
          if (engine === 'ours-gpu' || engine === 'ours-gpu-stats') {
            // A longer span where steps are cheap (fused engines may issue one dispatch for many steps).
            meas.dispatchesPerStep = await countDispatchesPerStep(
              ours.get(engine)!,
              engine === 'ours-gpu-stats',
              ms < 50 ? 32 : 2,
            );
          }
          record(engine, meas);
        }
      } finally {
        for (const w of workloads.values()) w.dispose();
      }
      for (const engine of trainEngines) {
        const r = results.get(engine);
        if (!r) continue;
        training.push(r);
        cb.onTraining?.(r);
      }
      done++;
    }
  }
  // Target 1's products of our GPU engine once more, at the end of the run (minutes after their
  // place in the ladder when the training rungs ran between): other load on a shared machine only
  // ever slows a measurement, and a slow spell can cover a whole cell, so the target reads the
  // faster of the two medians, as it reads the ceiling as the best seen (report and results.json
  // keep both).
  if (again) {
    const cache = PipelineCache.for(env.gpu!.device);
    for (const form of opts.forms) {
      checkAborted(signal);
      await progress('products', `${form} ${TARGET_SIZE}³, ours GPU again`);
      const p = products.find(
        (x) => x.engine === 'ours-gpu' && x.form === form && x.size === TARGET_SIZE && x.status === 'ok',
      );
      if (p) {
        const { M, N, K } = p.shape;
        const w = await oursGpuProduct(
          env.gpu!.device,
          cache,
          form,
          M,
          N,
          K,
          productInputs(form, M, N, K, TARGET_SIZE),
        );
        try {
          const o = (
            await measureInterleaved(
              [{ key: 'ours-gpu', workload: w, warmupIters: 2, ...rewarm('ours-gpu') }],
              m,
              clock,
              signal,
            )
          ).get('ours-gpu');
          if (o?.status === 'ok') p.again = toTiming(o);
        } finally {
          w.dispose();
        }
      }
      done++;
    }
  }
  if (ceiling && env.gpu && opts.parts.training)
    await recheckCeiling(ceiling, 'at the end', env.gpu.device, clock, ceilingOpts, signal);
  if (cpuCeiling && (opts.parts.products || opts.parts.training))
    await recheckCpuCeiling(cpuCeiling, 'at the end', signal);
  // Fractions of the ceiling once it is final (the best seen over the run).
  if (ceiling && ceiling.gflops > 0) {
    for (const p of products)
      if (p.gflops !== undefined && onGpu(p.engine)) p.ceilingFraction = p.gflops / ceiling.gflops;
    for (const t of training)
      if (t.gflops !== undefined && onGpu(t.engine)) t.ceilingFraction = t.gflops / ceiling.gflops;
  }
  if (cpuCeiling && cpuCeiling.gflops > 0) {
    for (const p of products)
      if (p.gflops !== undefined && p.engine === 'ours-cpu') p.ceilingFraction = p.gflops / cpuCeiling.gflops;
    for (const t of training)
      if (t.gflops !== undefined && t.engine === 'ours-cpu') t.ceilingFraction = t.gflops / cpuCeiling.gflops;
  }
  if (env.tf) {
    for (const [b, why] of Object.entries(env.tf.missing)) notes.push(`TF.js ${b} backend unavailable: ${why}`);
    notes.push(
      `TF.js tensors alive at the end of the run: ${env.tf.tf.memory().numTensors} (every workload disposes its own)`,
    );
  }
  if (training.some((t) => t.dispatchesPerStep !== undefined)) {
    notes.push(
      'Dispatches per step of our GPU engine are counted on untimed calls by wrapping GPUComputePassEncoder.dispatchWorkgroups: (dispatches of a (1 + k)-step call − those of a 1-step call) / k without statistics (k = 32 where a step takes under 50 ms, else 2), a 1-step call with them.',
    );
  }
  await progress('done', 'finished');
  return {
    schema: 1,
    date: new Date().toISOString(),
    durationS: (clock.now() - t0) / 1000,
    options: { ...opts },
    environment: env.environment,
    ceiling,
    cpuCeiling,
    products,
    rungs: rungs.map(rungInfo),
    training,
    notes,
  };
}

export type { Rung };
