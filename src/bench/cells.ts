/**
 * @file One cell of the ladder: one product shape, or one network, measured on every engine at
 * once. Every engine of a cell gets the same inputs (the same product operands, the same
 * network, initializers and rows), is warmed up outside the clock, and is timed interleaved
 * with the others (measure.ts); a product's result is compared with our CPU engine's.
 */
import type { Dataset } from '../core/types';
import type { EngineOptions } from '../engines/create';
import type { PipelineCache } from '../gpu/kernel';
import type { Engine } from '../train/engine';
import { type Entry, type MeasureOptions, measureInterleaved, NO_RECORDS, type Outcome } from './measure';
import { maxRelError, oursCpuProduct, oursGpuProduct, type ProductWorkload, productCase, tfProduct } from './products';
import { type BenchOptions, GPU_REWARM_MS, productShape, type Rung, rungInfo } from './spec';
import { toTiming } from './stats';
import type { TfBackend } from './tf';
import { countDispatchesPerStep, oursTrainWorkload, type TrainWorkload, tfTrainWorkload } from './training';
import type { BenchEnv, EngineName, ProductEngine, ProductMeasurement, TrainEngine, TrainMeasurement } from './types';

/** What a cell needs of the run. */
export interface CellContext {
  env: BenchEnv;
  opts: BenchOptions;
  measure: MeasureOptions;
  signal?: AbortSignal;
}

const TF_OF: Partial<Record<EngineName, TfBackend>> = {
  'tfjs-webgpu': 'webgpu',
  'tfjs-wasm': 'wasm',
  'tfjs-cpu': 'cpu',
};

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
export const onGpu = (engine: EngineName) => engine.startsWith('ours-gpu') || engine === 'tfjs-webgpu';
export const rewarm = (engine: EngineName) => (onGpu(engine) ? { rewarmMs: GPU_REWARM_MS } : {});

/** Below this an iteration may be dominated by fixed costs (dispatch, read-back) and says little about larger cells. */
const PREDICT_MIN_MS = 1000;

/**
 * Predicts an engine's time for the next, larger cell from its last measured one (time scales
 * with FLOPs once arithmetic dominates), and remembers where the budget already ruled it out.
 */
