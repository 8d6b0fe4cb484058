/**
 * @file What the benchmark measures: the product sizes, the training ladder and the options,
 * declared once as data. The CLI flags and the page's Benchmark view only pick from these.
 */
import { parseConfig } from '../core/config';
import type { RunConfig } from '../core/types';
import type { MatmulForm } from '../gpu/products';
import { layerShapes, paramCount } from '../train/model';
import { type EngineName, PRODUCT_ENGINES, type RungInfo, TRAIN_ENGINES } from './types';

export const PRODUCT_SIZES = [64, 128, 256, 512, 1024, 2048] as const;
/** The product size of target 1 (1024³), whose cells of our GPU engine are measured twice (ladder.ts). */
export const TARGET_SIZE = 1024;
export const FORMS: readonly MatmulForm[] = ['forward', 'dX', 'dW'];

/** (M, N, K) of a form at square size n (every form is n³ multiply-adds). */
export function productShape(_form: MatmulForm, n: number): { M: number; N: number; K: number } {
  return { M: n, N: n, K: n };
}

/** One network of the training ladder. */
export interface Rung {
  id: string;
  label: string;
  dataset: Record<string, unknown>;
  inputDim: number;
  hidden: number[];
  hiddenActivation: 'sigmoid' | 'tanh' | 'relu';
  outUnits: number;
  outActivation: 'sigmoid' | 'softmax';
  loss: 'mse' | 'categorical_crossentropy';
  batch: number;
}

/** MNIST rows: a whole number of batches, so every timed step is a full batch. */
const mnistRows = (batch: number) => Math.floor(10000 / batch) * batch;

/** An MNIST classifier of `depth` ReLU layers of `width` units, trained in batches of `batch`. */
function mnistRung(depth: number, width: number, batch: number): Rung {
  const hidden = depth === 1 ? `${width}` : `${depth}×${width}`;
  return {
    id: depth === 1 ? `mnist-${width}` : `mnist-${depth}x${width}`,
    label: `MNIST 784-${hidden}-10`,
    dataset: { name: 'mnist', samples: mnistRows(batch) },
    inputDim: 784,
    hidden: Array(depth).fill(width),
    hiddenActivation: 'relu',
    outUnits: 10,
    outActivation: 'softmax',
    loss: 'categorical_crossentropy',
    batch,
  };
}

export const RUNGS: readonly Rung[] = [
  {
    id: 'xor',
    label: 'XOR 2-2-1',
    dataset: { name: 'xor' },
    inputDim: 2,
    hidden: [2],
    hiddenActivation: 'sigmoid',
    outUnits: 1,
    outActivation: 'sigmoid',
    loss: 'mse',
    batch: 4,
  },
  {
    id: 'circle',
    label: 'circle 2-8-8-1',
    dataset: { name: 'circle', samples: 512, noise: 0.05 },
    inputDim: 2,
    hidden: [8, 8],
    hiddenActivation: 'tanh',
    outUnits: 1,
    outActivation: 'sigmoid',
    loss: 'mse',
    batch: 32,
  },
  mnistRung(1, 128, 128),
  mnistRung(8, 512, 512),
  mnistRung(16, 1024, 256),
];

/** The tiny networks, where per-step overhead rather than arithmetic decides (target 3). */
export const TINY_RUNGS = ['xor', 'circle'];

/** Our run config of a rung: SGD lr 0.01, glorot_uniform kernels, zero biases. */
export function rungConfig(r: Rung, logEvery: number): RunConfig {
  return parseConfig({
    seed: 1,
    dataset: r.dataset,
    layers: [
      ...r.hidden.map((units) => ({ units, activation: r.hiddenActivation })),
      { units: r.outUnits, activation: r.outActivation },
    ],
    loss: r.loss,
    optimizer: { name: 'sgd', learning_rate: 0.01 },
    batch_size: r.batch,
    epochs: 1_000_000,
    log_every: logEvery,
  });
}

/** 2·(forward + dW + dX) multiply-adds of one step; the first layer has no dX. */
export function stepFlops(r: Rung): number {
  const widths = [r.inputDim, ...r.hidden, r.outUnits];
  let f = 0;
  for (let l = 1; l < widths.length; l++) f += 2 * r.batch * widths[l - 1] * widths[l] * (l === 1 ? 2 : 3);
  return f;
}

