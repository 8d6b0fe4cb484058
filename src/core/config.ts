/**
 * @file The one config schema. `parseConfig` turns a user's JSON document into a `RunConfig`
 * with every default filled (Keras' defaults), or throws a `ConfigError` whose message names
 * the field and what is allowed. The CLI, the URL state and the UI's import/export all go
 * through here, so there is exactly one place that decides what a valid run is.
 */
import { ConfigError, show } from './errors';
import { initializerToKeras, parseInitializer } from './initializers';
import type {
  Activation,
  ActivationName,
  DatasetConfig,
  DatasetName,
  LayerConfig,
  LossName,
  OptimizerConfig,
  RunConfig,
} from './types';
import { bool, int, isObj, knownKeys, num, type Obj, obj, oneOf, positive } from './validate';

export const ACTIVATIONS: readonly ActivationName[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'softplus',
  'softsign',
  'swish',
  'softmax',
];
export const DATASETS: readonly DatasetName[] = ['xor', 'circle', 'xor2d', 'gauss', 'spiral', 'random', 'mnist'];
export const LOSSES: readonly LossName[] = ['mse', 'binary_crossentropy', 'categorical_crossentropy'];
export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'] as const;
/**
 * The widest layer any link, file or flag may ask for: 8192² weights are 256 MiB, and a wider
 * network would only meet a device's limits (or minutes of building) after the page committed to it.
 */
export const MAX_UNITS = 8192;

/** Momentum and decay rates: [0, 1). */
const UNIT = { min: 0, max: 1, maxOpen: true };

/** Keras' default negative slope of keras.activations.leaky_relu, and elu's alpha. */
const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leaky_relu: 0.2, elu: 1 };

/** `"relu"`, or `{"name": "leaky_relu", "alpha": 0.1}`. */
export function parseActivation(v: unknown, path: string): Activation {
  if (typeof v === 'string') {
    const name = oneOf(v, path, ACTIVATIONS);
    return { name, alpha: DEFAULT_ALPHA[name] ?? 0 };
  }
  if (isObj(v)) {
    knownKeys(v, path, ['name', 'alpha']);
    const name = oneOf(v.name, `${path}.name`, ACTIVATIONS);
    if (v.alpha !== undefined && DEFAULT_ALPHA[name] === undefined) {
      throw new ConfigError(`${path}.alpha`, `is only allowed for leaky_relu and elu, not ${name}`);
    }
    const alpha = v.alpha === undefined ? (DEFAULT_ALPHA[name] ?? 0) : num(v.alpha, `${path}.alpha`, { min: 0 });
    return { name, alpha };
  }
  throw new ConfigError(path, `must be one of ${ACTIVATIONS.join(', ')}, got ${show(v)}`);
}

/** A run config's `dataset` (also the trainable-depth experiment's), every default filled. */
export function parseDataset(v: unknown, p = 'dataset'): DatasetConfig {
  const d = typeof v === 'string' ? { name: v } : obj(v, p);
  knownKeys(d, p, ['name', 'samples', 'noise', 'dim', 'classes', 'test_fraction']);
  const name = oneOf(d.name, `${p}.name`, DATASETS);
  const defaultSamples = name === 'mnist' ? 10000 : name === 'xor' ? 4 : 500;
  return {
    name,
    samples:
      d.samples === undefined
        ? defaultSamples
        : int(d.samples, `${p}.samples`, name === 'xor' ? 4 : 1, name === 'mnist' ? 10000 : 10_000_000),
    noise: d.noise === undefined ? 0 : num(d.noise, `${p}.noise`, { min: 0, max: 0.5 }),
    dim: d.dim === undefined ? 16 : int(d.dim, `${p}.dim`, 1),
    classes: d.classes === undefined ? 2 : int(d.classes, `${p}.classes`, 2, 1000),
    test_fraction: d.test_fraction === undefined ? 0 : num(d.test_fraction, `${p}.test_fraction`, { min: 0, max: 0.9 }),
  };
}

function parseLayer(v: unknown, i: number, last: boolean): LayerConfig {
  const p = `layers[${i}]`;
  const l = obj(v, p);
  knownKeys(l, p, ['units', 'activation', 'kernel_initializer', 'bias_initializer']);
  const units = int(l.units, `${p}.units`, 1, MAX_UNITS);
  // Keras Dense defaults to a linear activation.
  const activation =
    l.activation === undefined
      ? { name: 'linear' as const, alpha: 0 }
      : parseActivation(l.activation, `${p}.activation`);
  if (activation.name === 'softmax' && !last) {
    throw new ConfigError(`${p}.activation`, 'softmax is only allowed on the output layer');
  }
  return {
    units,
    activation,
    kernel_initializer: parseInitializer(l.kernel_initializer ?? 'glorot_uniform', `${p}.kernel_initializer`),
    bias_initializer: parseInitializer(l.bias_initializer ?? 'zeros', `${p}.bias_initializer`),
  };
}

