/**
 * @file parseConfig as the one gate for run documents: Keras' defaults are filled in, every
 * rejection names the field and what is allowed (the CLI prints these messages verbatim), and
 * configToJSON is its exact inverse, so exported and imported configs never drift.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, configToJSON, DATASETS, LOSSES, parseConfig } from '../src/core/config';
import { ConfigError } from '../src/core/errors';
import { INITIALIZER_NAMES } from '../src/core/initializers';

/** Message of the ConfigError `doc` raises (fails the test on success or another error type). */
function errorOf(doc: unknown): string {
  try {
    parseConfig(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(doc)}`);
}

const base = {
  dataset: 'xor',
  layers: [
    { units: 4, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
};
const withLayer0 = (l: Record<string, unknown>) => ({ ...base, layers: [{ units: 4, ...l }, { units: 1 }] });
const withOpt = (o: unknown) => ({ ...base, optimizer: o });
const withData = (d: unknown) => ({ ...base, dataset: d });

describe('defaults (Keras)', () => {
  it('fills a Dense layer like keras.layers.Dense', () => {
    const cfg = parseConfig({ dataset: 'xor', layers: [{ units: 1 }] });
    expect(cfg.layers[0]).toEqual({
      units: 1,
      activation: { name: 'linear', alpha: 0 },
      kernel_initializer: { name: 'glorot_uniform', scale: 1, mode: 'fan_avg', distribution: 'uniform' },
      bias_initializer: { name: 'zeros' },
    });
  });

  it('fills the run fields like Model.fit', () => {
    const cfg = parseConfig({ dataset: 'xor', layers: [{ units: 1 }] });
    expect(cfg).toMatchObject({ seed: 1, loss: 'mse', batch_size: 32, epochs: 1, log_every: 1 });
    expect(cfg.dataset).toEqual({ name: 'xor', samples: 4, noise: 0, dim: 16, classes: 2, test_fraction: 0 });
  });

  it('fills the optimizers', () => {
    expect(parseConfig(base).optimizer).toEqual({ name: 'sgd', learning_rate: 0.01, momentum: 0, nesterov: false });
    expect(parseConfig(withOpt('sgd')).optimizer).toEqual({
      name: 'sgd',
      learning_rate: 0.01,
      momentum: 0,
      nesterov: false,
    });
    expect(parseConfig(withOpt('adam')).optimizer).toEqual({
      name: 'adam',
      learning_rate: 0.001,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
    });
    expect(parseConfig(withOpt({ name: 'rmsprop' })).optimizer).toEqual({
      name: 'rmsprop',
      learning_rate: 0.001,
      rho: 0.9,
      epsilon: 1e-7,
    });
  });

  it('gives leaky_relu and elu their Keras alphas', () => {
    expect(parseConfig(withLayer0({ activation: 'leaky_relu' })).layers[0].activation).toEqual({
      name: 'leaky_relu',
      alpha: 0.2,
    });
    expect(parseConfig(withLayer0({ activation: 'elu' })).layers[0].activation).toEqual({ name: 'elu', alpha: 1 });
    expect(parseConfig(withLayer0({ activation: { name: 'leaky_relu', alpha: 0.01 } })).layers[0].activation).toEqual({
      name: 'leaky_relu',
      alpha: 0.01,
    });
  });

  it('accepts epochs 0 (initialization only)', () => {
    expect(parseConfig({ ...base, epochs: 0 }).epochs).toBe(0);
  });

  it('fills the dataset defaults per set', () => {
    expect(parseConfig({ dataset: 'spiral', layers: [{ units: 1 }] }).dataset.samples).toBe(500);
    expect(parseConfig({ dataset: 'mnist', layers: [{ units: 10, activation: 'softmax' }] }).dataset.samples).toBe(
      10000,
    );
  });
});

describe('errors name the field and what is allowed', () => {
  const cases: [string, unknown, string | RegExp][] = [
    ['not an object', [1], 'config must be an object, got [1]'],
    [
      'unknown top-level field',
      { ...base, epoch: 3 },
      'epoch is not a known field; allowed: seed, dataset, layers, loss, optimizer, batch_size, epochs, log_every',
    ],
    ['negative seed', { ...base, seed: -1 }, 'seed must be a non-negative integer, got -1'],
    ['fractional seed', { ...base, seed: 1.5 }, 'seed must be a non-negative integer, got 1.5'],
    [
      'missing dataset',
      { layers: base.layers },
      `dataset is required, e.g. {"name": "xor"}; names: ${DATASETS.join(', ')}`,
    ],
    ['dataset not an object', withData(3), 'dataset must be an object, got 3'],
    ['unknown dataset', withData('moons'), `dataset.name must be one of ${DATASETS.join(', ')}, got "moons"`],
    [
      'unknown dataset field',
      withData({ name: 'xor', size: 4 }),
      'dataset.size is not a known field; allowed: name, samples, noise, dim, classes, test_fraction',
    ],
    [
      'xor samples',
      withData({ name: 'xor', samples: 2 }),
      'dataset.samples must be an integer from 4 to 10000000, got 2',
    ],
    [
      'mnist samples',
      { dataset: { name: 'mnist', samples: 20000 }, layers: [{ units: 10, activation: 'softmax' }] },
      'dataset.samples must be an integer from 1 to 10000, got 20000',
    ],
    ['noise', withData({ name: 'circle', noise: 0.7 }), 'dataset.noise must be a number from 0 to 0.5, got 0.7'],
    [
      'dim',
      { dataset: { name: 'random', dim: 0 }, layers: [{ units: 1 }] },
      'dataset.dim must be a positive integer, got 0',
    ],
    [
      'classes',
      { dataset: { name: 'random', classes: 1 }, layers: [{ units: 1 }] },
      'dataset.classes must be an integer from 2 to 1000, got 1',
    ],
    [
      'test_fraction',
      withData({ name: 'circle', test_fraction: 0.95 }),
      'dataset.test_fraction must be a number from 0 to 0.9, got 0.95',
    ],
    [
      'xor test_fraction',
      withData({ name: 'xor', test_fraction: 0.5 }),
      'dataset.test_fraction must be 0 for xor (it has only 4 points), got 0.5',
    ],
    [
      'no layers',
      { dataset: 'xor', layers: [] },
      /^layers must be a non-empty array of layers like \{"units": 8, "activation": "relu"\}, got \[\]$/,
    ],
    ['layer not an object', { dataset: 'xor', layers: [4, { units: 1 }] }, 'layers[0] must be an object, got 4'],
    [
      'unknown layer field',
      withLayer0({ use_bias: false }),
      'layers[0].use_bias is not a known field; allowed: units, activation, kernel_initializer, bias_initializer',
    ],
    [
      'negative units',
      { dataset: 'xor', layers: [{ units: 4 }, { units: -3 }] },
      'layers[1].units must be an integer from 1 to 8192, got -3',
    ],
    [
      'missing units',
      { dataset: 'xor', layers: [{}, { units: 1 }] },
      'layers[0].units must be an integer from 1 to 8192, got nothing',
    ],
    [
      'too many units (a wider layer would only meet the device after minutes of building)',
      { dataset: 'xor', layers: [{ units: 8193 }, { units: 1 }] },
      'layers[0].units must be an integer from 1 to 8192, got 8193',
    ],
    [
      'unknown activation',
      withLayer0({ activation: 'relux' }),
      `layers[0].activation must be one of ${ACTIVATIONS.join(', ')}, got "relux"`,
    ],
    [
      'activation of a wrong type',
      withLayer0({ activation: 3 }),
      `layers[0].activation must be one of ${ACTIVATIONS.join(', ')}, got 3`,
    ],
    [
      'unknown activation object name',
      withLayer0({ activation: { name: 'prelu' } }),
      `layers[0].activation.name must be one of ${ACTIVATIONS.join(', ')}, got "prelu"`,
    ],
    [
      'unknown activation field',
      withLayer0({ activation: { name: 'elu', beta: 1 } }),
      'layers[0].activation.beta is not a known field; allowed: name, alpha',
    ],
    [
      'alpha on relu',
      withLayer0({ activation: { name: 'relu', alpha: 0.1 } }),
      'layers[0].activation.alpha is only allowed for leaky_relu and elu, not relu',
    ],
    [
      'negative alpha',
      withLayer0({ activation: { name: 'leaky_relu', alpha: -1 } }),
      'layers[0].activation.alpha must be a number >= 0, got -1',
    ],
    [
      'hidden softmax',
      withLayer0({ activation: 'softmax' }),
      'layers[0].activation softmax is only allowed on the output layer',
    ],
    [
      'unknown kernel initializer',
      withLayer0({ kernel_initializer: 'glorot' }),
      `layers[0].kernel_initializer must be one of ${INITIALIZER_NAMES.join(', ')}, got "glorot"`,
    ],
    [
      'unknown bias initializer class',
      withLayer0({ bias_initializer: { class_name: 'Twos' } }),
      `layers[0].bias_initializer.class_name must be one of ${INITIALIZER_NAMES.join(', ')}, got "Twos"`,
    ],
    [
      'bad initializer parameter',
      withLayer0({ kernel_initializer: { class_name: 'RandomNormal', config: { stddev: -1 } } }),
      'layers[0].kernel_initializer.config.stddev must be a positive number, got -1',
    ],
    ['unknown loss', { ...base, loss: 'hinge' }, `loss must be one of ${LOSSES.join(', ')}, got "hinge"`],
    ['optimizer not an object', withOpt(0.1), 'optimizer must be an object, got 0.1'],
    ['unknown optimizer', withOpt('adagrad'), 'optimizer.name must be one of sgd, adam, rmsprop, got "adagrad"'],
    [
      'optimizer without a name',
      withOpt({ learning_rate: 0.1 }),
      'optimizer.name must be one of sgd, adam, rmsprop, got nothing',
    ],
    [
      'zero learning rate',
      withOpt({ name: 'sgd', learning_rate: 0 }),
      'optimizer.learning_rate must be a positive number, got 0',
    ],
    ['momentum of 1', withOpt({ name: 'sgd', momentum: 1 }), 'optimizer.momentum must be a number >= 0 and < 1, got 1'],
    [
      'nesterov not boolean',
      withOpt({ name: 'sgd', nesterov: 'yes' }),
      'optimizer.nesterov must be true or false, got "yes"',
    ],
    [
      'sgd with adam fields',
      withOpt({ name: 'sgd', beta_1: 0.9 }),
      'optimizer.beta_1 is not a known field; allowed: name, learning_rate, momentum, nesterov',
    ],
    ['beta_1', withOpt({ name: 'adam', beta_1: 1.5 }), 'optimizer.beta_1 must be a number >= 0 and < 1, got 1.5'],
    ['beta_2', withOpt({ name: 'adam', beta_2: -0.1 }), 'optimizer.beta_2 must be a number >= 0 and < 1, got -0.1'],
    ['epsilon', withOpt({ name: 'adam', epsilon: 0 }), 'optimizer.epsilon must be a positive number, got 0'],
    [
      'adam with rmsprop fields',
      withOpt({ name: 'adam', rho: 0.9 }),
      'optimizer.rho is not a known field; allowed: name, learning_rate, beta_1, beta_2, epsilon',
    ],
    ['rho', withOpt({ name: 'rmsprop', rho: 1 }), 'optimizer.rho must be a number >= 0 and < 1, got 1'],
    [
      'rmsprop epsilon',
      withOpt({ name: 'rmsprop', epsilon: 'small' }),
      'optimizer.epsilon must be a positive number, got "small"',
    ],
    ['batch_size', { ...base, batch_size: 0 }, 'batch_size must be a positive integer, got 0'],
    ['epochs', { ...base, epochs: -1 }, 'epochs must be a non-negative integer, got -1'],
    ['log_every', { ...base, log_every: 0 }, 'log_every must be a positive integer, got 0'],
    [
      'output units for a binary set',
      { dataset: 'xor', layers: [{ units: 3 }] },
      'layers[0].units must be 1 (a single probability) or 2 (one-hot) for dataset xor with 2 classes, got 3',
    ],
    [
      'output units for mnist',
      { dataset: 'mnist', layers: [{ units: 32 }, { units: 9, activation: 'softmax' }] },
      'layers[1].units must be 10 for dataset mnist with 10 classes, got 9',
    ],
    [
      'categorical_crossentropy without softmax',
      { ...base, loss: 'categorical_crossentropy' },
      /^loss categorical_crossentropy needs a softmax output layer of 2 or more units \(layers\[1\] has 1 sigmoid\)/,
    ],
  ];
  for (const [name, doc, message] of cases) {
    it(name, () => {
      const got = errorOf(doc);
      if (typeof message === 'string') expect(got).toBe(message);
      else expect(got).toMatch(message);
      expect(got).not.toContain('\n');
    });
  }
});

describe('configToJSON is the inverse of parseConfig', () => {
  const docs: Record<string, unknown> = {
    minimal: { dataset: 'xor', layers: [{ units: 1 }] },
    'every optimizer field': {
      seed: 7,
      dataset: { name: 'spiral', samples: 300, noise: 0.2, test_fraction: 0.25 },
      layers: [
        { units: 16, activation: { name: 'leaky_relu', alpha: 0.05 } },
        { units: 8, activation: 'elu' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true },
      batch_size: 16,
      epochs: 0,
      log_every: 10,
    },
    'adam on random': {
      dataset: { name: 'random', samples: 64, dim: 5, classes: 3 },
      layers: [
        { units: 8, activation: 'gelu' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
      optimizer: { name: 'adam', learning_rate: 0.01, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6 },
    },
    'Keras-serialized initializers': {
      dataset: 'gauss',
      optimizer: { name: 'rmsprop', rho: 0.95 },
      layers: [
        {
          units: 8,
          activation: 'tanh',
          kernel_initializer: {
            module: 'keras.initializers',
            class_name: 'RandomNormal',
            config: { mean: 0.1, stddev: 0.5, seed: null },
            registered_name: null,
          },
          bias_initializer: { class_name: 'Constant', config: { value: 0.1 } },
        },
        {
          units: 8,
          activation: 'relu',
          kernel_initializer: {
            class_name: 'VarianceScaling',
            config: { scale: 2, mode: 'fan_out', distribution: 'normal', seed: 3 },
          },
          bias_initializer: { name: 'random_uniform', minval: 0, maxval: 0.2 },
        },
        {
          units: 8,
          activation: 'selu',
          kernel_initializer: { class_name: 'OrthogonalInitializer', config: { gain: 1.5, seed: null } },
          bias_initializer: 'Ones',
        },
        {
          units: 8,
          activation: 'softsign',
          kernel_initializer: { class_name: 'Identity', config: { gain: 2 } },
          bias_initializer: { class_name: 'TruncatedNormal', config: { stddev: 0.01 } },
        },
        { units: 2, activation: 'softmax', kernel_initializer: 'HeNormal', bias_initializer: 'lecun_uniform' },
      ],
    },
  };
  for (const [name, doc] of Object.entries(docs)) {
    it(name, () => {
      const cfg = parseConfig(doc);
      const json = configToJSON(cfg);
      expect(parseConfig(json)).toEqual(cfg);
      // Survives serialization to text, as in an exported file or a weights file.
      expect(parseConfig(JSON.parse(JSON.stringify(json)))).toEqual(cfg);
      expect(configToJSON(parseConfig(json))).toEqual(json);
    });
  }

  it('writes initializers in Keras form', () => {
    const json = configToJSON(parseConfig(docs['Keras-serialized initializers'])) as {
      layers: Record<string, unknown>[];
    };
    expect(json.layers[0].kernel_initializer).toEqual({
      class_name: 'RandomNormal',
      config: { mean: 0.1, stddev: 0.5, seed: null },
    });
    expect(json.layers[1].kernel_initializer).toEqual({
      class_name: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_out', distribution: 'truncated_normal', seed: null },
    });
    expect(json.layers[4].kernel_initializer).toEqual({ class_name: 'HeNormal', config: { seed: null } });
  });
});
