/**
 * @file "Where the GPU starts to win", the page's quick ladder: our GPU engine against our CPU
 * engine (TF.js's webgpu and wasm backends optional) on the forward product from 64³ to 1024³
 * and on the training ladder from XOR to the MNIST 8×512 network, and the size from which the
 * GPU is the faster of the two.
 */
import { chartColumns } from './charts';
import { type BenchOptions, defaultOptions, PRODUCT_SIZES } from './spec';
import type { BenchResults, EngineName } from './types';

const QUICK_RUNGS = ['xor', 'circle', 'mnist-128', 'mnist-8x512'];

/** The quick ladder's options, up to `maxSize`, with or without TF.js. */
export function quickLadderOptions(maxSize: number, includeTf: boolean): BenchOptions {
  const engines: EngineName[] = ['ours-gpu', 'ours-cpu', ...(includeTf ? (['tfjs-webgpu', 'tfjs-wasm'] as const) : [])];
  return {
    ...defaultOptions({ quick: true, maxSize }),
    parts: { ceiling: false, products: true, training: true, atlas: false },
    sizes: PRODUCT_SIZES.filter((n) => n <= maxSize),
    forms: ['forward'],
    rungs: QUICK_RUNGS,
    engines,
    repeats: 3,
    minRepeats: 2,
    targetMs: 60,
    budgetMs: 3_000,
  };
}

/**
 * Seconds the quick ladder takes, roughly, from the seconds one engine spends on one cell (its
 * build, warm-up and timed windows): under a second on a GPU, where the budget per cell rarely
 * binds; on a software adapter (a CPU standing in for the GPU) the GPU engine's warm-up of the
 * larger networks and every engine's budget bind, and a busy machine takes longer still.
 */
export function quickLadderSeconds(o: BenchOptions, softwareAdapter: boolean): number {
  const cells = o.sizes.length * o.forms.length + o.rungs.length;
  const perCellS = (softwareAdapter ? 20 : 0.8) * o.engines.length;
  return Math.round(cells * perCellS);
}

/** An adapter a CPU stands in for (SwiftShader, lavapipe, llvmpipe, WARP, a fallback adapter). */
export function isSoftwareAdapter(adapter: string | null): boolean {
  return adapter !== null && /swiftshader|lavapipe|llvmpipe|software|fallback|warp|cpu/i.test(adapter);
}

/**
 * The first x from which `faster` takes less time than `slower` at every x measured by both;
 * null when there is none (or nothing to compare).
 */
export function crossoverAt(x: readonly number[], faster: (number | null)[], slower: (number | null)[]): number | null {
  let from: number | null = null;
  for (let i = 0; i < x.length; i++) {
    const a = faster[i],
      b = slower[i];
    if (a === null || b === null) continue;
    if (a < b) from ??= x[i];
    else from = null;
  }
  return from;
}

interface Crossover {
  /** The x (chart units) where our GPU engine starts to win, or null. */
  x: number | null;
  /** One sentence saying so, for the page. */
  text: string;
}

/** Where our GPU engine overtakes our CPU engine on a chart of the run (the product, or training). */
export function crossover(r: BenchResults, view: 'forward' | 'training'): Crossover | null {
  const cols = chartColumns(r, view);
  const gpu = cols.series.find((s) => s.engine === 'ours-gpu'),
    cpu = cols.series.find((s) => s.engine === 'ours-cpu');
  if (!gpu || !cpu || cols.x.length === 0) return null;
  const x = crossoverAt(cols.x, gpu.y, cpu.y);
  const where = (v: number) => {
    if (view === 'forward') return `the ${v}×${v}×${v} product`;
    const rungs = [...r.rungs].sort((a, b) => a.flopsPerStep - b.flopsPerStep);
    return `the ${rungs[cols.x.indexOf(v)].label} network`;
  };
  const what = view === 'forward' ? 'products' : 'training steps';
  if (x === null) return { x, text: `In these ${what} our CPU engine was as fast or faster at every size measured.` };
  if (x === cols.x[0]) return { x, text: `In these ${what} our GPU engine was faster at every size measured.` };
  return { x, text: `In these ${what} our GPU engine is faster than our CPU engine from ${where(x)} on.` };
}
