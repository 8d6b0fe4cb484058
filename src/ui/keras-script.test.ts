/**
 * @file The Keras script export: key lines for the model, compile and fit, every dataset's
 * generator, and (when python3 with numpy is on the machine) that the data part runs.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DATASETS, parseConfig } from '../core/config';
import type { DatasetName } from '../core/types';
import { kerasScript, py } from './keras-script';

const xor = parseConfig({
  seed: 3,
  dataset: { name: 'xor' },
  layers: [
    { units: 2, activation: 'sigmoid', kernel_initializer: { class_name: 'RandomNormal', config: { stddev: 0.5 } } },
    { units: 1, activation: 'sigmoid', bias_initializer: { name: 'constant', value: 0.1 } },
  ],
  loss: 'mse',
  optimizer: { name: 'sgd', learning_rate: 2 },
  batch_size: 4,
  epochs: 2000,
});

describe('kerasScript', () => {
  const s = kerasScript(xor, { title: 'XOR' });
  it('builds the same Sequential model with the same initializers', () => {
    expect(s).toContain('    keras.Input(shape=(2,)),');
    expect(s).toContain(
      '    layers.Dense(2, activation="sigmoid",\n                 kernel_initializer=keras.initializers.RandomNormal(mean=0, stddev=0.5),\n                 bias_initializer=keras.initializers.Zeros()),',
    );
    expect(s).toContain('kernel_initializer=keras.initializers.GlorotUniform()');
    expect(s).toContain('bias_initializer=keras.initializers.Constant(value=0.1)');
  });
  it('compiles and fits with the same loss, optimizer, batch size and epochs', () => {
    expect(s).toContain('    loss="mean_squared_error",');
    expect(s).toContain('    optimizer=keras.optimizers.SGD(learning_rate=2, momentum=0, nesterov=False),');
    expect(s).toContain('    batch_size=4,');
    expect(s).toContain('    epochs=2000,');
    expect(s).toContain('x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")');
    expect(s).toContain('SEED = 3');
    expect(s.split('\n')[0]).toBe('# XOR — exported from the WebGPU MLP Playground.');
  });
  it('writes a separate layer for a non-default leaky_relu slope, adam, softmax targets and MNIST', () => {
    const m = kerasScript(
      parseConfig({
        dataset: { name: 'mnist', samples: 2000, test_fraction: 0.1 },
        layers: [
          { units: 32, activation: { name: 'leaky_relu', alpha: 0.1 }, kernel_initializer: 'he_uniform' },
          { units: 10, activation: 'softmax' },
        ],
        loss: 'categorical_crossentropy',
        optimizer: { name: 'adam', learning_rate: 0.001 },
        batch_size: 64,
        epochs: 3,
      }),
    );
    expect(m).toContain('    layers.LeakyReLU(negative_slope=0.1),');
    expect(m).toContain('layers.Dense(32, activation="linear",');
    expect(m).toContain('keras.initializers.HeUniform()');
    expect(m).toContain(
      'optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),',
    );
    expect(m).toContain('(x, y), _ = keras.datasets.mnist.load_data()');
    expect(m).toContain('y_train = keras.utils.to_categorical(y_train, 10)');
    expect(m).toContain('    validation_data=(x_test, y_test),');
  });
  it('loads a CSV file by name', () => {
    expect(kerasScript(xor, { csvFile: 'mine.csv', csvHeader: true })).toContain(
      'data = np.loadtxt("mine.csv", delimiter=",", skiprows=1, dtype="float64")',
    );
  });
  it('writes Python literals', () => {
    expect(py({ a: [1, true, null, 'x'] })).toBe('{"a": [1, True, None, "x"]}');
  });
});

/** The data part of each script, run for real where python3 and numpy exist (skipped otherwise). */
function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasNumpy())('generated data code runs under numpy', () => {
  it.each(DATASETS.filter((d) => d !== 'mnist'))('%s', (name) => {
    const cfg = parseConfig({
      dataset: {
        name: name as DatasetName,
        ...(name === 'xor' ? {} : { samples: 101, noise: 0.1, test_fraction: 0.2 }),
      },
      layers: [
        { units: 3, activation: 'relu' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
    });
    const script = kerasScript(cfg);
    const data = script
      .slice(0, script.indexOf('\nmodel = keras.Sequential'))
      .replace('import keras\nfrom keras import layers\n', '')
      .replace('keras.utils.set_random_seed(SEED)\n', '');
    const out = execFileSync('python3', [
      '-c',
      `${data}\nprint(x_train.shape[0], x_train.shape[1], y_train.shape[1], int(y.min()), int(y.max()))`,
    ])
      .toString()
      .trim();
    const [rows, dim, cols, lo, hi] = out.split(' ').map(Number);
    expect(rows).toBe(name === 'xor' ? 4 : 81);
    expect([dim, cols, lo]).toEqual([name === 'random' ? 16 : 2, 1, 0]);
    expect(hi).toBe(1);
  });
});
