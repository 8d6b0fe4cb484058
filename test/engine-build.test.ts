/**
 * @file Building an engine (createEngine's BuildOptions): progress by phase, in order, from
 * nothing done to all of it, on either backend; an aborted signal rejects with an AbortError, promptly (before the
 * kernels it was compiling are done), and leaves no GPU buffer behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { createEngine } from '../src/engines/create';
import { GpuEngine } from '../src/gpu/engine';
import { STATS_CHUNKS } from '../src/gpu/kernels';
import { acquireNodeDevice } from '../src/gpu/node-device';
import type { BuildProgress } from '../src/train/engine';
import { testDevice } from './gpu-device';
import { type BufferTracker, trackBuffers } from './live-buffers';

const dev = await testDevice();

/** Three layers, too large for the fused small-network kernel: the layer-by-layer plan is built. */
const cfg = parseConfig({
  seed: 3,
  dataset: { name: 'spiral', samples: 256 },
  layers: [
    { units: 48, activation: 'tanh' },
    { units: 32, activation: 'relu' },
    { units: 2, activation: 'softmax' },
  ],
  loss: 'categorical_crossentropy',
  optimizer: { name: 'adam' },
  batch_size: 64,
});
const data = (await loadDataset(cfg.dataset, cfg.seed)).train;

/** Each phase's reports: done counts up by one from 0 to its total, which stays the same. */
function expectCountsUp(reports: BuildProgress[], phase: BuildProgress['phase']): number {
  const mine = reports.filter((r) => r.phase === phase);
  const total = mine[0].total;
  expect(mine.map((r) => r.total)).toEqual(mine.map(() => total));
  expect(mine.map((r) => r.done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
  return total;
}

describe('building an engine', () => {
  it('on the CPU, reports its layers and refuses an aborted signal', async () => {
    const reports: BuildProgress[] = [];
    const engine = await createEngine(cfg, data, { backend: 'cpu', onProgress: (p) => reports.push(p) });
    engine.dispose();
    expect(reports).toEqual([{ phase: 'layers', done: 3, total: 3 }]);
    const controller = new AbortController();
    controller.abort();
    await expect(createEngine(cfg, data, { backend: 'cpu', signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe.skipIf(!dev)('building a GPU engine', () => {
  let tracker: BufferTracker;
  beforeEach(() => {
    tracker = trackBuffers(dev!.device);
  });
  afterEach(() => tracker.stop());

  it("reports the tuner's trials, then the kernels compiled and the layers bound, each from 0 to all of them", async () => {
    const reports: BuildProgress[] = [];
    const engine = await createEngine(cfg, data, { backend: 'gpu', ...dev!, onProgress: (p) => reports.push(p) });
    try {
      // The phases in order: trials (where this device has products not yet measured), kernels, layers.
      const phases = reports.map((r) => r.phase);
      const inOrder = (['trials', 'kernels', 'layers'] as const).flatMap((phase) => phases.filter((p) => p === phase));
      expect(phases).toEqual(inOrder);
      // At least the products, the activation and loss kernels, the optimizer and the statistics.
      expect(expectCountsUp(reports, 'kernels')).toBeGreaterThan(5);
      expect(expectCountsUp(reports, 'layers')).toBe(3);
    } finally {
      engine.dispose();
    }
    expect(tracker.live()).toEqual([]);
  });

  it('rejects an already aborted signal and leaves nothing allocated', async () => {
    const controller = new AbortController();
    controller.abort();
    const made = createEngine(cfg, data, { backend: 'gpu', ...dev!, signal: controller.signal });
    await expect(made).rejects.toMatchObject({ name: 'AbortError' });
    expect(tracker.live()).toEqual([]);
  });

  it('aborted while compiling, rejects before the compilations end and destroys what it made', async () => {
    // A device of its own: nothing compiled yet, so compiling takes a while (and fixed product
    // choices: no trials to compile them first).
    const own = (await acquireNodeDevice())!;
    const ownTracker = trackBuffers(own.device);
    // A compilation starts with its shader module and ends with its pipeline.
    const { createShaderModule, createComputePipelineAsync } = own.device;
    let started = 0,
      finished = 0;
    own.device.createShaderModule = function (this: GPUDevice, desc: GPUShaderModuleDescriptor) {
      started++;
      return createShaderModule.call(this, desc);
    };
    own.device.createComputePipelineAsync = function (this: GPUDevice, desc: GPUComputePipelineDescriptor) {
      return createComputePipelineAsync.call(this, desc).finally(() => {
        finished++;
      });
    };
    try {
      const controller = new AbortController();
      const made = GpuEngine.create(cfg, data, own.device, own.adapter, {
        products: { variantFor: () => 'general', statsChunk: STATS_CHUNKS[0] },
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'kernels' && p.done === 0) controller.abort();
        },
      });
      await expect(made).rejects.toMatchObject({ name: 'AbortError' });
      expect(started).toBeGreaterThan(0);
      expect(finished).toBeLessThan(started);
      expect(ownTracker.live()).toEqual([]);
    } finally {
      ownTracker.stop();
      own.device.destroy();
    }
  });
});
