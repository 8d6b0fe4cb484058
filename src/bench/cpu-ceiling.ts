/**
 * @file The CPU's own arithmetic ceiling, measured the way the adapter's is (ceiling.ts): a
 * WebAssembly SIMD loop of independent multiply-add chains in registers (src/wasm/assembly/
 * ceiling.ts), no memory traffic, run on every thread of our CPU engine at once as one job of the
 * engine's thread pool, then on one thread. Our CPU engine's products and steps are also shown as
 * a fraction of it. The best repeat counts: load from other work only lowers a measurement.
 */
import { Arena, WasmKernels } from '../wasm/kernels';
import type { CpuCeiling } from './types';

/** Rounds per chunk: about 10 ms of one thread on a 3 GHz core. */
const ITERS = 400_000;
/** Chunks per thread of the all-threads job, so that a thread the scheduler parks is covered by others. */
const CHUNKS_PER_THREAD = 4;

async function best(repeats: number, once: () => number, signal?: AbortSignal): Promise<number> {
  let top = 0;
  for (let r = 0; r < repeats && !signal?.aborted; r++) {
    top = Math.max(top, once());
    // Between repeats the page paints and takes a Cancel; Node's other work runs.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return top;
}

export async function measureCpuCeiling(signal?: AbortSignal, repeats = 5): Promise<CpuCeiling> {
  const k = await WasmKernels.create(new Arena());
  try {
    const gflops = (chunks: number) => () => {
      const t0 = performance.now();
      const flops = k.ceiling(chunks, ITERS);
      return flops / ((performance.now() - t0) * 1e6);
    };
    gflops(k.threads)(); // compiles and tiers up the loop on every thread
    const all = await best(repeats, gflops(k.threads * CHUNKS_PER_THREAD), signal);
    const one = await best(repeats, gflops(1), signal);
    return { gflops: all, threads: k.threads, oneThread: one, checks: [{ when: 'start', gflops: all }] };
  } finally {
    k.dispose();
  }
}

/** Measures the all-threads ceiling again and keeps the best seen. */
export async function recheckCpuCeiling(c: CpuCeiling, when: string, signal?: AbortSignal): Promise<void> {
  const again = await measureCpuCeiling(signal, 3);
  c.checks = [...(c.checks ?? []), { when, gflops: again.gflops }];
  c.gflops = Math.max(c.gflops, again.gflops);
  c.oneThread = Math.max(c.oneThread, again.oneThread);
}