function parseOptimizer(v: unknown): OptimizerConfig {
  const p = 'optimizer';
  const o = typeof v === 'string' ? { name: v } : obj(v, p);
  const name = oneOf(o.name, `${p}.name`, OPTIMIZERS);
  const lr = (dflt: number) => (o.learning_rate === undefined ? dflt : positive(o.learning_rate, `${p}.learning_rate`));
  const eps = () => (o.epsilon === undefined ? 1e-7 : positive(o.epsilon, `${p}.epsilon`));
  switch (name) {
    case 'sgd':
      knownKeys(o, p, ['name', 'learning_rate', 'momentum', 'nesterov']);
      return {
        name,
        learning_rate: lr(0.01),
        momentum: o.momentum === undefined ? 0 : num(o.momentum, `${p}.momentum`, UNIT),
        nesterov: o.nesterov === undefined ? false : bool(o.nesterov, `${p}.nesterov`),
      };
    case 'adam':
      knownKeys(o, p, ['name', 'learning_rate', 'beta_1', 'beta_2', 'epsilon']);
      return {
        name,
        learning_rate: lr(0.001),
        beta_1: o.beta_1 === undefined ? 0.9 : num(o.beta_1, `${p}.beta_1`, UNIT),
        beta_2: o.beta_2 === undefined ? 0.999 : num(o.beta_2, `${p}.beta_2`, UNIT),
        epsilon: eps(),
      };
    case 'rmsprop':
      knownKeys(o, p, ['name', 'learning_rate', 'rho', 'epsilon']);
      return {
        name,
        learning_rate: lr(0.001),
        rho: o.rho === undefined ? 0.9 : num(o.rho, `${p}.rho`, UNIT),
        epsilon: eps(),
      };
  }
}

/** Parses and validates a run document. Throws ConfigError on the first problem found. */
export function parseConfig(doc: unknown): RunConfig {
  const c = obj(doc, 'config');
  knownKeys(c, '', ['seed', 'dataset', 'layers', 'loss', 'optimizer', 'batch_size', 'epochs', 'log_every']);
  const seed = c.seed === undefined ? 1 : int(c.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  if (c.dataset === undefined)
    throw new ConfigError('dataset', `is required, e.g. {"name": "xor"}; names: ${DATASETS.join(', ')}`);
  const dataset = parseDataset(c.dataset);
  if (!Array.isArray(c.layers) || c.layers.length === 0) {
    throw new ConfigError(
      'layers',
      `must be a non-empty array of layers like {"units": 8, "activation": "relu"}, got ${show(c.layers)}`,
    );
  }
  const layers = c.layers.map((l, i, a) => parseLayer(l, i, i === a.length - 1));
  const loss = c.loss === undefined ? 'mse' : oneOf(c.loss, 'loss', LOSSES);
  const optimizer = parseOptimizer(c.optimizer ?? 'sgd');
  const batch_size = c.batch_size === undefined ? 32 : int(c.batch_size, 'batch_size', 1);
  const epochs = c.epochs === undefined ? 1 : int(c.epochs, 'epochs', 0);
  const log_every = c.log_every === undefined ? 1 : int(c.log_every, 'log_every', 1);
  const cfg: RunConfig = { seed, dataset, layers, loss, optimizer, batch_size, epochs, log_every };
  checkCompatible(cfg);
  return cfg;
}

/** Number of classes a dataset config produces (known without generating it). */
export function datasetClasses(d: DatasetConfig): number {
  return d.name === 'mnist' ? 10 : d.name === 'random' ? d.classes : 2;
}

/** Input width of a dataset config. */
export function datasetInputDim(d: DatasetConfig): number {
  return d.name === 'mnist' ? 784 : d.name === 'random' ? d.dim : 2;
}

/** Cross-field rules: the output layer must fit the labels and the loss. */
function checkCompatible(cfg: RunConfig): void {
  const out = cfg.layers[cfg.layers.length - 1];
  const k = cfg.layers.length - 1;
  const classes = datasetClasses(cfg.dataset);
  if (!(out.units === classes || (out.units === 1 && classes === 2))) {
    const allowed = classes === 2 ? '1 (a single probability) or 2 (one-hot)' : String(classes);
    throw new ConfigError(
      `layers[${k}].units`,
      `must be ${allowed} for dataset ${cfg.dataset.name} with ${classes} classes, got ${out.units}`,
    );
  }
  if (cfg.loss === 'categorical_crossentropy' && (out.units < 2 || out.activation.name !== 'softmax')) {
    throw new ConfigError(
      'loss',
      `categorical_crossentropy needs a softmax output layer of 2 or more units ` +
        `(layers[${k}] has ${out.units} ${out.activation.name}); use binary_crossentropy with one sigmoid unit`,
    );
  }
  if (cfg.dataset.name === 'xor' && cfg.dataset.test_fraction > 0) {
    throw new ConfigError(
      'dataset.test_fraction',
      `must be 0 for xor (it has only 4 points), got ${cfg.dataset.test_fraction}`,
    );
  }
}

/** The inverse of parseConfig: a JSON document in the schema's canonical (Keras-serialized) form. */
export function configToJSON(cfg: RunConfig): Obj {
  return {
    seed: cfg.seed,
    dataset: { ...cfg.dataset },
    layers: cfg.layers.map((l) => ({
      units: l.units,
      activation:
        DEFAULT_ALPHA[l.activation.name] !== undefined && l.activation.alpha !== DEFAULT_ALPHA[l.activation.name]
          ? { name: l.activation.name, alpha: l.activation.alpha }
          : l.activation.name,
      kernel_initializer: initializerToKeras(l.kernel_initializer),
      bias_initializer: initializerToKeras(l.bias_initializer),
    })),
    loss: cfg.loss,
    optimizer: { ...cfg.optimizer },
    batch_size: cfg.batch_size,
    epochs: cfg.epochs,
    log_every: cfg.log_every,
  };
}
