/**
 * @file One entry point to build an engine for a config, on any backend. It sits above every
 * backend (the WebAssembly CPU engine in wasm/, the GPU engine in gpu/), so that none of them imports
 * another and the layers below never reach up for a backend.
 */
import type { Dataset, RunConfig } from '../core/types';
import { CpuEngine } from '../train/cpu-engine';
import type { BackendName, BuildOptions, Engine } from '../train/engine';
import { layerShapes } from '../train/model';
import { createCpuEngine } from '../wasm/create';

/** Which backend, its device, and (BuildOptions) a signal that cancels the build and its progress. */
export interface EngineOptions extends BuildOptions {
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
  const build = { signal: opts.signal, onProgress: opts.onProgress };
  if (opts.backend === 'cpu') return cpuEngine(cfg, data, opts.cpu ?? 'wasm', build);
  if (!opts.device) throw new Error('createEngine: the gpu backend needs a GPUDevice');
  const { GpuEngine } = await import('../gpu/engine');
  return GpuEngine.create(cfg, data, opts.device, opts.adapter ?? 'WebGPU', build);
}

/**
 * A CPU engine, with BuildOptions honoured around its one step of work (its memory, and the
 * WebAssembly engine's threads): an aborted signal before or during it rejects, and its layers
 * are reported made.
 */
async function cpuEngine(
  cfg: RunConfig,
  data: Dataset,
  which: 'wasm' | 'typescript',
  { signal, onProgress }: BuildOptions,
): Promise<Engine> {
  signal?.throwIfAborted();
  const engine = which === 'typescript' ? new CpuEngine(cfg, data) : await createCpuEngine(cfg, data);
  if (signal?.aborted) {
    engine.dispose();
    signal.throwIfAborted();
  }
  const layers = layerShapes(cfg).length;
  onProgress?.({ phase: 'layers', done: layers, total: layers });
  return engine;
}
