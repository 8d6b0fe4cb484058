/**
 * @file WebGPU in Node through the `webgpu` package (Dawn). Node-only: the browser passes
 * `navigator.gpu`'s device to the engine instead, so nothing here is ever bundled for the page.
 */
import { type AcquiredDevice, describeAdapter, requestFullDevice } from './adapter';
import { fileStore } from './tune-store-node';
import { ProductTuner } from './tuner';

export type { AcquiredDevice };

/**
 * Dawn crashes if the object `create(flags)` returns is garbage-collected while a device lives, so
 * each one (one per set of Dawn flags) is pinned here for the life of the process.
 */
const pinnedGpus = new Map<string, GPU>();

/**
 * Dawn's instance for `flags`, created once. `['backend=null']` is Dawn's Null backend: kernels
 * are validated and never run, so what a step costs there is the host's work alone.
 */
async function dawnGpu(flags: readonly string[] = []): Promise<GPU> {
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const mod = await import('webgpu');
  const key = flags.join(' ');
  let gpu = pinnedGpus.get(key);
  if (!gpu) {
    throttleDawnEventPump(mod.globals as Record<string, unknown>);
    Object.assign(globalThis, mod.globals);
    gpu = mod.create([...flags]) as GPU;
    pinnedGpus.set(key, gpu);
  }
  return gpu;
}

/** How long each wait for Dawn polls back to back before it polls once a timer tick (ms). */
const PUMP_SPIN_MS = 2;
let pumpThrottled = false;
/** When the newest wait began: the last call that handed out a promise to wait on. */
let waitStart = 0;

/** The calls whose promises the engines wait on: each starts a wait. */
const WAITS = [
  ['GPUQueue', 'onSubmittedWorkDone'],
  ['GPUBuffer', 'mapAsync'],
  ['GPUDevice', 'popErrorScope'],
] as const;

/** Marks the start of a wait whenever `globals`' classes (the `webgpu` package's) hand out a promise. */
function markWaits(globals: Record<string, unknown>): void {
  for (const [cls, method] of WAITS) {
    const proto = (globals[cls] as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    const original = proto?.[method];
    if (typeof original !== 'function') continue;
    proto![method] = function (this: unknown, ...args: unknown[]) {
      waitStart = performance.now();
      return original.apply(this, args);
    };
  }
}

/**
 * Makes Dawn's event pump sleep through long waits only. While any promise of the `webgpu`
 * package is pending (onSubmittedWorkDone, mapAsync), its binding re-queues a native callback with
 * the global `setImmediate` after every poll, so the main thread spins for the whole wait. On a
 * software adapter that spinning takes a core from the threads that run the kernels; a timer's
 * poll instead answers up to a tick (about 1 ms) late, which a hardware GPU's short waits would pay
 * on every step. So each wait polls back to back for its first PUMP_SPIN_MS, then from a timer:
 * a short wait is answered at once, a long one spins for PUMP_SPIN_MS of it at most. A wait starts
 * at the call that hands out its promise, so back-to-back waits each get their spin, and a timer
 * that fires late under load does not start another (other promises, such as a pipeline's
 * compilation, are long and take the timer from the start). Pump callbacks are native functions; every other caller of
 * setImmediate is untouched. Process-wide and idempotent; every Dawn instance of the process
 * (ours, TF.js's) benefits alike. bench/REPORT.md's history has the measurements.
 */
export function throttleDawnEventPump(globals: Record<string, unknown> = {}): void {
  if (pumpThrottled) return;
  pumpThrottled = true;
  markWaits(globals);
  const immediate = globalThis.setImmediate;
  const isNative = (fn: unknown) =>
    typeof fn === 'function' && Function.prototype.toString.call(fn).includes('[native code]');
  const throttled = (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    if (!isNative(fn)) return immediate(fn, ...args);
    return performance.now() - waitStart < PUMP_SPIN_MS ? immediate(fn, ...args) : setTimeout(fn, 0, ...args);
  };
  globalThis.setImmediate = Object.assign(throttled, immediate) as typeof setImmediate;
}

/** Returns a device on the best adapter Dawn finds (with Dawn's `flags`), or null when there is none. */
export async function acquireNodeDevice(flags: readonly string[] = []): Promise<AcquiredDevice | null> {
  const gpu = await dawnGpu(flags);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const device = await requestFullDevice(adapter);
  // The product tuner's choices for this device are kept in the user's cache folder.
  ProductTuner.for(device, fileStore());
  return { device, adapter: describeAdapter(adapter) };
}
