/**
 * @file Which CPU engine a network gets: the WebAssembly engine, except for networks so small
 * that calls into WebAssembly (and its views, arguments and chunks) cost more than their work,
 * which keep the TypeScript engine (XOR's 2-2-1 at batch 4 is 24 multiply-adds per forward pass).
 */
import type { Dataset, RunConfig } from '../core/types';
import { CpuEngine } from '../train/cpu-engine';
import type { Engine } from '../train/engine';
import { layerShapes } from '../train/model';
import { WasmEngine } from './engine';
import type { ThreadOptions } from './kernels';

/** Forward multiply-adds per step below which the TypeScript engine is the faster one. */
const TINY_FORWARD_MACS = 1024;

export function forwardMacs(cfg: RunConfig, data: Dataset): number {
  const batch = Math.min(cfg.batch_size, data.n);
  return batch * layerShapes(cfg).reduce((s, l) => s + l.fanIn * l.units, 0);
}

export async function createCpuEngine(cfg: RunConfig, data: Dataset, opts: ThreadOptions = {}): Promise<Engine> {
  if (forwardMacs(cfg, data) < TINY_FORWARD_MACS) return new CpuEngine(cfg, data);
  return WasmEngine.create(cfg, data, opts);
}
