/**
 * @file WebGPU in Node through the `webgpu` package (Dawn). Node-only: the browser passes
 * `navigator.gpu`'s device to the engine instead, so nothing here is ever bundled for the page.
 */
import { wantedFeatures } from './kernel';

/**
 * Dawn crashes if the object `create([])` returns is garbage-collected while a device lives, so
 * it is pinned here for the life of the process.
 */
let pinnedGpu: GPU | null = null;

export interface AcquiredDevice { device: GPUDevice; adapter: string }

/** Describes an adapter for reports: vendor, architecture, device and description where known. */
export function describeAdapter(a: GPUAdapter): string {
  const i = a.info;
  const parts = [i.vendor, i.architecture, i.device, i.description].filter((s) => s && s.length > 0);
  return parts.length ? Array.from(new Set(parts)).join(' / ') : 'unknown WebGPU adapter';
}

/** Returns a device on the best adapter Dawn finds, or null when there is none. */
export async function acquireNodeDevice(): Promise<AcquiredDevice | null> {
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const mod = await import('webgpu');
  if (!pinnedGpu) {
    Object.assign(globalThis, mod.globals);
    pinnedGpu = mod.create([]) as GPU;
  }
  const adapter = await pinnedGpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const limits: Record<string, number> = {};
  // Ask for the adapter's full buffer limits: the defaults (128 MiB binding) are far below what
  // most GPUs allow, and a deep 1024-wide network needs more.
  for (const k of ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage'] as const) {
    limits[k] = adapter.limits[k];
  }
  const device = await adapter.requestDevice({ requiredLimits: limits, requiredFeatures: wantedFeatures(adapter) });
  return { device, adapter: describeAdapter(adapter) };
}
