/**
 * @file Whole training runs on both backends: the same config gives the same losses and
 * statistics within float32 tolerance, step for step; the GPU draws the CPU's initial weights;
 * zero initialization never breaks the symmetry between hidden units.
 */

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { INITIALIZER_NAMES } from '../src/core/initializers';
import type { Dataset, RunConfig } from '../src/core/types';
import { GpuEngine, type GpuEngineOptions } from '../src/gpu/engine';
import { STATS_CHUNKS } from '../src/gpu/kernels';
import { subgroupSizeOf } from '../src/gpu/products';
import { CpuEngine } from '../src/train/cpu-engine';
import type { Engine, StepRecord } from '../src/train/engine';
import { initialWeightsCpu } from '../src/train/model';
import { testDevice } from './gpu-device';
import { expectClose } from './harness';
import { expectSameTrajectory, MNIST_RUN, REFERENCE_RUNS, trajectory } from './trajectory';

const dev = await testDevice();

/** `use` of a GPU engine for `cfg`, released when it is done. */
async function withGpu<T>(
  cfg: RunConfig,
  data: Dataset,
  use: (e: GpuEngine) => Promise<T>,
  options?: GpuEngineOptions,
): Promise<T> {
  const e = await GpuEngine.create(cfg, data, dev!.device, dev!.adapter, options);
  try {
    return await use(e);
  } finally {
    e.dispose();
  }
}

/** The whole run of `doc` on the reference and on the GPU. */
async function both(doc: unknown): Promise<{ cfg: RunConfig; cpu: StepRecord[]; gpu: StepRecord[] }> {
  const cfg = parseConfig(doc);
  const data = await loadDataset(cfg.dataset, cfg.seed);
  const cpu = await trajectory(new CpuEngine(cfg, data.train));
  return { cfg, cpu, gpu: await withGpu(cfg, data.train, trajectory) };
}

