/**
 * @file The trainable-depth population: every network of a grid trained at once on the GPU
 * (layers of all networks per dispatch) against the CPU trainer, one network at a time. Awkward
 * shapes on purpose: widths, batches and input widths that are no multiple of the kernels' 16 ×
 * 16 tiles, networks of different depths side by side, three classes, a partial last batch of
 * an epoch. The draws are bit-identical; after training, every weight agrees to float32 sums'
 * tolerance and the accuracies to a row.
 */
import { describe, expect, it } from 'vitest';
import { parseDepthConfig } from '../src/atlas/depth/config';
import { accuracyOf, depthSchedule, initialNetwork, trainStep } from '../src/atlas/depth/cpu-train';
import { DepthGpuTrainer } from '../src/atlas/depth/gpu-train';
import { loadDataset } from '../src/core/datasets';
import { testDevice } from './gpu-device';
import { expectClose } from './harness';

const dev = await testDevice();

const CASES = [
  {
    name: 'circle, two classes, width 20, batch 12, depths 1 and 3',
    doc: {
      seed: 9,
      dataset: { name: 'circle', samples: 64, test_fraction: 0.25 },
      width: 20,
      depths: [1, 3],
      weight_variances: [1, 2.5],
      bias_variance: 0.05,
      steps: 6,
      batch_size: 12,
      learning_rate: 0.1,
    },
  },
  {
    name: 'random inputs of width 37, three classes, softsign, depths 2, 5 and 4',
    doc: {
      seed: 3,
      dataset: { name: 'random', samples: 50, dim: 37, classes: 3, test_fraction: 0.2 },
      activation: 'softsign',
      width: 17,
      depths: [2, 5, 4],
      weight_variances: [1.5],
      bias_variance: 0.1,
      steps: 4,
      batch_size: 40,
      learning_rate: 0.2,
    },
  },
];

describe('the trainable-depth config', () => {
  const base = { depths: [2, 4], weight_variances: [1, 2] };
  it('fills the defaults: tanh, the circle set with a fifth held out', () => {
    const cfg = parseDepthConfig(base);
    expect(cfg.activation.name).toBe('tanh');
    expect(cfg.dataset.name).toBe('circle');
    expect(cfg.dataset.test_fraction).toBe(0.2);
  });
  it('refuses bad input with a message naming the field', () => {
    const refused: [unknown, RegExp][] = [
      [{ ...base, depths: [] }, /^depths must be a list of 1 to \d+ values/],
      [{ ...base, depths: [2, 0] }, /^depths\[1\]/],
      [{ ...base, weight_variances: [1, -1] }, /^weight_variances\[1\]/],
      [{ ...base, activation: 'softmax' }, /^activation must act on each unit/],
      [{ ...base, dataset: 'xor' }, /^dataset\.name xor has 4 points/],
      [{ ...base, width: 4096 }, /^width/],
      [{ ...base, depth: 3 }, /depth/],
      [{ ...base, weight_variances: Array(65).fill(1) }, /^weight_variances must be a list of 1 to 64 values/],
    ];
    for (const [doc, message] of refused) expect(() => parseDepthConfig(doc), JSON.stringify(doc)).toThrow(message);
  });
});

describe.skipIf(!dev)('the trainable-depth population on the GPU against the CPU', () => {
  for (const { name, doc } of CASES) {
    it(name, async () => {
      const cfg = parseDepthConfig(doc);
      const { train, test } = await loadDataset(cfg.dataset, cfg.seed);
      const cells = cfg.depths.length * cfg.weight_variances.length;
      const cpu = Array.from({ length: cells }, (_, c) => initialNetwork(cfg, c));
      const gpu = await DepthGpuTrainer.create(dev!.device, cfg, train, test!);
      try {
        // The same draws, to the bit.
        const drawn = await gpu.parameters();
        cpu.forEach((net, c) => {
          net.params.forEach((p, l) => {
            expect(Array.from(drawn[c][l]), `cell ${c} layer ${l}`).toEqual(Array.from(p));
          });
        });
        const schedule = depthSchedule(cfg, train.n);
        for (let s = 1; s <= cfg.steps; s++) for (const net of cpu) trainStep(cfg, net, train, schedule.rowsOf(s));
        await gpu.trainSteps(cfg.steps);
        const trained = await gpu.parameters();
        cpu.forEach((net, c) => {
          net.params.forEach((p, l) => {
            expectClose(trained[c][l], p, 2e-5, 2e-4, `cell ${c} layer ${l}`);
          });
        });
        const accuracy = await gpu.accuracy();
        cpu.forEach((net, c) => {
          expect(Math.abs(accuracy[c] - accuracyOf(cfg, net, test!))).toBeLessThanOrEqual(1 / test!.n + 1e-12);
        });
      } finally {
        gpu.dispose();
      }
    });
  }
});
