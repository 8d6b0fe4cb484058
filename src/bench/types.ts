/**
 * @file The shape of a benchmark run's results: what `bench/results.json` holds, what the
 * report and the charts are drawn from, and what the page's Benchmark view exports. Times are
 * milliseconds per iteration (one product, or one training step).
 */
import type { AtlasBenchResult } from '../atlas/bench';
import type { LoadOptions } from '../core/datasets';
import type { MatmulForm } from '../gpu/products';
import type { TfHandle } from './tf';

/** Engines of the product benchmark. */
export const PRODUCT_ENGINES = ['ours-gpu', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu', 'ours-cpu'] as const;
export type ProductEngine = (typeof PRODUCT_ENGINES)[number];

/**
 * Engines of the training ladder; `ours-gpu-stats` is the GPU engine recording statistics every
 * step; `ts-cpu` the TypeScript reference engine, our CPU engine before the WebAssembly one.
 */
export const TRAIN_ENGINES = [
  'ours-gpu',
  'ours-gpu-stats',
  'tfjs-webgpu',
  'tfjs-wasm',
  'tfjs-cpu',
  'ours-cpu',
  'ts-cpu',
] as const;
export type TrainEngine = (typeof TRAIN_ENGINES)[number];

export type EngineName = ProductEngine | TrainEngine;

type Status = 'ok' | 'skipped' | 'failed';

export interface Timing {
  /** Median ms per iteration over the timed repeats. */
  median: number;
  min: number;
  max: number;
  /** Timed repeats (warm-up excluded). */
  repeats: number;
  /** Iterations per repeat. */
  iters: number;
  /** Per-repeat ms per iteration, in measurement order. */
  samples: number[];
  /** Time of the discarded warm-up iterations (includes pipeline compilation). */
  warmupMs: number;
}

export interface ProductMeasurement {
  form: MatmulForm;
  /** Square size n: M = N = K = n. */
  size: number;
  /** (M×K)·(K×N) → M×N, in the convention of matmulPlan (src/gpu/products.ts). */
  shape: { M: number; N: number; K: number };
  engine: ProductEngine;
  /** 2·M·N·K. */
  flops: number;
  status: Status;
  reason?: string;
  timing?: Timing;
  gflops?: number;
  /** gflops / the measured ceiling: the adapter's for GPU engines, the CPU's for ours CPU. */
  ceilingFraction?: number;
  /** Which kernel or op did the work (e.g. matmul_nn_vec4, tf.fused.matMul). */
  method?: string;
  /** Compute dispatches per product (our GPU engine). */
  dispatches?: number;
  /** Largest |x − ref| / (1 + |ref|) against our CPU reference on the same inputs, where it ran. */
  maxRelErrorVsCpu?: number;
  /**
   * Our GPU engine at TARGET_SIZE: the same cell measured again at the end of the run. Target 1
   * takes the faster of the two medians against the ceiling, which is itself the best seen.
   */
  again?: Timing;
}

export interface TrainMeasurement {
  rung: string;
  engine: TrainEngine;
  batch: number;
  /** Multiply-adds ×2 of forward, dX and dW products per step. */
  flopsPerStep: number;
  status: Status;
  reason?: string;
  timing?: Timing;
  msPerStep?: number;
  stepsPerSec?: number;
  samplesPerSec?: number;
  gflops?: number;
  ceilingFraction?: number;
  /** Compute dispatches per step (our GPU engine, counted on an untimed call). */
  dispatchesPerStep?: number;
}

export interface CeilingVariant {
  /** Independent accumulators per invocation, each of `width` lanes (1: f32, 4: vec4). */
  chains: number;
  width: number;
  gflops: number;
  timing: Timing;
}

export interface Ceiling {
  /** Best multiply-add throughput found, GFLOP/s (one FMA = 2 FLOPs). */
  gflops: number;
  variants: CeilingVariant[];
  /** Cost of one empty dispatch inside a long pass, µs. */
  dispatchUs?: number;
  /** The best variant's GFLOP/s each time it was measured (start, after the products, at the end). */
  checks?: Array<{ when: string; gflops: number }>;
}

/** The CPU's multiply-add ceiling in WebAssembly SIMD (cpu-ceiling.ts). */
export interface CpuCeiling {
  /** Best GFLOP/s with every thread of our CPU engine at once. */
  gflops: number;
  threads: number;
  /** Best GFLOP/s of one thread alone. */
  oneThread: number;
  /** The all-threads figure each time it was measured. */
  checks?: Array<{ when: string; gflops: number }>;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB?: number;
  os?: string;
  /** 1-minute load average when the run started and ended (other work on the machine skews timings). */
  loadStart?: number;
  loadEnd?: number;
}

export interface Environment {
  /** The code measured: git commit (with "+dirty" when src/ or shaders/ have local changes), where known. */
  commit?: string;
  runtime: string;
  machine: Machine;
  /** Our adapter: vendor / architecture / device / description. */
  adapter: string | null;
  /** The adapter TF.js webgpu requested, described the same way. */
  tfjsAdapter: string | null;
  /** The driver (the adapter's description, e.g. the Mesa and LLVM versions). */
  driver: string | null;
  tfjsVersion: string | null;
  /** tfjs backends that initialized. */
  tfjsBackends: string[];
}

export interface RungInfo {
  id: string;
  label: string;
  layers: string;
  batch: number;
  loss: string;
  params: number;
  flopsPerStep: number;
}

export interface BenchResults {
  schema: 1;
  date: string;
  /** Wall time of the whole run, seconds. */
  durationS: number;
  options: Record<string, unknown>;
  environment: Environment;
  ceiling: Ceiling | null;
  /** The CPU's ceiling, measured where our CPU engine runs. */
  cpuCeiling?: CpuCeiling | null;
  products: ProductMeasurement[];
  rungs: RungInfo[];
  training: TrainMeasurement[];
  notes: string[];
  /** The weight-space atlas's population benchmark (src/atlas/bench.ts), when run. */
  atlas?: AtlasBenchResult | null;
}

/** Milliseconds from an arbitrary origin (performance.now in Node and in the browser). */
export interface Clock {
  now(): number;
  /**
   * Runs before every timed repeat, untimed: the host's chance to collect garbage and let the
   * previous engine's background threads fall idle, so that neither lands in the next engine's
   * repeat, where a software adapter's threads need those cores.
   */
  settle?(): void | Promise<void>;
}

/** What a run measures with: the host's clock, device, TF.js and data (Node and the page differ). */
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
