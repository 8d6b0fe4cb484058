/**
 * @file One engine's WebAssembly kernels: its memory (shared with the pool's helpers when the
 * host allows it), an instance over it, views of its buffers, and the calls that split a product
 * or an optimizer update into chunks for the threads (or run them all here, on one thread or
 * where the work is too small to be worth waking a helper).
 */
import { adamAlpha } from '../core/cpu/optimizers';
import type { OptimizerConfig } from '../core/types';
import { canShareMemory, hardwareThreads, kernelsModule, whyOneThread } from './host';
import { type PoolOp, ThreadPool } from './pool';

/** Bytes below the engine's buffers: the module's own static data (checked against heapBase). */
const RESERVED = 65536;
const PAGE = 65536;
/** A product of fewer multiply-adds runs on the calling thread alone (waking helpers costs more). */
const PARALLEL_MIN_MACS = 1 << 20;
/** Element-wise work over fewer elements runs on the calling thread alone. */
const PARALLEL_MIN_ELEMENTS = 1 << 16;
/** Most threads an engine uses: past this, the ladder's products have too few chunks to share. */
const MAX_THREADS = 16;

/** The optimizer as assembly/elementwise.ts `optimize` takes it: a kind and four parameters. */
export function optimizerCall(o: OptimizerConfig, t: number): [number, number[]] {
  switch (o.name) {
    case 'sgd':
      if (o.momentum === 0) return [0, [o.learning_rate, 0, 0, 0]];
      return [o.nesterov ? 2 : 1, [o.learning_rate, o.momentum, 0, 0]];
    case 'adam':
      return [3, [adamAlpha(o, t), o.beta_1, o.beta_2, o.epsilon]];
    case 'rmsprop':
      return [4, [o.learning_rate, o.rho, o.epsilon, 0]];
  }
}

/** Where the engine's buffers go: byte offsets handed out before the memory exists. */
export class Arena {
  bytes = RESERVED;
  /** Room for `n` floats, 64-byte aligned (a cache line), so vector loads never straddle one. */
  floats(n: number): number {
    return this.take(n * 4);
  }

  take(bytes: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(bytes / 64) * 64;
    return at;
  }
}

type Epilogue = 'none' | 'forward' | 'backward';
const EPILOGUE: Record<Epilogue, number> = { none: 0, forward: 1, backward: 2 };

/**
 * C[rows × cols] = A·B with A(i, p) at a + (i·aRow + p·aStep) floats, B(p, j) at b + (p·bStep +
 * j·bCol) floats, C row-major (`cRow` floats per row; out2 and z laid out alike). See
 * assembly/gemm.ts for the epilogues and colsum.
 */
export interface GemmArgs {
  rows: number;
  cols: number;
  inner: number;
  a: number;
  aRow: number;
  aStep: number;
  b: number;
  bStep: number;
  bCol: number;
  c: number;
  cRow: number;
  bias?: number;
  epilogue?: Epilogue;
  act?: number;
  alpha?: number;
  out2?: number;
  z?: number;
  colsum?: number;
}

interface KernelExports {
  heapBase(): number;
  gemmChunks(rows: number, cols: number): number;
  elementChunks(n: number): number;
  GEMM_SCRATCH: WebAssembly.Global;
  softmaxRows(rows: number, units: number, z: number, out: number): void;
  activate(n: number, act: number, alpha: number, z: number, out: number): void;
  CEILING_FLOPS_PER_ITER: WebAssembly.Global;
  SLOT_TASK: WebAssembly.Global;
  KIND_NORM: WebAssembly.Global;
  KIND_DELTA_NORM: WebAssembly.Global;
  STATS_LAYOUT_BYTES: WebAssembly.Global;
}

export interface ThreadOptions {
  /** Threads to use, the calling one included; default: every hardware thread (at most 16). */
  threads?: number;
}