export class Predictor {
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

/** One product shape on every engine; measurements in the engines' order. */
export async function productCell(
  cx: CellContext,
  form: ProductMeasurement['form'],
  n: number,
  engines: readonly ProductEngine[],
  pred: Predictor,
  cache: PipelineCache | null,
): Promise<ProductMeasurement[]> {
  const { env } = cx;
  const shape = productShape(form, n);
  const { M, N, K } = shape;
  const flops = 2 * M * N * K;
  // The same operands for every engine: their results are compared with our CPU engine's.
  const c = productCase(form, shape, n);
  const workloads = new Map<ProductEngine, ProductWorkload>();
  const results = new Map<ProductEngine, ProductMeasurement>();
  const entries: Entry[] = [];
  const record = (engine: ProductEngine, extra: Partial<ProductMeasurement>) =>
    results.set(engine, { form, size: n, shape, engine, flops, status: 'skipped', ...extra });
  const build = (engine: ProductEngine): Promise<ProductWorkload> | ProductWorkload =>
    engine === 'ours-gpu'
      ? oursGpuProduct(env.gpu!.device, cache!, c)
      : engine === 'ours-cpu'
        ? oursCpuProduct(c)
        : tfProduct(env.tf!.tf, TF_OF[engine]!, c);
  try {
    for (const engine of engines) {
      const key = `${engine}|${form}`;
      const why = unavailable(env, engine) ?? pred.reason(key);
      if (why) {
        record(engine, { status: 'skipped', reason: why });
        continue;
      }
      try {
        const w = await build(engine);
        workloads.set(engine, w);
        const warmupIters = engine.endsWith('cpu') ? 1 : 2;
        entries.push({
          key: engine,
          workload: w,
          predictedMs: pred.predict(key, flops),
          warmupIters,
          ...rewarm(engine),
        });
      } catch (e) {
        record(engine, { status: 'failed', reason: (e as Error).message });
      }
    }
    const out = await measureInterleaved(entries, cx.measure, env.clock, cx.signal);
    const cpu = workloads.get('ours-cpu');
    const ref = cpu && out.get('ours-cpu')?.status === 'ok' ? await cpu.read() : null;
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
  return engines.flatMap((e) => results.get(e) ?? []);
}

/** The timing options of one training engine: our GPU engine's windows and budget (see the comment). */
function trainingEntry(cx: CellContext, engine: TrainEngine, w: TrainWorkload, predictedMs?: number): Entry {
  const ours = engine.startsWith('ours-gpu');
  return {
    key: engine,
    workload: w,
    predictedMs,
    warmupIters: onGpu(engine) ? 2 : 1,
    ...rewarm(engine),
    // A training cell gets twice the product budget. Our GPU engine times windows of several
    // steps, with and without statistics alike: each run() call ends with a record and waits for
    // the GPU, and that sync is no part of a step (training keeps the queue full and reads
    // records back asynchronously); timing one engine in 1-step windows and the other in 8-step
    // ones charged the sync to the statistics. Three times the budget, and windows shrink to 2
    // steps when even that is not enough.
    budgetMs: (ours ? 3 : 2) * cx.opts.budgetMs,
    // The statistics cost is the difference of these two: all repeats for both.
    ...(ours ? { minIters: cx.opts.minGpuSteps, minItersFloor: 2, allRepeats: true } : {}),
  };
}

/** One network on every engine, each from the same config and rows; measurements in the engines' order. */
export async function trainingCell(
  cx: CellContext,
  rung: Rung,
  data: Dataset,
  engines: readonly TrainEngine[],
  pred: Predictor,
): Promise<TrainMeasurement[]> {
  const { env } = cx;
  const info = rungInfo(rung);
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
  const build = async (engine: TrainEngine): Promise<TrainWorkload> => {
    const tb = TF_OF[engine];
    if (tb) return tfTrainWorkload(env.tf!.tf, tb, rung, data);
    // 'ts-cpu' is our TypeScript reference engine, the CPU engine before the WebAssembly one.
    const opts: EngineOptions = onGpu(engine)
      ? { backend: 'gpu', device: env.gpu!.device, adapter: env.gpu!.adapter }
      : { backend: 'cpu', cpu: engine === 'ts-cpu' ? 'typescript' : 'wasm' };
    const o = await oursTrainWorkload(rung, data, opts, engine === 'ours-gpu-stats' ? 1 : NO_RECORDS);
    ours.set(engine, o.engine);
    return o;
  };
  try {
    for (const engine of engines) {
      const why = unavailable(env, engine) ?? pred.reason(engine);
      if (why) {
        record(engine, { reason: why });
        continue;
      }
      try {
        const w = await build(engine);
        workloads.set(engine, w);
        entries.push(trainingEntry(cx, engine, w, pred.predict(engine, info.flopsPerStep)));
      } catch (e) {
        record(engine, { status: 'failed', reason: (e as Error).message });
      }
    }
    const out = await measureInterleaved(entries, cx.measure, env.clock, cx.signal);
    for (const engine of workloads.keys()) {
      const o = out.get(engine)!;
      pred.note(engine, info.flopsPerStep, o, rung.id);
      if (o.status !== 'ok') {
        record(engine, { status: o.status, reason: o.reason });
        continue;
      }
      const ms = o.summary.median;
      const meas: Partial<TrainMeasurement> = {
        status: 'ok',
        timing: toTiming(o),
        msPerStep: ms,
        stepsPerSec: 1000 / ms,
        samplesPerSec: (1000 / ms) * rung.batch,
        gflops: info.flopsPerStep / (ms * 1e6),
      };
      const engineOf = ours.get(engine);
      // A longer span where steps are cheap (fused engines may issue one dispatch for many steps).
      if (engineOf && onGpu(engine))
        meas.dispatchesPerStep = await countDispatchesPerStep(engineOf, engine === 'ours-gpu-stats', ms < 50 ? 32 : 2);
      record(engine, meas);
    }
  } finally {
    for (const w of workloads.values()) w.dispose();
  }
  return engines.flatMap((e) => results.get(e) ?? []);
}
