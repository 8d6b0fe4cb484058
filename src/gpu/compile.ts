/**
 * @file From planned dispatches to bound ones: compiles the distinct kernels a plan uses (every
 * build's longest wait, reported kernel by kernel, abandoned when its signal aborts), then binds
 * each planned call to its buffers once.
 */
import type { BuildOptions } from '../train/engine';
import { type BoundKernel, cacheKey, type Kernel, type KernelDesc, type PipelineCache } from './kernel';
import type { KernelCall } from './products';
import type { GpuScope } from './scope';

/**
 * The compiled kernels of `descs`, by cache key. Compiles in parallel and reports each one done
 * (`kernels` phase); rejects with the signal's reason (an AbortError) as soon as it aborts.
 */
export async function compileKernels(
  cache: PipelineCache,
  descs: readonly KernelDesc[],
  { signal, onProgress }: BuildOptions = {},
): Promise<Map<string, Kernel>> {
  signal?.throwIfAborted();
  const distinct = new Map(descs.map((d) => [cacheKey(d), d]));
  const total = distinct.size;
  let done = 0;
  onProgress?.({ phase: 'kernels', done, total });
  const compiled = Promise.all(
    [...distinct].map(async ([key, desc]) => {
      const kernel = await cache.get(desc);
      done++;
      if (!signal?.aborted) onProgress?.({ phase: 'kernels', done, total });
      return [key, kernel] as const;
    }),
  );
  return new Map(await untilAborted(compiled, signal));
}

/** `work`, or the signal's reason as soon as it aborts (the work itself runs on, unobserved). */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Binds planned calls to compiled kernels; a call object planned in several places is bound once. */
export class Binder {
  private readonly bound = new Map<KernelCall, BoundKernel>();
  constructor(
    private readonly scope: GpuScope,
    private readonly kernels: ReadonlyMap<string, Kernel>,
  ) {}

  bind(call: KernelCall): BoundKernel {
    let b = this.bound.get(call);
    if (!b) {
      const kernel = this.kernels.get(cacheKey(call.desc));
      if (!kernel) throw new Error(`kernel ${call.desc.name} was not compiled`);
      b = this.scope.bind(kernel, call.buffers, call.groups, call.uniforms);
      this.bound.set(call, b);
    }
    return b;
  }

  bindAll(calls: readonly KernelCall[]): BoundKernel[] {
    return calls.map((c) => this.bind(c));
  }
}

/** Compiles and binds `calls` in one go (forward passes built on demand). */
export async function bindCalls(scope: GpuScope, cache: PipelineCache, calls: KernelCall[]): Promise<BoundKernel[]> {
  const kernels = await compileKernels(
    cache,
    calls.map((c) => c.desc),
  );
  return new Binder(scope, kernels).bindAll(calls);
}
