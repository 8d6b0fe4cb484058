/**
 * @file What long atlas runs share on every backend: progress reports, cancellation through an
 * AbortSignal, and yielding to the event loop so a page stays responsive.
 */

export interface RunOptions {
  /** Called now and then with the work done so far, out of `total` (networks × epochs units). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** An AbortError, as fetch and the DOM raise it. */
function abortError(): Error {
  const e = new Error('the atlas run was cancelled');
  e.name = 'AbortError';
  return e;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

/** Lets timers, input and rendering run (a macrotask, not a microtask). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((res) => setTimeout(res, 0));
}
