/**
 * @file One entry point for an atlas run on either backend: load the set, train the population,
 * summarize it for the mode, and train the SOM when the config asks for one. The GPU side takes
 * its `GPUDevice` from the caller (browser or Node), like the engine.
 */
import { DeviceWatch } from '../gpu/device-health';
import { PipelineCache } from '../gpu/kernel';
import { atlasShape } from './config';
import { trainPopulationCpu } from './cpu-population';
import { atlasData } from './data';
import { GpuPopulation } from './gpu-population';
import { trainSomGpu } from './gpu-som';
import { initialWeightsCpu } from './init';
import type { RunOptions } from './progress';
import { type SomResult, trainSomCpu } from './som';
import { type BasinMap, basinMap, initializerTable, type OutcomeSummary, summarize, type TableRow } from './summary';
import type { AtlasConfig, NetShape, PopulationResult } from './types';

export interface AtlasResult {
  config: AtlasConfig;
  shape: NetShape;
  population: PopulationResult;
  summary: OutcomeSummary;
  basin: BasinMap | null;
  table: TableRow[];
  som: SomResult | null;
  somMs: number;
}

export interface AtlasBackend {
  backend: 'gpu' | 'cpu';
  /** Required for 'gpu'. */
  device?: GPUDevice;
  adapter?: string;
}

/** Keeps one population trainer per device. */
const trainers = new WeakMap<GPUDevice, GpuPopulation>();

function trainerFor(device: GPUDevice, adapter: string): GpuPopulation {
  let t = trainers.get(device);
  if (!t) {
    t = new GpuPopulation(device, adapter);
    trainers.set(device, t);
  }
  return t;
}

/** A lost device or a WebGPU error ends the run with the engine's message (see DeviceWatch). */
export async function runAtlas(cfg: AtlasConfig, be: AtlasBackend, opts: RunOptions = {}): Promise<AtlasResult> {
  const shape = atlasShape(cfg);
  const data = await atlasData(cfg);
  const device = be.backend === 'gpu' ? requireDevice(be) : undefined;
  const watch = new DeviceWatch(device);
  try {
    const population = await watch.settle(
      device
        ? trainerFor(device, be.adapter ?? 'WebGPU').run(cfg, shape, data, opts)
        : trainPopulationCpu(cfg, shape, data, initialWeightsCpu(cfg, shape), opts),
    );
    let som: SomResult | null = null;
    const t0 = performance.now();
    if (cfg.som) {
      const { initial, networks, params, epoch } = population;
      const input = { cfg: cfg.som, data: initial, n: networks, dim: params, epoch, seed: cfg.seed };
      som = device ? await watch.settle(trainSomGpu(device, PipelineCache.for(device), input)) : trainSomCpu(input);
    }
    return {
      config: cfg,
      shape,
      population,
      summary: summarize(population.epoch, cfg.epochs),
      basin: basinMap(cfg, shape, population),
      table: initializerTable(cfg, population),
      som,
      somMs: performance.now() - t0,
    };
  } finally {
    watch.close();
  }
}

function requireDevice(be: AtlasBackend): GPUDevice {
  if (!be.device) throw new Error('runAtlas: the gpu backend needs a GPUDevice');
  return be.device;
}
