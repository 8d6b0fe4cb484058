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

/** An editor's config document read by `parse`: the config, or the status line's words for why not. */
export function parseEditorConfig<T>(text: string, parse: (doc: unknown) => T): { config: T } | { error: string } {
  try {
    return { config: parse(JSON.parse(text)) };
  } catch (e) {
    return { error: e instanceof SyntaxError ? `the config is not valid JSON: ${e.message}` : (e as Error).message };
  }
}

/** A run `LatestRun.start` began: its signal, and whether it is still the view's latest. */
export interface StartedRun {
  signal: AbortSignal;
  /** False once a newer run has started: this one's late progress and result are dropped. */
  current: () => boolean;
  /** Call when it has ended, however. */
  finish: () => void;
}

/** The one run a view has in progress: starting another cancels it, as Cancel does. */
export class LatestRun {
  private controller: AbortController | null = null;
  private id = 0;

  start(): StartedRun {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    const id = ++this.id;
    return {
      signal: controller.signal,
      current: () => id === this.id,
      finish: () => {
        if (this.controller === controller) this.controller = null;
      },
    };
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
