/**
 * @file The atlas benchmark: the same XOR 2-2-1 population trained by the GPU kernel and by
 * the CPU trainer, timed, with the outcomes of the networks both ran compared. For the bench
 * engineer (`benchAtlas`) and the CLI (`mlp-playground atlas --bench`).
 *
 * The CPU trainer is single-threaded and linear in the number of networks (every network does
 * the same work: no early stopping), so by default it trains the first `cpuNetworks` networks
 * and its time is scaled to the full population; pass cpuNetworks = networks to time it all.
 */
import { XOR_LESSON } from '../core/xor-lesson';
import { atlasShape, parseAtlasConfig } from './config';
import { trainPopulationCpu } from './cpu-population';
import { atlasData } from './data';
import { GpuPopulation } from './gpu-population';
import { initialWeightsCpu } from './init';
import type { AtlasConfig } from './types';

interface AtlasBenchOptions {
  networks?: number;
  epochs?: number;
  /** Networks the CPU trains (the first ones of the same population). */
  cpuNetworks?: number;
}

export interface AtlasBenchResult {
  case: string;
  networks: number;
  epochs: number;
  adapter: string;
  /** GPU: initial draws, training, read-back of outcomes and initial weights; pipelines compiled beforehand. */
  gpu_ms: number;
  cpu_networks: number;
  cpu_ms: number;
  /** cpu_ms scaled to all networks. */
  cpu_ms_full: number;
  /** cpu_ms_full / gpu_ms. */
  speedup: number;
  gpu_network_epochs_per_s: number;
  cpu_network_epochs_per_s: number;
  /** Over the networks both trained: same converged/failed verdict, same epoch. */
  agree_converged: number;
  agree_epoch: number;
  success_rate: number;
}

/** The benchmark population: XOR 2-2-1 sigmoid, MSE, SGD, every weight uniform in [-1, 1]. */
function benchConfig(networks: number, epochs: number): AtlasConfig {
  const u = { name: 'random_uniform', minval: -1, maxval: 1 };
  return parseAtlasConfig({
    ...XOR_LESSON,
    seed: 1,
    epochs,
    criterion: { loss_below: 0.01 },
    mode: 'population',
    size: networks,
    init: { kernel: u, bias: u },
  });
}

export async function benchAtlas(
  device: GPUDevice,
  adapter: string,
  opts: AtlasBenchOptions = {},
): Promise<AtlasBenchResult> {
  const networks = opts.networks ?? 65536,
    epochs = opts.epochs ?? 1000;
  const cpuNetworks = Math.min(networks, opts.cpuNetworks ?? Math.min(networks, 4096));
  const cfg = benchConfig(networks, epochs);
  const shape = atlasShape(cfg),
    data = await atlasData(cfg);
  const gpu = new GpuPopulation(device, adapter);
  await gpu.run(benchConfig(64, 1), shape, data); // compiles the same pipelines (epochs are uniforms)
  const g0 = performance.now();
  const g = await gpu.run(cfg, shape, data);
  const gpuMs = performance.now() - g0;

  const c0 = performance.now();
  const sub = benchConfig(cpuNetworks, epochs);
  const c = await trainPopulationCpu(sub, shape, data, initialWeightsCpu(sub, shape));
  const cpuMs = performance.now() - c0;

  let sameVerdict = 0,
    sameEpoch = 0;
  for (let n = 0; n < cpuNetworks; n++) {
    if (g.epoch[n] < 0 === c.epoch[n] < 0) sameVerdict++;
    if (g.epoch[n] === c.epoch[n]) sameEpoch++;
  }
  const cpuFull = (cpuMs * networks) / cpuNetworks;
  const work = networks * epochs;
  return {
    case: `XOR 2-2-1 sigmoid, mse, sgd lr 2, uniform [-1, 1] weights, ${networks} networks x ${epochs} epochs`,
    networks,
    epochs,
    adapter,
    gpu_ms: Math.round(gpuMs),
    cpu_networks: cpuNetworks,
    cpu_ms: Math.round(cpuMs),
    cpu_ms_full: Math.round(cpuFull),
    speedup: Math.round((cpuFull / gpuMs) * 10) / 10,
    gpu_network_epochs_per_s: Math.round(work / (gpuMs / 1000)),
    cpu_network_epochs_per_s: Math.round((cpuNetworks * epochs) / (cpuMs / 1000)),
    agree_converged: sameVerdict / cpuNetworks,
    agree_epoch: sameEpoch / cpuNetworks,
    success_rate: g.epoch.reduce((s, e) => s + (e >= 0 ? 1 : 0), 0) / networks,
  };
}
