/**
 * @file The Keras JSON importer against the documents Keras 2 and Keras 3 actually write, and
 * the errors that point at the layer a user must change.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { ConfigError } from '../core/errors';
import { defaultConfig } from './defaults';
import { configWithModel, importKerasModel } from './keras-model';

/** What tf.keras 2.x writes for Sequential([Dense(2, 'sigmoid', input_shape=(2,)), Dense(1), Activation('sigmoid')]). */
const KERAS2 = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      {
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' },
      },
      {
        class_name: 'Dense',
        config: {
          name: 'dense',
          trainable: true,
          dtype: 'float32',
          batch_input_shape: [null, 2],
          units: 2,
          activation: 'sigmoid',
          use_bias: true,
          kernel_initializer: { class_name: 'RandomUniform', config: { minval: -1, maxval: 1, seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      {
        class_name: 'Dense',
        config: {
          name: 'dense_1',
          trainable: true,
          dtype: 'float32',
          units: 1,
          activation: 'linear',
          use_bias: true,
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      {
        class_name: 'Activation',
        config: { name: 'activation', trainable: true, dtype: 'float32', activation: 'sigmoid' },
      },
    ],
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
};

const k3init = (class_name: string, config: Record<string, unknown> = { seed: null }) => ({
  module: 'keras.initializers',
  class_name,
  config,
  registered_name: null,
});

/** What Keras 3 writes for Sequential([Input((28, 28)), Flatten(), Dense(64, 'relu', he_normal), LeakyReLU(0.1)?, Dense(10, 'softmax')]). */
const KERAS3 = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, 28, 28], dtype: 'float32', sparse: false, name: 'input_layer' },
        registered_name: null,
      },
      {
        module: 'keras.layers',
        class_name: 'Flatten',
        config: { name: 'flatten', trainable: true, data_format: 'channels_last' },
        registered_name: null,
        build_config: { input_shape: [null, 28, 28] },
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          name: 'dense',
          trainable: true,
          units: 64,
          activation: 'linear',
          use_bias: true,
          kernel_initializer: k3init('HeNormal'),
          bias_initializer: k3init('Zeros', {}),
          kernel_regularizer: null,
          bias_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
        registered_name: null,
        build_config: { input_shape: [null, 784] },
      },
      {
        module: 'keras.layers',
        class_name: 'LeakyReLU',
        config: { name: 'leaky_re_lu', trainable: true, negative_slope: 0.1 },
        registered_name: null,
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          name: 'dense_1',
          trainable: true,
          units: 64,
          activation: 'silu',
          use_bias: true,
          kernel_initializer: k3init('VarianceScaling', {
            scale: 2,
            mode: 'fan_avg',
            distribution: 'uniform',
            seed: null,
          }),
          bias_initializer: k3init('Constant', { value: 0.1 }),
        },
        registered_name: null,
        build_config: { input_shape: [null, 64] },
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          name: 'dense_2',
          trainable: true,
          units: 10,
          activation: 'softmax',
          use_bias: true,
          kernel_initializer: k3init('GlorotUniform'),
          bias_initializer: k3init('Zeros', {}),
        },
        registered_name: null,
        build_config: { input_shape: [null, 64] },
      },
    ],
    build_input_shape: [null, 28, 28],
  },
  registered_name: null,
  build_config: { input_shape: [null, 28, 28] },
};

