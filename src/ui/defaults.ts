/**
 * @file What the page opens with when the URL says nothing: a small tanh network on the circle
 * set (trains in seconds on any backend), and the seven initializers the Keras lesson compares.
 */
import { parseConfig } from '../core/config';
import { parseInitializer } from '../core/initializers';
import type { Initializer, RunConfig } from '../core/types';

const DEFAULT_CONFIG_DOC = {
  seed: 1,
  dataset: { name: 'circle', samples: 500, noise: 0.05, test_fraction: 0.2 },
  layers: [
    { units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'binary_crossentropy',
  optimizer: { name: 'sgd', learning_rate: 0.1 },
  batch_size: 16,
  epochs: 200,
  log_every: 5,
} as const;

export function defaultConfig(): RunConfig {
  return parseConfig(structuredClone(DEFAULT_CONFIG_DOC));
}

/** The seven initializers of the Keras lesson, in its order. */
export const LESSON_INITIALIZERS = [
  'zeros',
  'random_normal',
  'random_uniform',
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
] as const;

export function defaultCompare(): Initializer[] {
  return LESSON_INITIALIZERS.map((n) => parseInitializer(n, 'compare'));
}

/** Target loss for "steps to reach": low enough to mean "learned", reachable on the default set. */
export const DEFAULT_TARGET_LOSS = 0.1;
