/**
 * @file One entry point to build an engine for a config, on any backend. It sits above every
 * backend (the WebAssembly CPU engine in wasm/, the GPU engine in gpu/), so that none of them imports
 * another and the layers below never reach up for a backend.
 */
import type { Dataset, RunConfig } from '../core/types';
import { CpuEngine } from '../train/cpu-engine';
import type { BackendName, Engine } from '../train/engine';
import { createCpuEngine } from '../wasm/create';

export interface EngineOptions {
  backend: BackendName;
  /** Required for 'gpu': the engine never acquires a device itself (browser and Node hand theirs in). */
  device?: GPUDevice;
  /** Name of the adapter behind `device`, for reports. */
  adapter?: string;
  /**
   * Which CPU engine: the WebAssembly one (default; the TypeScript one for tiny networks, see
   * wasm/create.ts) or the TypeScript reference always (for comparisons).
   */
  cpu?: 'wasm' | 'typescript';
}

export async function createEngine(cfg: RunConfig, data: Dataset, opts: EngineOptions): Promise<Engine> {
  if (opts.backend === 'cpu') return opts.cpu === 'typescript' ? new CpuEngine(cfg, data) : createCpuEngine(cfg, data);
  if (!opts.device) throw new Error('createEngine: the gpu backend needs a GPUDevice');
  const { GpuEngine } = await import('../gpu/engine');
  return GpuEngine.create(cfg, data, opts.device, opts.adapter ?? 'WebGPU');
}
