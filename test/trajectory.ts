/**
 * @file Whole training runs compared step by step: an engine's records against the TypeScript
 * reference's, losses and statistics within a tolerance scaled to each layer's spread.
 */
import { expect } from 'vitest';
import type { LayerStats } from '../src/core/stats';
import { XOR_LESSON } from '../src/core/xor-lesson';
import type { Engine, StepRecord } from '../src/train/engine';
import { expectClose } from './harness';

/** The step-0 record and every record of a run to the end (or `steps` updates). */
export async function trajectory(e: Engine, steps = e.totalSteps): Promise<StepRecord[]> {
  const out = [await e.init()];
  await e.run(steps, (r) => out.push(r));
  return out;
}

/**
 * Runs every engine replays against the reference ([title, config document, rtol]): a lesson, a
 * short last batch with BCE from logits, and a deep net whose RMSprop magnifies float32 rounding
 * (3e-3 still catches any real difference: a wrong kernel is off by O(1)).
 */
export const REFERENCE_RUNS: [string, unknown, number][] = [
  [
    'XOR 2-2-1 sigmoid, mse, sgd (the Keras lesson)',
    {
      ...XOR_LESSON,
      seed: 3,
      batch_size: 4,
      epochs: 300,
      log_every: 25,
    },
    1e-4,
  ],
  [
    'circle, short last batch, relu + sigmoid with BCE from logits, adam',
    {
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
    },
    2e-4,
  ],
  [
    'deep random net: 12 tanh layers of 32, softmax + categorical crossentropy, rmsprop',
    {
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
    },
    3e-3,
  ],
];

/** A few hundred steps of a small MNIST classifier, step-0 statistics on real images. */
export const MNIST_RUN = {
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
};

/** Every number of LayerStats (its histograms aside). */
export const STAT_KEYS: (keyof LayerStats)[] = [
  'act_mean',
  'act_std',
  'act_min',
  'act_max',
  'preact_mean',
  'preact_std',
  'grad_std',
  'kernel_grad_norm',
  'kernel_norm',
  'kernel_mean',
  'kernel_std',
  'update_ratio',
  'max_unit_diff',
  'zero_frac',
  'saturated_frac',
];

/**
 * `got` (an engine under test) has the reference's steps, losses and statistics within `rtol`
 * (float32 drift grows slowly with steps).
 */
export function expectSameTrajectory(ref: StepRecord[], got: StepRecord[], rtol: number): void {
  expect(got.map((r) => r.step)).toEqual(ref.map((r) => r.step));
  expect(got.map((r) => r.epoch)).toEqual(ref.map((r) => r.epoch));
  expectClose(
    got.map((r) => r.loss),
    ref.map((r) => r.loss),
    1e-6,
    rtol,
    'loss',
  );
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(got[i].accuracy - ref[i].accuracy), `accuracy at step ${ref[i].step}`).toBeLessThanOrEqual(0.02);
    ref[i].layers.forEach((L, l) => {
      for (const k of STAT_KEYS) {
        const a = got[i].layers[l][k] as number,
          b = L[k] as number;
        // Scale-aware: compare against the layer's spread, so near-zero means do not demand relative accuracy.
        const scale = Math.max(
          Math.abs(b),
          k.startsWith('act')
            ? L.act_std
            : k.startsWith('preact')
              ? L.preact_std
              : k.startsWith('kernel_m')
                ? L.kernel_std
                : 0,
          1e-6,
        );
        const tol = k.endsWith('_frac') ? 0.02 : rtol * scale + 1e-7;
        expect(Math.abs(a - b), `step ${ref[i].step} layer ${l} ${k}: got ${a} reference ${b}`).toBeLessThanOrEqual(
          tol,
        );
      }
    });
  }
}