/** `784-8×512-10`: runs of three or more equal widths are folded. */
export function layersLabel(r: Rung): string {
  return foldWidths([r.inputDim, ...r.hidden, r.outUnits]);
}

/** Widths joined by dashes, runs of three or more equal ones folded: `2-30×64-1`. */
export function foldWidths(widths: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < widths.length; ) {
    let j = i;
    while (j < widths.length && widths[j] === widths[i]) j++;
    const run = j - i;
    parts.push(run >= 3 ? `${run}×${widths[i]}` : Array(run).fill(widths[i]).join('-'));
    i = j;
  }
  return parts.join('-');
}

export function rungInfo(r: Rung): RungInfo {
  return {
    id: r.id,
    label: r.label,
    layers: layersLabel(r),
    batch: r.batch,
    loss: r.loss,
    params: paramCount(layerShapes(rungConfig(r, 1))),
    flopsPerStep: stepFlops(r),
  };
}

export interface BenchOptions {
  /** `atlas`: the population-training benchmark of the weight-space atlas (Node only). */
  parts: { ceiling: boolean; products: boolean; training: boolean; atlas?: boolean };
  sizes: number[];
  forms: MatmulForm[];
  rungs: string[];
  /** Engines to run; the others are left out of the results (not reported as skipped). */
  engines: EngineName[];
  repeats: number;
  minRepeats: number;
  /** Milliseconds a timed repeat lasts at least. */
  targetMs: number;
  /** Milliseconds one engine may spend on one cell (warm-up included). */
  budgetMs: number;
  /**
   * Steps per timed window of the GPU engine without statistics, at least: its one end-of-call
   * record is spread over them.
   */
  minGpuSteps: number;
  quick: boolean;
}

/**
 * GPU engines run about this much untimed work before each timed repeat (`Entry.rewarmMs`): on
 * the H200 (bench/nvidia-h200) the GPU engine timed first in each round, right after seconds of
 * TF.js wasm on the CPU, read slower than the same network timed right after it (bench/REPORT.md's
 * history, 2026-11-30). A GPU that idles lowers its clocks (the suspected cause, not yet confirmed
 * on hardware).
 */
export const GPU_REWARM_MS = 50;

export const ALL_ENGINES: EngineName[] = Array.from(new Set<EngineName>([...PRODUCT_ENGINES, ...TRAIN_ENGINES]));

/**
 * The full run (about 10–15 minutes on a 2-core machine with a software adapter), or with
 * `quick` a smaller one: sizes up to 1024, no 16×1024 network, 3 repeats, a tighter budget.
 */
export function defaultOptions(over: { quick?: boolean; maxSize?: number } = {}): BenchOptions {
  const quick = over.quick ?? false;
  const maxSize = over.maxSize ?? (quick ? 1024 : 2048);
  return {
    parts: { ceiling: true, products: true, training: true, atlas: true },
    sizes: PRODUCT_SIZES.filter((n) => n <= maxSize),
    forms: [...FORMS],
    rungs: RUNGS.filter((r) => !quick || r.id !== 'mnist-16x1024').map((r) => r.id),
    engines: [...ALL_ENGINES],
    repeats: quick ? 3 : 5,
    minRepeats: quick ? 2 : 3,
    targetMs: quick ? 100 : 200,
    budgetMs: quick ? 6_000 : 20_000,
    minGpuSteps: 8,
    quick,
  };
}

/** How engines are named in tables, charts and the view. */
export const ENGINE_LABELS: Record<EngineName, string> = {
  'ours-gpu': 'ours GPU',
  'ours-gpu-stats': 'ours GPU + stats',
  'ours-cpu': 'ours CPU',
  'tfjs-webgpu': 'TF.js webgpu',
  'tfjs-wasm': 'TF.js wasm',
  'tfjs-cpu': 'TF.js cpu',
  'ts-cpu': 'TypeScript CPU',
};

/** One colour per engine (Okabe–Ito), the same in the report's SVGs and the page's chart. */
export const ENGINE_COLORS: Record<EngineName, string> = {
  'ours-gpu': '#0072b2',
  'ours-gpu-stats': '#56b4e9',
  'ours-cpu': '#d55e00',
  'tfjs-webgpu': '#009e73',
  'tfjs-wasm': '#e69f00',
  'tfjs-cpu': '#cc79a7',
  'ts-cpu': '#999999',
};
