/**
 * @file Runs one kernel on the test device: uploads inputs, poisons outputs with NaN (so an
 * element the kernel forgets to write fails the comparison), dispatches once, reads back.
 */
import { expect } from 'vitest';
import { HIST_BINS, reduceSlot, SLOT, SLOT_SIZE } from '../src/core/stats';
import type { OptimizerConfig } from '../src/core/types';
import { bind, dispatch, type KernelDesc, PipelineCache, writeArray } from '../src/gpu/kernel';
import * as K from '../src/gpu/kernels';

/** Every optimizer the kernels implement: plain, momentum and Nesterov SGD, Adam, RMSprop. */
export const OPTIMIZERS: OptimizerConfig[] = [
  { name: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false },
  { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false },
  { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true },
  { name: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
  { name: 'rmsprop', learning_rate: 0.01, rho: 0.9, epsilon: 1e-7 },
];

export type Input = Float32Array | Uint32Array | { out: number };

export class KernelRunner {
  readonly cache: PipelineCache;
  private readonly made: GPUBuffer[] = [];
  constructor(readonly device: GPUDevice) {
    this.cache = new PipelineCache(device);
  }

  buffer(data: Float32Array | Uint32Array | number): GPUBuffer {
    const bytes = typeof data === 'number' ? data * 4 : data.byteLength;
    const b = this.device.createBuffer({
      size: Math.max(16, bytes),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.made.push(b);
    writeArray(this.device, b, typeof data === 'number' ? new Float32Array(data).fill(NaN) : data);
    return b;
  }

  /** StepInfo {rows, perm_offset, t, alpha}. */
  stepInfo(rows: number, permOffset = 0, t = 0, alpha = 0): GPUBuffer {
    const buf = new ArrayBuffer(16);
    new Uint32Array(buf, 0, 3).set([rows, permOffset, t]);
    new Float32Array(buf, 12, 1)[0] = alpha;
    return this.buffer(new Uint32Array(buf));
  }

  async read(b: GPUBuffer, n: number): Promise<Float32Array> {
    const rb = this.device.createBuffer({
      size: Math.max(16, n * 4),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(b, 0, rb, 0, Math.max(16, n * 4));
    this.device.queue.submit([enc.finish()]);
    try {
      await rb.mapAsync(GPUMapMode.READ);
      return new Float32Array(rb.getMappedRange().slice(0, n * 4));
    } finally {
      rb.destroy();
    }
  }

  /** Compiles (cached), binds and dispatches `desc` once over `buffers`. */
  async run(
    desc: KernelDesc,
    buffers: GPUBuffer[],
    groups: [number, number, number],
    uniforms?: Record<string, number>,
  ): Promise<void> {
    const k = await this.cache.get(desc);
    this.device.pushErrorScope('validation');
    const bound = bind(this.device, k, buffers, groups, uniforms);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    dispatch(pass, bound);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    const err = await this.device.popErrorScope();
    if (err) throw new Error(err.message);
  }

  dispose(): void {
    for (const b of this.made) b.destroy();
    this.made.length = 0;
  }
}

/** Deterministic test inputs (a tiny LCG: independent of the engine's RNG under test). */
export function randomArray(n: number, lo: number, hi: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return a;
}

/**
 * Asserts |gpu - ref| <= atol + rtol·|ref| elementwise, every GPU value finite where the reference
 * is, and reports the worst element.
 */
export function expectClose(gpu: ArrayLike<number>, ref: ArrayLike<number>, atol: number, rtol = 0, what = ''): void {
  expect(gpu.length, `${what} length`).toBe(ref.length);
  let worst = -1,
    worstExcess = 0;
  for (let i = 0; i < ref.length; i++) {
    const g = gpu[i],
      r = ref[i];
    if (Number.isFinite(r) && !Number.isFinite(g)) {
      worst = i;
      worstExcess = Infinity;
      break;
    }
    const excess = Math.abs(g - r) - (atol + rtol * Math.abs(r));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst} gpu ${gpu[worst]} vs reference ${ref[worst]} (tolerance ${atol} + ${rtol}·|ref|)`,
    );
  }
}

/** Pass 3 of the statistics for `tasks` in one dispatch, as the engine runs it for a record. */
export async function finalPass(
  R: KernelRunner,
  [stepInfo, p1, p2, out]: GPUBuffer[],
  tasks: K.SlotTask[],
): Promise<void> {
  await R.run(K.statsFinalKernel(), [stepInfo, p1, p2, R.buffer(K.statsTasks(tasks)), out], [tasks.length, 1, 1]);
}

/** A GPU statistics slot against the float64 reference of the first n values of v. */
export function expectSlot(got: Float32Array, v: Float32Array, n: number, sat: number, hist: boolean): void {
  const ref = new Float64Array(SLOT_SIZE);
  reduceSlot(v, n, sat, ref, 0);
  const f = (k: keyof typeof SLOT) => [got[SLOT[k]], ref[SLOT[k]]];
  for (const k of ['count', 'zeros', 'saturated', 'min', 'max'] as const) expect(f(k)[0], k).toBe(f(k)[1]);
  for (const k of ['mean', 'std', 'norm'] as const)
    expect(Math.abs(f(k)[0] - f(k)[1]), k).toBeLessThan(2e-6 * Math.max(1, Math.abs(f(k)[1])) * Math.log2(n + 2));
  expect(Math.abs(f('std')[0] - f('std')[1]) / Math.max(f('std')[1], 1e-30), 'std, relative').toBeLessThan(1e-3);
  if (!hist) return;
  let histDiff = 0,
    histSum = 0;
  for (let i = 0; i < HIST_BINS; i++) {
    histDiff += Math.abs(got[SLOT.hist + i] - ref[SLOT.hist + i]);
    histSum += got[SLOT.hist + i];
  }
  expect(histSum).toBe(n);
  expect(histDiff).toBeLessThanOrEqual(2); // a value on a bin edge may round into its neighbour
}