export class WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports & Record<PoolOp, (...a: number[]) => void>;
  /** Scratch of thread t at scratch + t·scratchBytes. */
  private readonly scratch: number;
  private readonly scratchBytes: number;

  private constructor(
    memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    scratch: number,
    readonly threads: number,
    /** Why the engine runs on one thread, when it does. */
    readonly oneThreadReason: string | null,
    private readonly pool: ThreadPool | null,
    private readonly poolId: number,
  ) {
    this.memory = memory;
    this.exports = instance.exports as unknown as WasmKernels['exports'];
    this.scratch = scratch;
    this.scratchBytes = this.exports.GEMM_SCRATCH.value as number;
    if (this.exports.heapBase() > RESERVED) throw new Error('the WebAssembly kernels outgrew their reserved memory');
  }

  /** Creates the memory for an arena's buffers (plus every thread's scratch) and the instances over it. */
  static async create(arena: Arena, opts: ThreadOptions = {}): Promise<WasmKernels> {
    const hardware = Math.min(MAX_THREADS, await hardwareThreads());
    const wanted = Math.max(1, Math.floor(opts.threads ?? hardware));
    const shared = wanted > 1 && canShareMemory();
    const module = await kernelsModule(shared);
    const probe = new WebAssembly.Instance(module, {
      env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared } as WebAssembly.MemoryDescriptor) },
    });
    const scratchBytes = (probe.exports.GEMM_SCRATCH as WebAssembly.Global).value as number;
    const threads = shared ? wanted : 1;
    const scratch = arena.bytes;
    const pages = Math.ceil((scratch + threads * scratchBytes) / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared } as WebAssembly.MemoryDescriptor);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    if (!shared) {
      const reason = wanted > 1 ? whyOneThread() : 'one thread asked for';
      return new WasmKernels(memory, instance, scratch, 1, reason, null, 0);
    }
    const pool = await ThreadPool.withHelpers(threads - 1);
    const { id, helpers } = await pool.register(module, memory, threads - 1);
    return new WasmKernels(memory, instance, scratch, helpers + 1, null, pool, id);
  }

  /** A Float32Array over `n` floats at byte offset `at` (valid for the engine's life: the memory never grows). */
  f32(at: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, n);
  }

  gemm(g: GemmArgs): void {
    const chunks = this.exports.gemmChunks(g.rows, g.cols);
    const argv = [
      g.rows,
      g.cols,
      g.inner,
      g.a,
      g.aRow * 4,
      g.aStep * 4,
      g.b,
      g.bStep * 4,
      g.bCol * 4,
      g.c,
      g.cRow * 4,
      g.bias ?? 0,
      EPILOGUE[g.epilogue ?? 'none'],
      g.act ?? 0,
      g.alpha ?? 0,
      g.out2 ?? 0,
      g.z ?? 0,
      g.colsum ?? 0,
    ];
    this.dispatch('gemm', chunks, argv, g.rows * g.cols * g.inner >= PARALLEL_MIN_MACS);
  }

  /** Optimizer update of n elements: kind and parameters as assembly/elementwise.ts `optimize` takes them. */
  optimize(kind: number, n: number, w: number, g: number, s1: number, s2: number, params: number[]): void {
    const chunks = this.exports.elementChunks(n);
    this.dispatch('optimize', chunks, [kind, n, w, g, s1, s2, ...params], n >= PARALLEL_MIN_ELEMENTS);
  }

  /**
   * Reduces `count` statistics slots described by the task table at `tasks` (assembly/stats.ts),
   * one slot per chunk; `elements` (their total length) decides whether helpers are worth waking.
   */
  reduceSlots(tasks: number, count: number, layout: number, elements: number): void {
    this.dispatch('reduceSlots', count, [tasks, layout], elements >= PARALLEL_MIN_ELEMENTS);
  }

  /**
   * The multiply-add ceiling job (assembly/ceiling.ts): `chunks` chunks of `iters` rounds, claimed
   * by every thread at once. Returns the FLOPs it did.
   */
  ceiling(chunks: number, iters: number): number {
    this.dispatch('ceilingChunk', chunks, [iters], true);
    return chunks * iters * (this.exports.CEILING_FLOPS_PER_ITER.value as number);
  }

  private dispatch(op: PoolOp, chunks: number, argv: number[], parallel: boolean): void {
    if (this.pool && parallel && chunks > 1) {
      this.pool.run(this.poolId, op, chunks, [this.scratch, this.scratchBytes], argv, this.exports);
      return;
    }
    const fn = this.exports[op];
    for (let c = 0; c < chunks; c++) fn(c, this.scratch, ...argv);
  }

  dispose(): void {
    this.pool?.drop(this.poolId);
  }
}
