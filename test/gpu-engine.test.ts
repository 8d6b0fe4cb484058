/**
 * @file The GPU engine's edges: predictions, WGSL errors with line numbers, models too large for
 * the device refused before allocating (a lost device: test/gpu-memory.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { ConfigError } from '../src/core/errors';
import { type EngineChoices, GpuEngine } from '../src/gpu/engine';
import { PipelineCache } from '../src/gpu/kernel';
import { STATS_CHUNKS } from '../src/gpu/kernels';
import { chosenPlan, type ProductChoices, productCapsOf } from '../src/gpu/products';
import { ProductTuner } from '../src/gpu/tuner';
import { CpuEngine } from '../src/train/cpu-engine';
import { layerShapes } from '../src/train/model';
import { testDevice } from './gpu-device';
import { expectClose, randomArray } from './harness';

const dev = await testDevice();

describe.skipIf(!dev)('GPU engine edges', () => {
  it("predict gives the CPU engine's outputs for the same weights, in several chunks", async () => {
    const cfg = parseConfig({
      seed: 8,
      dataset: { name: 'circle', samples: 100 },
      layers: [
        { units: 12, activation: 'elu' },
        { units: 5, activation: 'softplus' },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      epochs: 1,
      batch_size: 10,
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const cpu = new CpuEngine(cfg, data.train);
    await cpu.init();
    await cpu.run(5, () => {});
    const w = await cpu.weights();
    const gpu = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter);
    try {
      await gpu.init(w);
      const n = 70_001; // more than one predict chunk
      const x = randomArray(n * 2, -6, 6, 3);
      const [pg, pc] = [await gpu.predict(x, n), await cpu.predict(x, n)];
      expectClose(pg.z, pc.z, 1e-5, 1e-5, 'z');
      expectClose(pg.a, pc.a, 1e-6, 1e-5, 'a');
      // A small request runs a small pass and gives the same rows.
      const few = await gpu.predict(x.subarray(0, 10), 5);
      expect(Array.from(few.a)).toEqual(Array.from(pg.a.subarray(0, 10)));
    } finally {
      gpu.dispose();
    }
  });

  it('runs every product on the variant the tuner chose for it on this device, or on a variant it is given', async () => {
    // 64 rows × 68 units: too large for the fused kernel, whose networks are not tuned (below).
    const cfg = parseConfig({
      seed: 2,
      dataset: { name: 'random', dim: 16, samples: 64, classes: 10 },
      batch_size: 64,
      layers: [
        { units: 68, activation: 'relu' },
        { units: 32, activation: 'tanh' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    const shapes = layerShapes(cfg);
    // The products of a step in the order the step runs them: forward up, then dW and dX down.
    const order = [
      ...shapes.map((s) => ({ form: 'forward' as const, m: 64, n: s.units, k: s.fanIn })),
      ...shapes
        .map((s, l) => [
          { form: 'dW' as const, m: s.fanIn, n: s.units, k: 64 },
          ...(l > 0 ? [{ form: 'dX' as const, m: 64, n: s.fanIn, k: s.units }] : []),
        ])
        .reverse()
        .flat(),
    ];
    const caps = productCapsOf(dev!.device);
    // Each product's dispatches: the transpositions it needs, then its kernel.
    const kernelsOf = (choices: ProductChoices) =>
      order.flatMap((s) => {
        const p = chosenPlan(choices, caps, s.form, s.m, s.n, s.k);
        return [p.transposeA, p.transposeB].flatMap((x) => (x ? [x.desc.name] : [])).concat(p.desc.name.split('+')[0]);
      });
    const productsRun = async (engine: GpuEngine) => {
      try {
        return engine
          .stepKernels()
          .filter((k) => /^(matmul|transpose)/.test(k))
          .map((n) => n.split('+')[0]);
      } finally {
        engine.dispose();
      }
    };
    const tuned = await productsRun(await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter));
    const chosen = await ProductTuner.for(dev!.device).choices(order);
    expect(tuned).toEqual(kernelsOf(chosen));
    const tiled: EngineChoices = { variantFor: () => 'tiled-32x32-4x4', statsChunk: STATS_CHUNKS[0] };
    const forced = await productsRun(
      await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter, { products: tiled }),
    );
    // The 10-unit output layer's forward and dW cannot take the tiled kernel: the general one does.
    expect(forced).toEqual(order.map((s) => (s.n % 4 === 0 ? 'matmul_tiled_32x32' : 'matmul')));
  });

  it("reports the units' symmetry as the CPU does: exactly 0 while zero-initialized units stay copies", async () => {
    const network = (kernel_initializer: string) =>
      parseConfig({
        seed: 3,
        dataset: { name: 'xor' },
        layers: [
          { units: 5, activation: 'sigmoid', kernel_initializer },
          { units: 300, activation: 'tanh', kernel_initializer },
          { units: 1, activation: 'sigmoid', kernel_initializer },
        ],
        loss: 'mse',
        optimizer: { name: 'sgd', learning_rate: 2 },
        batch_size: 4,
        epochs: 30,
        log_every: 10,
      });
    // Then the same network from random weights: the 5 × 300 kernel's 5 rows of 300, 300 rows of 1.
    const zeros = network('zeros'),
      random = network('glorot_uniform');
    for (const cfg of [zeros, random]) {
      const data = await loadDataset(cfg.dataset, cfg.seed);
      const gpu = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter);
      const cpu = new CpuEngine(cfg, data.train);
      try {
        const [g, c] = [[await gpu.init()], [await cpu.init()]];
        await gpu.run(30, (r) => g.push(r));
        await cpu.run(30, (r) => c.push(r));
        const diffs = (rs: typeof g) => rs.map((r) => r.layers.map((L) => L.max_unit_diff));
        if (cfg === zeros)
          expect(
            diffs(g)
              .flat()
              .every((d) => d === 0),
          ).toBe(true);
        else expect(Math.min(...diffs(g).map((d) => d[1]))).toBeGreaterThan(0.01);
        expectClose(diffs(g).flat(), diffs(c).flat(), 1e-6, 1e-5, 'max_unit_diff');
      } finally {
        gpu.dispose();
      }
    }
  });

  it('runs a network small enough for the fused kernel on the general kernel, without tuning', async () => {
    const cfg = parseConfig({
      seed: 2,
      dataset: { name: 'circle', samples: 64 },
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      batch_size: 16,
    });
    const data = await loadDataset(cfg.dataset, cfg.seed);
    let reports = 0;
    const gpu = await GpuEngine.create(cfg, data.train, dev!.device, dev!.adapter, {
      onProgress: (p) => {
        if (p.phase === 'trials') reports++;
      },
    });
    let products: string[];
    try {
      products = gpu.stepKernels().filter((k) => k.startsWith('matmul'));
    } finally {
      gpu.dispose();
    }
    expect([reports, new Set(products.map((k) => k.split('+')[0]))]).toEqual([0, new Set(['matmul'])]);
  });

  it('reports WGSL compile errors with the kernel name and line numbers', async () => {
    const cache = new PipelineCache(dev!.device);
    const bad = {
      name: 'broken',
      source: '@compute @workgroup_size(WG)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n',
      bindings: [],
    };
    await expect(cache.get(bad)).rejects.toThrow(
      /WGSL compile error in kernel broken:\n\s+broken:\d+:\d+: .*undefined_thing/,
    );
  });

  it('refuses a model larger than the device can bind, naming the layer, before allocating', async () => {
    const limit = dev!.device.limits.maxStorageBufferBindingSize;
    const units = Math.ceil(Math.sqrt(limit / 4)) + 16; // units × units floats exceed one binding
    const cfg = parseConfig({
      dataset: { name: 'random', dim: units, samples: 4, classes: 2 },
      layers: [{ units }, { units: 1, activation: 'sigmoid' }],
    });
    const data = {
      name: 'random' as const,
      x: new Float32Array(0),
      labels: new Uint32Array(4),
      n: 4,
      inputDim: units,
      classes: 2,
    };
    const err = await GpuEngine.create(cfg, data, dev!.device, dev!.adapter).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(
      new RegExp(
        `^layers\\[0\\]\\.units gives a ${units}x${units} kernel of .* MiB, more than this GPU can bind in one buffer`,
      ),
    );
  });
});