describe.skipIf(!dev)('GPU and CPU trajectories agree', () => {
  for (const [name, doc, rtol] of REFERENCE_RUNS)
    it(name, async () => {
      const { cfg, cpu, gpu } = await both(doc);
      expect(cpu.at(-1)!.epoch).toBe(cfg.epochs);
      expect(cpu.at(-1)!.loss).toBeLessThan(cpu[0].loss);
      expectSameTrajectory(cpu, gpu, rtol);
    });

  it('wide layers, on the product variants the tuner keeps for them on this device', async () => {
    const { cpu, gpu } = await both({
      seed: 13,
      dataset: { name: 'random', samples: 128, dim: 512, classes: 10 },
      layers: [
        { units: 512, activation: 'relu', kernel_initializer: 'he_normal' },
        { units: 512, activation: 'tanh' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.05 },
      batch_size: 64,
      epochs: 3,
      log_every: 2,
    });
    expect(cpu.at(-1)!.step).toBe(6);
    expectSameTrajectory(cpu, gpu, 1e-3);
  });

  // Each family of product variants forced on every product (the tuner picks per device what
  // runs; each must train as the CPU does), some with the statistics split over many small
  // workgroups: 64 × 132 activations and a 36 × 132 kernel span several at a chunk of 2048.
  const forced: [string, number][] = [
    ['tiled-64x64-4x4', 2048],
    ['tiled-128x128-8x8', STATS_CHUNKS[0]],
    ['vec4', 2048],
    ['general', STATS_CHUNKS[0]],
    ...(subgroupSizeOf(dev!.device) ? ([['sg-t', 2048]] as [string, number][]) : []),
  ];
  for (const [variant, statsChunk] of forced)
    it(`every product on ${variant} (statistics in chunks of ${statsChunk}) trains as the CPU does`, async () => {
      const cfg = parseConfig({
        seed: 17,
        dataset: { name: 'random', samples: 160, dim: 36, classes: 4 },
        layers: [
          { units: 132, activation: 'relu', kernel_initializer: 'he_normal' },
          { units: 20, activation: 'tanh' },
          { units: 4, activation: 'softmax' },
        ],
        loss: 'categorical_crossentropy',
        optimizer: { name: 'adam', learning_rate: 0.01 },
        batch_size: 64,
        epochs: 3,
        log_every: 2,
      });
      const data = await loadDataset(cfg.dataset, cfg.seed);
      const products = { variantFor: () => variant, statsChunk };
      const gpu = await withGpu(
        cfg,
        data.train,
        async (gpuE) => {
          // The variant under test runs in the step (where it can take a product), else this compares nothing new.
          const ran = gpuE.stepKernels().filter((k) => k.startsWith('matmul'));
          if (variant !== 'general') expect(ran.some((k) => k.split('+')[0] !== 'matmul')).toBe(true);
          return trajectory(gpuE);
        },
        { products },
      );
      expectSameTrajectory(await trajectory(new CpuEngine(cfg, data.train)), gpu, 1e-3);
    });

  it('selu + lecun_normal, gelu, swish; mse on one-hot targets; nesterov momentum', async () => {
    const { cpu, gpu } = await both({
      seed: 11,
      dataset: { name: 'spiral', samples: 200, noise: 0.1 },
      layers: [
        { units: 16, activation: 'selu', kernel_initializer: 'lecun_normal' },
        { units: 16, activation: 'gelu', kernel_initializer: { class_name: 'RandomNormal', config: { stddev: 0.3 } } },
        {
          units: 16,
          activation: 'swish',
          kernel_initializer: 'orthogonal',
          bias_initializer: { class_name: 'Constant', config: { value: 0.1 } },
        },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true },
      batch_size: 50,
      epochs: 60,
      log_every: 30,
    });
    expectSameTrajectory(cpu, gpu, 1e-3);
  });

  it('MNIST subset, 784-64-10, step-0 statistics and a few hundred steps', async () => {
    const { cpu, gpu } = await both(MNIST_RUN);
    expect(cpu.at(-1)!.accuracy).toBeGreaterThan(0.8);
    expectSameTrajectory(cpu, gpu, 1e-3);
    // Histograms of the first record: the same counts, up to values that sit on a bin edge.
    const diff = cpu[0].layers[0].act_hist.counts.reduce(
      (s, c, i) => s + Math.abs(c - gpu[0].layers[0].act_hist.counts[i]),
      0,
    );
    expect(diff).toBeLessThanOrEqual(4);
  });

  it('draws the same initial weights as the CPU for every initializer', async () => {
    // Every initializer by name, Constant and VarianceScaling with arguments other than their defaults.
    const withArguments: Record<string, unknown> = {
      constant: { class_name: 'Constant', config: { value: -0.25 } },
      variance_scaling: {
        class_name: 'VarianceScaling',
        config: { scale: 3, mode: 'fan_out', distribution: 'untruncated_normal' },
      },
    };
    const inits = INITIALIZER_NAMES.map((name) => withArguments[name] ?? name);
    const cfg = parseConfig({
      seed: 99,
      dataset: { name: 'random', samples: 64, dim: 17, classes: 3 },
      layers: [
        ...inits.map((k, i) => ({
          units: 17 + (i % 3) * 8,
          activation: 'tanh',
          kernel_initializer: k,
          bias_initializer: i % 2 ? 'random_uniform' : 'zeros',
        })),
        { units: 3, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      batch_size: 64,
      epochs: 0,
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const got = await withGpu(cfg, data.train, async (gpuE) => {
      await gpuE.init();
      return gpuE.weights();
    });
    const ref = initialWeightsCpu(cfg);
    ref.forEach((w, l) => {
      const scale = Math.max(1e-3, ...Array.from(w.kernel, Math.abs));
      expectClose(got[l].kernel, w.kernel, 1e-6 * scale, 0, `layer ${l} kernel (${JSON.stringify(inits[l])})`);
      expectClose(got[l].bias, w.bias, 1e-7, 0, `layer ${l} bias`);
    });
    // Uniform draws are bit-identical where no scaling is involved: random_uniform's raw draws are checked in kernels.test.ts.
  });

  it('epochs 0 records only the initialization; records land at log_every, the end of a call and the last step', async () => {
    const base = {
      seed: 1,
      dataset: { name: 'xor' },
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      batch_size: 2,
    };
    const zero = await both({ ...base, epochs: 0 });
    expect(zero.cpu.map((r) => r.step)).toEqual([0]);
    expect(zero.gpu.map((r) => r.step)).toEqual([0]);
    const cfg = parseConfig({ ...base, epochs: 10, log_every: 7 });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const recorded = async (e: Engine) => {
      const steps: number[] = [];
      await e.init();
      await e.run(5, (r) => steps.push(r.step));
      await e.run(e.totalSteps - 5, (r) => steps.push(r.step));
      return steps;
    };
    expect(await recorded(new CpuEngine(cfg, data.train))).toEqual([5, 7, 14, 20]);
    expect(await withGpu(cfg, data.train, recorded)).toEqual([5, 7, 14, 20]);
  });
});

describe('zero initialization keeps hidden units identical (symmetry is never broken)', () => {
  const doc = (kernel: string) => ({
    seed: 4,
    dataset: { name: 'gauss', samples: 100, noise: 0.2 },
    layers: [
      { units: 4, activation: 'tanh', kernel_initializer: kernel },
      { units: 4, activation: 'tanh', kernel_initializer: kernel },
      { units: 1, activation: 'sigmoid', kernel_initializer: kernel },
    ],
    loss: 'binary_crossentropy',
    optimizer: { name: 'sgd', learning_rate: 0.5 },
    batch_size: 10,
    epochs: 20,
  });
  /** Largest difference between any hidden unit's incoming weights and unit 0's. */
  function spread(kernel: Float32Array, units: number): number {
    let s = 0;
    for (let i = 0; i < kernel.length; i++) s = Math.max(s, Math.abs(kernel[i] - kernel[i - (i % units)]));
    return s;
  }
  const backends = dev ? (['cpu', 'gpu'] as const) : (['cpu'] as const);
  for (const backend of backends) {
    it(`${backend}: zeros stay symmetric, glorot_uniform does not`, async () => {
      for (const [kernel, symmetric] of [
        ['zeros', true],
        ['ones', true],
        ['glorot_uniform', false],
      ] as const) {
        const cfg = parseConfig(doc(kernel));
        const data = await loadDataset(cfg.dataset, cfg.seed);
        const trained = async (e: Engine) => {
          await e.init();
          await e.run(e.totalSteps, () => {});
          return e.weights();
        };
        const w =
          backend === 'cpu' ? await trained(new CpuEngine(cfg, data.train)) : await withGpu(cfg, data.train, trained);
        const moved = w[1].kernel.some((v) => v !== (kernel === 'ones' ? 1 : 0));
        if (kernel !== 'glorot_uniform') expect(moved, `${kernel} weights must train`).toBe(kernel === 'ones' || moved);
        for (const l of [0, 1]) {
          const s = spread(w[l].kernel, 4);
          if (symmetric) expect(s, `${kernel} layer ${l}`).toBe(0);
          else expect(s, `${kernel} layer ${l}`).toBeGreaterThan(1e-2);
        }
      }
    });
  }
});
