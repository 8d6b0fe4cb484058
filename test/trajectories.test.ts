/**
 * @file Whole training runs on both backends: the same config gives the same losses and
 * statistics within float32 tolerance, step for step; the GPU draws the CPU's initial weights;
 * zero initialization never breaks the symmetry between hidden units.
 */

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import type { RunConfig } from '../src/core/types';
import { XOR_LESSON } from '../src/core/xor-lesson';
import { GpuEngine } from '../src/gpu/engine';
import { STATS_CHUNKS } from '../src/gpu/kernels';
import { subgroupSizeOf } from '../src/gpu/products';
import { CpuEngine } from '../src/train/cpu-engine';
import type { Engine, StepRecord } from '../src/train/engine';
import { initialWeightsCpu } from '../src/train/model';
import { testDevice } from './gpu-device';
import { expectClose } from './harness';
import { expectSameTrajectory, trajectory } from './trajectory';

const dev = await testDevice();

async function both(
  doc: unknown,
): Promise<{ cfg: RunConfig; cpu: StepRecord[]; gpu: StepRecord[]; cpuE: Engine; gpuE: Engine }> {
  const cfg = parseConfig(doc);
  const data = await loadDataset(cfg.dataset, cfg.seed);
  const cpuE = new CpuEngine(cfg, data.train);
  const gpuE = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter);
  return { cfg, cpuE, gpuE, cpu: await trajectory(cpuE), gpu: await trajectory(gpuE) };
}

describe.skipIf(!dev)('GPU and CPU trajectories agree', () => {
  it('XOR 2-2-1 sigmoid, mse, sgd (the Keras lesson), 300 epochs', async () => {
    const { cpu, gpu } = await both({
      ...XOR_LESSON,
      seed: 3,
      batch_size: 4,
      epochs: 300,
      log_every: 25,
    });
    expect(cpu.length).toBe(1 + 300 / 25);
    expect(cpu.at(-1)!.loss).toBeLessThan(cpu[0].loss);
    expectSameTrajectory(cpu, gpu, 1e-4);
  });

  it('circle, short last batch, relu + sigmoid with BCE from logits, adam', async () => {
    const { cpu, gpu } = await both({
      seed: 5,
      dataset: { name: 'circle', samples: 500, noise: 0.1 },
      layers: [
        { units: 8, activation: 'relu', kernel_initializer: 'he_uniform' },
        { units: 8, activation: 'relu' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      optimizer: { name: 'adam', learning_rate: 0.01 },
      batch_size: 32,
      epochs: 12,
      log_every: 16,
    });
    expect(cpu.at(-1)!.step).toBe(12 * 16);
    expect(cpu.at(-1)!.accuracy).toBeGreaterThan(0.8);
    expectSameTrajectory(cpu, gpu, 2e-4);
  });

  it('deep random net: 12 tanh layers of 32, softmax + categorical crossentropy, rmsprop', async () => {
    const { cpu, gpu } = await both({
      seed: 7,
      dataset: { name: 'random', samples: 256, dim: 32, classes: 4 },
      layers: [
        ...Array.from({ length: 12 }, () => ({ units: 32, activation: 'tanh' })),
        { units: 4, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'rmsprop', learning_rate: 0.001 },
      batch_size: 64,
      epochs: 50,
      log_every: 20,
    });
    expect(cpu.at(-1)!.step).toBe(200);
    // RMSprop divides by the root of tiny second moments, which magnifies float32 rounding differences
    // over 200 steps through 13 layers; 3e-3 still catches any real difference (a wrong kernel is off by O(1)).
    expectSameTrajectory(cpu, gpu, 3e-3);
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
      const gpuE = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter, { products });
      // The variant under test runs in the step (where it can take a product), else this compares nothing new.
      const ran = gpuE.stepKernels().filter((k) => k.startsWith('matmul'));
      if (variant !== 'general') expect(ran.some((k) => k.split('+')[0] !== 'matmul')).toBe(true);
      const [cpu, gpu] = [await trajectory(new CpuEngine(cfg, data.train)), await trajectory(gpuE)];
      gpuE.dispose();
      expectSameTrajectory(cpu, gpu, 1e-3);
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
    const { cpu, gpu } = await both({
      seed: 2,
      dataset: { name: 'mnist', samples: 1000 },
      layers: [
        { units: 64, activation: 'relu', kernel_initializer: 'he_normal' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'adam' },
      batch_size: 100,
      epochs: 20,
      log_every: 50,
    });
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
    const inits = [
      'zeros',
      'ones',
      { class_name: 'Constant', config: { value: -0.25 } },
      'random_normal',
      'random_uniform',
      'truncated_normal',
      { class_name: 'VarianceScaling', config: { scale: 3, mode: 'fan_out', distribution: 'untruncated_normal' } },
      'glorot_uniform',
      'glorot_normal',
      'he_uniform',
      'he_normal',
      'lecun_uniform',
      'lecun_normal',
      'orthogonal',
      'identity',
    ];
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
    const gpuE = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter);
    await gpuE.init();
    const got = await gpuE.weights();
    const ref = initialWeightsCpu(cfg);
    ref.forEach((w, l) => {
      const scale = Math.max(1e-3, ...Array.from(w.kernel, Math.abs));
      expectClose(got[l].kernel, w.kernel, 1e-6 * scale, 0, `layer ${l} kernel (${JSON.stringify(inits[l])})`);
      expectClose(got[l].bias, w.bias, 1e-7, 0, `layer ${l} bias`);
    });
    // Uniform draws are bit-identical where no scaling is involved: random_uniform's raw draws are checked in kernels.test.ts.
    gpuE.dispose();
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
    for (const e of [
      new CpuEngine(cfg, data.train),
      await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter),
    ]) {
      const steps: number[] = [];
      await e.init();
      await e.run(5, (r) => steps.push(r.step));
      await e.run(e.totalSteps - 5, (r) => steps.push(r.step));
      expect(steps, e.backend).toEqual([5, 7, 14, 20]);
      e.dispose();
    }
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
        const e =
          backend === 'cpu'
            ? new CpuEngine(cfg, data.train)
            : await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter);
        await e.init();
        await e.run(e.totalSteps, () => {});
        const w = await e.weights();
        const moved = w[1].kernel.some((v) => v !== (kernel === 'ones' ? 1 : 0));
        if (kernel !== 'glorot_uniform') expect(moved, `${kernel} weights must train`).toBe(kernel === 'ones' || moved);
        for (const l of [0, 1]) {
          const s = spread(w[l].kernel, 4);
          if (symmetric) expect(s, `${kernel} layer ${l}`).toBe(0);
          else expect(s, `${kernel} layer ${l}`).toBeGreaterThan(1e-2);
        }
        e.dispose();
      }
    });
  }
});
