/**
 * @file WebGPU in the browser: the page's counterpart of node-device.ts, returning the same
 * `AcquiredDevice` shape. It asks for the adapter's full buffer limits (the defaults bind only
 * 128 MiB, too little for a deep 1024-wide network) and reports why WebGPU is missing, so the
 * page can say so plainly and fall back to the CPU engine.
 */

import { type AcquiredDevice, describeAdapter, requestFullDevice } from './adapter';
import { lostReason } from './device-health';
import type { TuneStore } from './tune-cache';
import { ProductTuner } from './tuner';

/** Browsers that ship WebGPU, for the banner shown when this one does not. */
export const WEBGPU_BROWSERS = 'Chrome or Edge 113+, Safari 26+, or Firefox 141+ on Windows';

/** Why there is no WebGPU here, or null when `navigator.gpu` exists. */
function webgpuMissingReason(): string | null {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    return typeof isSecureContext !== 'undefined' && !isSecureContext
      ? 'WebGPU needs a secure context (https or localhost), and this page is not one'
      : 'This browser does not offer WebGPU';
  }
  return null;
}

/**
 * A device on the high-performance adapter, or null with the reason when there is none.
 * `onLost` runs once if the device is lost later (driver reset, GPU process crash, destroy()).
 */
export async function acquireBrowserDevice(
  onLost?: (message: string) => void,
): Promise<AcquiredDevice | { unavailable: string }> {
  const missing = webgpuMissingReason();
  if (missing) return { unavailable: missing };
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { unavailable: `requesting a WebGPU adapter failed (${(e as Error).message})` };
  }
  if (!adapter)
    return {
      unavailable: 'WebGPU is present but the browser offers no GPU adapter (it may be disabled or blocklisted)',
    };
  return deviceOn(adapter, onLost);
}

/** A device on `adapter` with its full buffer limits and the features the engine uses. */
export async function deviceOn(
  adapter: GPUAdapter,
  onLost?: (message: string) => void,
): Promise<AcquiredDevice | { unavailable: string }> {
  let device: GPUDevice;
  try {
    device = await requestFullDevice(adapter);
  } catch (e) {
    return { unavailable: `the WebGPU adapter refused a device (${(e as Error).message})` };
  }
  device.lost.then((info) => onLost?.(lostReason(info)));
  // The product tuner's choices for this device are kept in the page's localStorage.
  ProductTuner.for(device, localStorageStore());
  return { device, adapter: describeAdapter(adapter) };
}

/** The tuner's cache in the page: one localStorage item (where storage is blocked, none: the tuner times again). */
function localStorageStore(key = 'mlp-playground.tune'): TuneStore {
  return {
    where: `localStorage["${key}"]`,
    read: async () => globalThis.localStorage?.getItem(key) ?? null,
    write: async (text) => globalThis.localStorage?.setItem(key, text),
  };
}
