/**
 * @file The WebAssembly CPU engine against the TypeScript reference engine: whole training runs
 * agree step by step (losses and every statistic) on one thread and on three, initial weights
 * are the reference's draws, predictions match, records land where the schedule says; both
 * refuse a network beyond the CPU's memory budget.
 */
import { describe, expect, it } from 'vitest';
import { MAX_UNITS, parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { ConfigError } from '../src/core/errors';
import type { Dataset, RunConfig } from '../src/core/types';
import { CPU_BUDGET_BYTES } from '../src/train/cpu-base';
import { CpuEngine } from '../src/train/cpu-engine';
import { initialWeightsCpu } from '../src/train/model';
import { createCpuEngine, forwardMacs } from '../src/wasm/create';
import { WasmEngine } from '../src/wasm/engine';
import { expectClose } from './harness';
import { expectSameTrajectory, MNIST_RUN, REFERENCE_RUNS, trajectory } from './trajectory';

async function compare(doc: unknown, threads: number, rtol: number) {
  const cfg = parseConfig(doc);
  const data = await loadDataset(cfg.dataset, cfg.seed);
  const wasm = await WasmEngine.create(cfg, data.train, { threads });
  try {
    const ref = await trajectory(new CpuEngine(cfg, data.train));
    const got = await trajectory(wasm);
    expectSameTrajectory(ref, got, rtol);
    return { ref, got, wasm };
  } finally {
    wasm.dispose();
  }
}

const RUNS: [string, unknown, number][] = [
  ...REFERENCE_RUNS,
  [
    'wide layers (chunks on every thread), leaky relu, sigmoid, elu, sgd with momentum',
    {
      seed: 13,
      dataset: { name: 'random', samples: 300, dim: 513, classes: 10 },
      layers: [
        { units: 255, activation: 'leaky_relu', kernel_initializer: 'he_normal' },
        { units: 130, activation: 'sigmoid' },
        { units: 17, activation: 'elu' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.05, momentum: 0.9 },
      batch_size: 129,
      epochs: 2,
      log_every: 2,
    },
    1e-3,
  ],
  [
    'selu + lecun_normal, gelu, swish, softplus, softsign; mse on one-hot targets; nesterov',
    {
      seed: 11,
      dataset: { name: 'spiral', samples: 200, noise: 0.1 },
      layers: [
        { units: 16, activation: 'selu', kernel_initializer: 'lecun_normal' },
        { units: 16, activation: 'gelu', kernel_initializer: { class_name: 'RandomNormal', config: { stddev: 0.3 } } },
        { units: 16, activation: 'swish', kernel_initializer: 'orthogonal' },
        { units: 9, activation: 'softplus' },
        { units: 7, activation: 'softsign' },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true },
      batch_size: 50,
      epochs: 60,
      log_every: 30,
    },
    1e-3,
  ],
  ['MNIST subset, 784-64-10, adam', MNIST_RUN, 1e-3],
];

for (const threads of [1, 3]) {
  describe(`WebAssembly engine against the TypeScript reference, ${threads} thread(s)`, () => {
    for (const [name, doc, rtol] of RUNS) {
      it(name, async () => {
        const { wasm } = await compare(doc, threads, rtol);
        expect(wasm.adapter).toBe(
          threads > 1
            ? `CPU (WebAssembly SIMD, ${threads} threads)`
            : 'CPU (WebAssembly SIMD, one thread: one thread asked for)',
        );
      });
    }
  });
}

describe('WebAssembly engine', () => {
  it('starts from the reference initializers exactly and predicts what the reference predicts', async () => {
    const cfg = parseConfig({
      seed: 99,
      dataset: { name: 'random', samples: 600, dim: 17, classes: 3 },
      layers: [
        { units: 33, activation: 'tanh', kernel_initializer: 'orthogonal', bias_initializer: 'random_uniform' },
        { units: 9, activation: 'relu', kernel_initializer: 'he_uniform' },
        { units: 3, activation: 'softmax', kernel_initializer: 'truncated_normal' },
      ],
      loss: 'categorical_crossentropy',
      batch_size: 64,
      epochs: 1,
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const wasm = await WasmEngine.create(cfg, data.train, { threads: 2 });
    const ref = new CpuEngine(cfg, data.train);
    try {
      await Promise.all([wasm.init(), ref.init()]);
      const w = await wasm.weights();
      initialWeightsCpu(cfg).forEach((l, i) => {
        expect(w[i].kernel).toEqual(l.kernel);
        expect(w[i].bias).toEqual(l.bias);
      });
      await wasm.run(5, () => {});
      await ref.run(5, () => {});
      // 600 rows: more than one block of predict's own buffers.
      const [got, want] = await Promise.all([wasm.predict(data.train.x, 600), ref.predict(data.train.x, 600)]);
      expectClose(got.z, want.z, 1e-5, 1e-4, 'z');
      expectClose(got.a, want.a, 1e-6, 1e-4, 'a');
    } finally {
      wasm.dispose();
    }
  });

  it('records at log_every, the end of a call and the last step', async () => {
    const cfg = parseConfig({
      seed: 1,
      dataset: { name: 'xor' },
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      batch_size: 2,
      epochs: 10,
      log_every: 7,
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const e = await WasmEngine.create(cfg, data.train);
    try {
      const steps: number[] = [];
      await e.init();
      await e.run(5, (r) => steps.push(r.step));
      await e.run(e.totalSteps - 5, (r) => steps.push(r.step));
      expect(steps).toEqual([5, 7, 14, 20]);
    } finally {
      e.dispose();
    }
  });

  it('the CPU backend takes the WebAssembly engine, except for networks too small for it to pay', async () => {
    for (const [doc, engine] of [
      [RUNS[0][1], CpuEngine],
      [RUNS[1][1], WasmEngine],
    ] as const) {
      const cfg = parseConfig(doc);
      const data = await loadDataset(cfg.dataset, cfg.seed);
      const e = await createCpuEngine(cfg, data.train);
      try {
        expect(e, `${forwardMacs(cfg, data.train)} forward multiply-adds per step`).toBeInstanceOf(engine);
      } finally {
        e.dispose();
      }
    }
  });

  it.each([
    ['TypeScript', async (cfg: RunConfig, data: Dataset) => new CpuEngine(cfg, data)],
    ['WebAssembly', (cfg: RunConfig, data: Dataset) => WasmEngine.create(cfg, data)],
  ])('%s: refuses a model beyond the CPU budget before allocating, naming the field', async (_, make) => {
    // Two 8192² kernels (the widest layers a config may ask for), five copies each: 2.5 GiB.
    const units = MAX_UNITS;
    const cfg = parseConfig({
      dataset: { name: 'random', dim: units, samples: 2, classes: 2 },
      layers: [{ units }, { units }, { units: 1, activation: 'sigmoid' }],
    });
    const data = { name: 'random' as const, x: new Float32Array(0), labels: new Uint32Array(2), n: 2 };
    const err = await make(cfg, { ...data, inputDim: units, classes: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    // The message names what the model needs and what the backend allows, whatever that is.
    const message = (err as Error).message;
    expect(message).toMatch(/^layers need about .* MiB in all, more than the CPU backend allows \(.* MiB\)$/);
    const [needs, allows] = [...message.matchAll(/(\d+\.\d) MiB/g)].map((m) => Number(m[1]));
    expect(needs).toBeGreaterThan(allows);
    expect(allows).toBeCloseTo(CPU_BUDGET_BYTES / 2 ** 20, 1);
  });
});