describe('importKerasModel', () => {
  it('reads a Keras 2 model, folding the Activation layer into its Dense', () => {
    const m = importKerasModel(JSON.stringify(KERAS2));
    expect(m.inputDim).toBe(2);
    expect(m.layers.map((l) => [l.units, l.activation])).toEqual([
      [2, 'sigmoid'],
      [1, 'sigmoid'],
    ]);
    expect(m.layers[0].kernel_initializer).toEqual({
      class_name: 'RandomUniform',
      config: { minval: -1, maxval: 1, seed: null },
    });
    const cfg = parseConfig(configWithModel(defaultConfig(), m));
    expect(cfg.layers[0].kernel_initializer).toEqual({ name: 'random_uniform', minval: -1, maxval: 1 });
    expect(cfg.dataset.name).toBe('circle');
  });

  it('reads a Keras 3 model with Flatten, LeakyReLU, silu and parameterized initializers', () => {
    const m = importKerasModel(KERAS3);
    expect(m.inputDim).toBe(784);
    expect(m.layers.map((l) => [l.units, l.activation])).toEqual([
      [64, { name: 'leaky_relu', alpha: 0.1 }],
      [64, 'swish'],
      [10, 'softmax'],
    ]);
    const cfg = parseConfig(configWithModel(defaultConfig(), m));
    expect(cfg.dataset.name).toBe('mnist');
    expect(cfg.loss).toBe('categorical_crossentropy');
    expect(cfg.layers[0].kernel_initializer).toEqual({
      name: 'he_normal',
      scale: 2,
      mode: 'fan_in',
      distribution: 'truncated_normal',
    });
    expect(cfg.layers[1].kernel_initializer).toEqual({
      name: 'variance_scaling',
      scale: 2,
      mode: 'fan_avg',
      distribution: 'uniform',
    });
    expect(cfg.layers[1].bias_initializer).toEqual({ name: 'constant', value: 0.1 });
  });

  it('reads the old Keras 2 form whose config is the layer list, and picks a random set for odd widths', () => {
    const m = importKerasModel({
      class_name: 'Sequential',
      config: [
        { class_name: 'Dense', config: { units: 5, activation: 'tanh', batch_input_shape: [null, 7] } },
        { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
      ],
    });
    expect(m.inputDim).toBe(7);
    const cfg = parseConfig(configWithModel(defaultConfig(), m));
    expect(cfg.dataset).toMatchObject({ name: 'random', dim: 7, classes: 3 });
  });

  it('names the layer index and class of an unsupported layer', () => {
    const doc = structuredClone(KERAS3);
    doc.config.layers.splice(3, 0, {
      module: 'keras.layers',
      class_name: 'Dropout',
      config: { name: 'dropout', trainable: true, rate: 0.5 } as never,
      registered_name: null,
    });
    expect(() => importKerasModel(doc)).toThrow(ConfigError);
    expect(() => importKerasModel(doc)).toThrow(
      /^model\.layers\[3\] is a Dropout layer, which the playground cannot build; supported: InputLayer, Dense/,
    );
  });

  it('names an unsupported layer before reading the input shape it would need (a CNN)', () => {
    const cnn = {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 28, 28, 1] } },
          { class_name: 'Conv2D', config: { filters: 8, kernel_size: [3, 3] } },
          { class_name: 'Flatten', config: {} },
          { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
        ],
      },
    };
    expect(() => importKerasModel(cnn)).toThrow(
      /^model\.layers\[1\] is a Conv2D layer, which the playground cannot build/,
    );
  });

  it('names the layer of a bad activation, initializer or stacked activation', () => {
    const dense = (config: Record<string, unknown>) => ({ class_name: 'Dense', config: { units: 1, ...config } });
    const seq = (...layers: unknown[]) => ({ class_name: 'Sequential', config: { layers } });
    expect(() => importKerasModel(seq(dense({ activation: 'hard_sigmoid' })))).toThrow(
      /^model\.layers\[0\]\.config\.activation activation "hard_sigmoid" is not supported/,
    );
    expect(() => importKerasModel(seq(dense({}), dense({ kernel_initializer: { class_name: 'Nope' } })))).toThrow(
      /^model\.layers\[1\]\.config\.kernel_initializer\.class_name must be one of/,
    );
    expect(() =>
      importKerasModel(
        seq(dense({ activation: 'relu' }), { class_name: 'Activation', config: { activation: 'tanh' } }),
      ),
    ).toThrow(/^model\.layers\[1\] \(Activation\) follows a Dense whose activation is already "relu"/);
    expect(() => importKerasModel(seq(dense({ use_bias: false })))).toThrow(/^model\.layers\[0\]\.config\.use_bias/);
    expect(() => importKerasModel({ class_name: 'Functional', config: {} })).toThrow(
      'model.class_name must be "Sequential"',
    );
    expect(() => importKerasModel('{oops')).toThrow(/^model is not valid JSON/);
  });
});
