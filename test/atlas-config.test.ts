/**
 * @file The atlas config: defaults filled in, and every bad document rejected with a
 * ConfigError that names the field (the message a CLI user sees after `error:`).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LIMITS, networkCount, parseAtlasConfig } from '../src/atlas/config';
import { ATLAS_PRESETS } from '../src/atlas/presets';
import { ConfigError } from '../src/core/errors';

const XOR = {
  dataset: 'xor',
  layers: [
    { units: 2, activation: 'sigmoid' },
    { units: 1, activation: 'sigmoid' },
  ],
  optimizer: { name: 'sgd', learning_rate: 1 },
};
const basin = {
  ...XOR,
  mode: 'basin',
  axes: [
    { layer: 0, row: 0, col: 0 },
    { layer: 0, row: 1, col: 0 },
  ],
};

function rejects(doc: unknown, path: string, text: RegExp): void {
  let err: unknown;
  try {
    parseAtlasConfig(doc);
  } catch (e) {
    err = e;
  }
  expect(err, `expected a ConfigError at ${path}`).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).path).toBe(path);
  expect((err as ConfigError).message).toMatch(text);
}

describe('atlas config', () => {
  it("fills defaults: basin over [-10, 10] at 128, loss below 0.01, 1000 epochs, layers' initializers for the others", () => {
    const c = parseAtlasConfig(basin);
    expect(c.epochs).toBe(1000);
    expect(c.criterion).toEqual({ kind: 'loss_below', value: 0.01 });
    expect(c.loss).toBe('mse');
    expect(c.optimizer).toEqual({ name: 'sgd', learning_rate: 1, momentum: 0, nesterov: false });
    expect(c.mode).toMatchObject({
      mode: 'basin',
      resolution: 128,
      others: { kind: 'draw', init: { kernel: null, bias: null, scale: 1 } },
    });
    expect(c.mode.mode === 'basin' && c.mode.axes[1]).toEqual({ layer: 0, row: 1, col: 0, range: [-10, 10] });
    expect(c.som).toBeNull();
  });

  it('reads every mode, criterion form, a bias axis, per-axis ranges, fixed others and the SOM section', () => {
    const b = parseAtlasConfig({
      ...basin,
      axes: [
        { layer: 1, bias: 0, range: [-2, 2] },
        { layer: 0, row: 0, col: 1 },
      ],
      range: [-5, 5],
      others: { fixed: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
      criterion: 'all_correct',
      resolution: 16,
    });
    expect(b.mode.mode === 'basin' && b.mode.axes.map((a) => a.range)).toEqual([
      [-2, 2],
      [-5, 5],
    ]);
    expect(b.mode.mode === 'basin' && b.mode.others).toEqual({ kind: 'fixed', values: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
    expect(b.criterion).toEqual({ kind: 'all_correct' });
    const t = parseAtlasConfig({
      ...XOR,
      mode: 'initializers',
      initializers: ['he_normal', { name: 'random_normal', stddev: 1 }],
      scales: [0.5, 2],
      seeds: 10,
    });
    expect(networkCount(t.mode)).toBe(2 * 2 * 10);
    const dflt = parseAtlasConfig({ ...XOR, mode: 'initializers' });
    expect(dflt.mode.mode === 'initializers' && dflt.mode.initializers.length).toBe(9);
    const p = parseAtlasConfig({
      ...XOR,
      mode: 'population',
      size: 100,
      init: { kernel: 'he_uniform', scale: 2 },
      som: { rows: 4, cols: 6 },
    });
    expect(p.mode).toMatchObject({
      mode: 'population',
      size: 100,
      init: { kernel: { name: 'he_uniform' }, bias: null, scale: 2 },
    });
    expect(p.som).toEqual({ rows: 4, cols: 6, iterations: 30, sigma_start: 3, sigma_end: 0.5 });
    const circle = parseAtlasConfig({
      ...XOR,
      dataset: { name: 'circle', samples: 200, noise: 0.1 },
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', momentum: 0.9 },
      mode: 'population',
    });
    expect(circle.dataset.samples).toBe(200);
  });

  it.each([
    [{ ...basin, mode: 'grid' }, 'mode', /must be one of basin, initializers, population, got "grid"/],
    [{ ...XOR }, 'mode', /must be one of basin, initializers, population, got nothing/],
    [{ ...basin, size: 10 }, 'size', /only allowed with mode population/],
    [{ ...basin, colour: 'red' }, 'colour', /is not a known field; allowed: .*axes/],
    [
      { ...basin, dataset: 'mnist' },
      'dataset',
      /must be one of xor, circle, xor2d, gauss, spiral for an atlas, got "mnist"/,
    ],
    [{ ...basin, dataset: { name: 'circle', samples: 5000 } }, 'dataset.samples', /at most 1024/],
    [{ ...basin, dataset: { name: 'circle', test_fraction: 0.2 } }, 'dataset.test_fraction', /must be 0 for an atlas/],
    [{ ...basin, optimizer: { name: 'adam' } }, 'optimizer.name', /must be sgd for an atlas/],
    [{ ...basin, optimizer: { name: 'sgd', momentum: 1.5 } }, 'optimizer.momentum', /must be a number >= 0 and < 1/],
    [{ ...basin, loss: 'categorical_crossentropy' }, 'loss', /must be one of mse, binary_crossentropy for an atlas/],
    [
      {
        ...basin,
        loss: 'binary_crossentropy',
        layers: [
          { units: 2, activation: 'tanh' },
          { units: 1, activation: 'tanh' },
        ],
      },
      'loss',
      /needs a sigmoid output/,
    ],
    [
      {
        ...basin,
        layers: [
          { units: 2, activation: 'sigmoid' },
          { units: 2, activation: 'softmax' },
        ],
      },
      'layers[1].units',
      /must be 1 for an atlas/,
    ],
    [{ ...basin, layers: [{ units: 0 }, { units: 1 }] }, 'layers[0].units', /must be an integer from 1 to 8192, got 0/],
    [
      { ...basin, layers: [{ units: 2, activation: 'swoosh' }, { units: 1 }] },
      'layers[0].activation',
      /must be one of linear, sigmoid/,
    ],
    [{ ...basin, layers: [{ units: 40 }, { units: 40 }, { units: 1 }] }, 'layers', /at most 512/],
    [{ ...basin, epochs: 0 }, 'epochs', /must be an integer from 1 to 100000, got 0/],
    [{ ...basin, criterion: { loss_below: -1 } }, 'criterion.loss_below', /positive number/],
    [{ ...basin, criterion: 'converged' }, 'criterion', /"all_correct" or \{"loss_below": 0.01\}/],
    [{ ...basin, axes: [{ layer: 0, row: 0, col: 0 }] }, 'axes', /must be two weights/],
    [
      {
        ...basin,
        axes: [
          { layer: 0, row: 0, col: 0 },
          { layer: 2, row: 0, col: 0 },
        ],
      },
      'axes[1].layer',
      /from 0 to 1, got 2/,
    ],
    [
      {
        ...basin,
        axes: [
          { layer: 0, row: 2, col: 0 },
          { layer: 0, row: 1, col: 0 },
        ],
      },
      'axes[0].row',
      /from 0 to 1, got 2/,
    ],
    [
      {
        ...basin,
        axes: [
          { layer: 1, bias: 1 },
          { layer: 0, row: 1, col: 0 },
        ],
      },
      'axes[0].bias',
      /from 0 to 0, got 1/,
    ],
    [
      {
        ...basin,
        axes: [
          { layer: 0, row: 1, col: 0 },
          { layer: 0, row: 1, col: 0 },
        ],
      },
      'axes[1]',
      /different weight/,
    ],
    [
      {
        ...basin,
        axes: [
          { layer: 0, row: 0, col: 0, unit: 1 },
          { layer: 0, row: 1, col: 0 },
        ],
      },
      'axes[0].unit',
      /not a known field/,
    ],
    [{ ...basin, range: [5, -5] }, 'range', /low < high/],
    [{ ...basin, resolution: 1024 }, 'resolution', /from 2 to 512/],
    [{ ...basin, others: { fixed: [1, 2] } }, 'others.fixed', /must be 9 numbers/],
    [{ ...basin, others: 'glorot_unifrom' }, 'others', /must be one of zeros, ones/],
    [{ ...basin, others: { kernel: 'he_normal', bias: 'orthogonal' } }, 'others.bias', /orthogonal needs a 2-D kernel/],
    [{ ...XOR, mode: 'initializers', initializers: [] }, 'initializers', /non-empty array/],
    [{ ...XOR, mode: 'initializers', initializers: ['he_normal', 'nope'] }, 'initializers[1]', /must be one of zeros/],
    [{ ...XOR, mode: 'initializers', scales: [1, 0] }, 'scales[1]', /positive number/],
    [{ ...XOR, mode: 'initializers', seeds: 100000 }, 'seeds', /from 1 to 65536/],
    [{ ...XOR, mode: 'population', size: 0 }, 'size', /from 1 to 1048576/],
    [
      { ...XOR, mode: 'population', size: 1 << 20, layers: [{ units: 8 }, { units: 1, activation: 'sigmoid' }] },
      'size',
      /at most 1048576 networks and 33554432 floats of training state/,
    ],
    [
      {
        ...XOR,
        mode: 'population',
        size: (1 << 21) >> 1,
        optimizer: { name: 'sgd', momentum: 0.9 },
        layers: [{ units: 4 }, { units: 1, activation: 'sigmoid' }],
      },
      'size',
      /17 parameters \(and as many velocities\)/,
    ],
    [{ ...XOR, mode: 'population', init: { kernel: 'he_normal', scale: -1 } }, 'init.scale', /positive number/],
    [{ ...XOR, mode: 'population', som: { rows: 1 } }, 'som.rows', /from 2 to 64/],
    [
      { ...XOR, mode: 'population', som: { sigma_start: 1, sigma_end: 2 } },
      'som.sigma_end',
      /must not exceed sigma_start/,
    ],
    [{ ...XOR, mode: 'population', som: { size: 3 } }, 'som.size', /not a known field/],
    [{ ...XOR, mode: 'population', seed: Number.MAX_SAFE_INTEGER - 10, size: 100 }, 'seed', /below 2\^53/],
    ['basin', 'config', /must be an object/],
  ])('rejects %j at %s', (doc, path, text) => rejects(doc, path, text));

  it.each(ATLAS_PRESETS.map((p) => [p.id, p.config]))("accepts the view's preset %s", (_, doc) => {
    expect(() => parseAtlasConfig(doc)).not.toThrow();
  });

  it('accepts the example of src/atlas/README.md', async () => {
    const text = await readFile(new URL('../src/atlas/README.md', import.meta.url), 'utf8');
    const doc = JSON.parse(/```json\n([\s\S]*?)```/.exec(text)![1]);
    expect(parseAtlasConfig(doc).mode.mode).toBe('basin');
  });

  it('keeps the limits within one default WebGPU binding', () => {
    expect(LIMITS.floats * 4).toBeLessThanOrEqual(128 * 1024 * 1024);
  });
});
