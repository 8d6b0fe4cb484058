/**
 * @file The trainable-depth experiment's config (Schoenholz et al. 2017, their figure 5): a grid
 * of deep networks, one per (σ_w², depth), all of one width and activation, weights drawn from
 * N(0, σ_w²/fan_in) and biases from N(0, σ_b²), each trained the same number of SGD steps on the
 * same batches, then scored on held-out rows. `parseDepthConfig` fills every default or throws
 * the engine's ConfigError naming the field, as every config does.
 */
import { datasetClasses, datasetInputDim, parseActivation, parseDataset } from '../../core/config';
import { ConfigError, show } from '../../core/errors';
import { ELEMENTWISE } from '../../core/theory/activation';
import type { Activation, DatasetConfig } from '../../core/types';
import { int, knownKeys, num, obj, positive } from '../../core/validate';

export interface DepthConfig {
  seed: number;
  dataset: DatasetConfig;
  activation: Activation;
  /** Units of every hidden layer. */
  width: number;
  /** Hidden layers of each column of the grid. */
  depths: number[];
  /** σ_w² of each row of the grid: every layer's weights (the output's too) have variance σ_w²/fan_in. */
  weight_variances: number[];
  bias_variance: number;
  steps: number;
  batch_size: number;
  learning_rate: number;
}

/** A grid is at most 64 × 64 networks; what fits the device is checked where the buffers are made. */
const DEPTH_LIMITS = { width: 1024, depth: 1000, grid: 64, steps: 100_000 } as const;

const KEYS = [
  'seed',
  'dataset',
  'activation',
  'width',
  'depths',
  'weight_variances',
  'bias_variance',
  'steps',
  'batch_size',
  'learning_rate',
];

function list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > DEPTH_LIMITS.grid) {
    throw new ConfigError(path, `must be a list of 1 to ${DEPTH_LIMITS.grid} values, got ${show(v)}`);
  }
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

export function parseDepthConfig(doc: unknown): DepthConfig {
  const c = obj(doc, 'config');
  knownKeys(c, '', KEYS);
  const dataset = parseDataset(c.dataset ?? { name: 'circle', test_fraction: 0.2 });
  if (dataset.name === 'xor')
    throw new ConfigError('dataset.name', 'xor has 4 points: nothing to hold out or to learn');
  const activation = parseActivation(c.activation ?? 'tanh', 'activation');
  if (!ELEMENTWISE.includes(activation.name)) {
    throw new ConfigError(
      'activation',
      `must act on each unit (${ELEMENTWISE.join(', ')}), got ${show(activation.name)}`,
    );
  }
  const depths = list(c.depths, 'depths', (x, p) => int(x, p, 1, DEPTH_LIMITS.depth));
  const weight_variances = list(c.weight_variances, 'weight_variances', (x, p) => positive(x, p));
  const trainRows = Math.round(dataset.samples * (1 - dataset.test_fraction));
  return {
    seed: c.seed === undefined ? 1 : int(c.seed, 'seed', 0),
    dataset,
    activation,
    width: c.width === undefined ? 32 : int(c.width, 'width', 2, DEPTH_LIMITS.width),
    depths,
    weight_variances,
    bias_variance: c.bias_variance === undefined ? 0.05 : num(c.bias_variance, 'bias_variance', { min: 0 }),
    steps: c.steps === undefined ? 300 : int(c.steps, 'steps', 1, DEPTH_LIMITS.steps),
    batch_size: c.batch_size === undefined ? 32 : int(c.batch_size, 'batch_size', 1, Math.max(1, trainRows)),
    learning_rate: c.learning_rate === undefined ? 0.05 : positive(c.learning_rate, 'learning_rate'),
  };
}

/** The shape every network of the experiment shares. */
export function depthShape(cfg: DepthConfig): { inputDim: number; classes: number } {
  // Two classes are two softmax outputs: one loss and one accuracy for every dataset.
  return { inputDim: datasetInputDim(cfg.dataset), classes: Math.max(2, datasetClasses(cfg.dataset)) };
}
