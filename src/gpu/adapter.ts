/**
 * @file What every host (Node through Dawn, the page, the benchmark page) asks of an adapter: a
 * device with the adapter's full buffer limits and the optional features the engine uses, and a
 * description of the adapter for reports.
 */
import { wantedFeatures } from './kernel';

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: string;
}

/**
 * The limits asked for at the adapter's maximum: the defaults (a 128 MiB binding) are far below
 * what most GPUs allow, and a deep 1024-wide network needs more.
 */
const FULL_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
] as const;

export function requestFullDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const k of FULL_LIMITS) requiredLimits[k] = adapter.limits[k];
  return adapter.requestDevice({ requiredLimits, requiredFeatures: wantedFeatures(adapter) });
}

/** Vendor, architecture, device and description where the adapter tells them. */
export function describeAdapter(a: GPUAdapter): string {
  const i = a.info as GPUAdapterInfo | undefined;
  const parts = i ? [i.vendor, i.architecture, i.device, i.description].filter((s) => s && s.length > 0) : [];
  return parts.length ? Array.from(new Set(parts)).join(' / ') : 'WebGPU adapter';
}
