/**
 * @file WebGPU in Node through the `webgpu` package (Dawn). Node-only: the browser passes
 * `navigator.gpu`'s device to the engine instead, so nothing here is ever bundled for the page.
 */
import { type AcquiredDevice, describeAdapter, requestFullDevice } from './adapter';
import { fileStore } from './tune-store-node';
import { ProductTuner } from './tuner';

export type { AcquiredDevice };

/**
 * Dawn crashes if the object `create([])` returns is garbage-collected while a device lives, so
 * it is pinned here for the life of the process.
 */
let pinnedGpu: GPU | null = null;

/** How long a wait for Dawn polls back to back before it polls once a timer tick (ms). */
const PUMP_SPIN_MS = 0.5;
let pumpThrottled = false;

/**
 * Makes Dawn's event pump sleep between polls. While any promise of the `webgpu` package is
 * pending (onSubmittedWorkDone, mapAsync), its binding re-queues a native callback with the
 * global `setImmediate` after every poll, so the main thread spins for the whole wait. On a
 * software adapter that spinning takes a core from the threads that run the kernels: on the
 * 2-core machine of bench/REPORT.md the main thread used 250–340 ms of CPU per 8×512 training
 * step, ~15 ms with this. Here the pump's callbacks (native functions; every other caller of
 * setImmediate is untouched) poll at once for the first PUMP_SPIN_MS of a wait, then from a timer
 * (Node's shortest, ~1 ms): short waits stay short, long ones cost ~1 ms of latency at most.
 * Process-wide and idempotent; every Dawn instance of the process (ours, TF.js's) benefits alike.
 */
export function throttleDawnEventPump(): void {
  if (pumpThrottled) return;
  pumpThrottled = true;
  const immediate = globalThis.setImmediate;
  const isNative = (fn: unknown) =>
    typeof fn === 'function' && Function.prototype.toString.call(fn).includes('[native code]');
  let waitStart = 0,
    lastPoll = -Infinity;
  const throttled = (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    if (!isNative(fn)) return immediate(fn, ...args);
    const now = performance.now();
    // Polls more than a tick apart belong to different waits.
    if (now - lastPoll > 2) waitStart = now;
    lastPoll = now;
    return now - waitStart < PUMP_SPIN_MS ? immediate(fn, ...args) : setTimeout(fn, 0, ...args);
  };
  globalThis.setImmediate = Object.assign(throttled, immediate) as typeof setImmediate;
}

/** Returns a device on the best adapter Dawn finds, or null when there is none. */
export async function acquireNodeDevice(): Promise<AcquiredDevice | null> {
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const mod = await import('webgpu');
  if (!pinnedGpu) {
    throttleDawnEventPump();
    Object.assign(globalThis, mod.globals);
    pinnedGpu = mod.create([]) as GPU;
  }
  const adapter = await pinnedGpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const device = await requestFullDevice(adapter);
  // The product tuner's choices for this device are kept in the user's cache folder.
  ProductTuner.for(device, fileStore());
  return { device, adapter: describeAdapter(adapter) };
}
