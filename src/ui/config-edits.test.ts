/** @file The editor's edits keep configs valid where one change implies another. */
import { describe, expect, it } from 'vitest';
import { configToJSON, parseConfig } from '../core/config';
import {
  applyToAll,
  type Doc,
  insertLayer,
  removeLayer,
  setDataset,
  setDatasetField,
  setDepth,
  setLayerField,
  setWidth,
} from './config-edits';
import { defaultConfig } from './defaults';

const base = () => configToJSON(defaultConfig()) as Doc;

describe('config edits', () => {
  it('refits the output layer and loss when the dataset changes', () => {
    const m = parseConfig(setDataset(base(), 'mnist'));
    expect(m.layers[m.layers.length - 1]).toMatchObject({ units: 10, activation: { name: 'softmax' } });
    expect(m.loss).toBe('categorical_crossentropy');
    const back = parseConfig(setDataset(configToJSON(m) as Doc, 'spiral'));
    expect(back.layers[back.layers.length - 1]).toMatchObject({ units: 1, activation: { name: 'sigmoid' } });
    expect(back.loss).toBe('binary_crossentropy');
    expect(back.dataset).toMatchObject({ name: 'spiral', samples: 500 });
    const x = parseConfig(setDataset(base(), 'xor'));
    expect(x.dataset.test_fraction).toBe(0);
    expect(parseConfig(setDataset(configToJSON(x) as Doc, 'gauss')).dataset.test_fraction).toBe(0.2);
  });

  it('refits the output when the random set gets more classes', () => {
    const r = setDatasetField(setDataset(base(), 'random'), 'classes', 5);
    expect(parseConfig(r).layers.at(-1)!.units).toBe(5);
  });

  it('builds a deep network: 50 hidden layers of 1024', () => {
    const c = parseConfig(setWidth(setDepth(base(), 50), 1024));
    expect(c.layers).toHaveLength(51);
    expect(c.layers[49]).toMatchObject({ units: 1024, activation: { name: 'tanh' } });
    expect(c.layers[50].units).toBe(1);
    expect(parseConfig(setDepth(base(), 0)).layers).toHaveLength(1);
  });

  it('applies initializers to every layer, activations only to hidden layers', () => {
    let d = applyToAll(base(), 'kernel_initializer', { class_name: 'HeNormal', config: {} });
    d = applyToAll(d, 'activation', 'relu');
    const c = parseConfig(d);
    expect(c.layers.every((l) => l.kernel_initializer.name === 'he_normal')).toBe(true);
    expect(c.layers.map((l) => l.activation.name)).toEqual(['relu', 'relu', 'sigmoid']);
  });

  it('edits, inserts and removes single layers', () => {
    let d = setLayerField(base(), 0, 'units', 3);
    d = insertLayer(d, 0);
    expect(d.layers.map((l) => l.units)).toEqual([3, 3, 8, 1]);
    d = removeLayer(d, 1);
    d = removeLayer(d, 2);
    expect(d.layers.map((l) => l.units)).toEqual([3, 8, 1]);
  });
});
