/**
 * @file The edits the network editor makes, as pure functions from a config document (the
 * schema's JSON, as `configToJSON` writes it) to a new one. Each keeps the document valid where
 * the edit implies more than one field: changing the dataset refits the output layer and loss,
 * changing depth copies the last hidden layer. The store parses the result with parseConfig, so
 * a value out of range still comes back as a ConfigError naming the field.
 */
import { datasetClasses } from '../core/config';
import type { DatasetConfig, DatasetName } from '../core/types';

export type Doc = Record<string, unknown> & { layers: LayerDoc[]; dataset: Record<string, unknown> };
type LayerDoc = Record<string, unknown> & { units: number };

const clone = (d: Doc): Doc => structuredClone(d);

function actName(a: unknown): string {
  return typeof a === 'string'
    ? a
    : typeof a === 'object' && a !== null
      ? String((a as { name?: unknown }).name)
      : 'linear';
}

/** Classes of a dataset document (the schema's defaults where a field is missing). */
function classesOf(ds: Record<string, unknown>): number {
  return datasetClasses({ name: ds.name as DatasetName, classes: (ds.classes as number) ?? 2 } as DatasetConfig);
}

/**
 * Makes the output layer and loss fit the dataset's classes: one sigmoid unit (or two) for two
 * classes, a softmax of `classes` units with categorical cross-entropy otherwise.
 */
function fitOutput(doc: Doc): Doc {
  const d = clone(doc);
  const out = d.layers[d.layers.length - 1];
  const k = classesOf(d.dataset);
  if (k === 2) {
    if (out.units !== 1 && out.units !== 2) out.units = 1;
    if (out.units === 1 && actName(out.activation) === 'softmax') out.activation = 'sigmoid';
    if (d.loss === 'categorical_crossentropy' && out.units === 1) d.loss = 'binary_crossentropy';
  } else {
    out.units = k;
    out.activation = 'softmax';
    d.loss = 'categorical_crossentropy';
  }
  return d;
}

/** Switches the built-in dataset, keeping noise and the test fraction where they apply. */
export function setDataset(doc: Doc, name: DatasetName): Doc {
  const d = clone(doc);
  const old = d.dataset;
  const ds: Record<string, unknown> = { name };
  if (name !== 'xor' && name !== 'mnist') ds.noise = old.noise ?? 0;
  if (name === 'random') {
    ds.dim = old.name === 'random' ? (old.dim ?? 16) : 16;
    ds.classes = old.name === 'random' ? (old.classes ?? 2) : 2;
  }
  if (name === 'mnist') ds.samples = 10000;
  else if (name !== 'xor') ds.samples = old.name === 'xor' || old.name === 'mnist' ? 500 : (old.samples ?? 500);
  ds.test_fraction = name === 'xor' ? 0 : old.name === 'xor' ? 0.2 : (old.test_fraction ?? 0.2);
  d.dataset = ds;
  return fitOutput(d);
}

/** Sets one dataset field (samples, noise, test_fraction, dim, classes) and refits the output. */
export function setDatasetField(doc: Doc, key: string, value: number): Doc {
  const d = clone(doc);
  d.dataset = { ...d.dataset, [key]: value };
  return key === 'classes' ? fitOutput(d) : d;
}

/** Number of hidden layers (all but the output). New layers copy the last hidden layer. */
export function setDepth(doc: Doc, hidden: number): Doc {
  const d = clone(doc);
  const out = d.layers[d.layers.length - 1];
  const h = d.layers.slice(0, -1);
  const template: LayerDoc = h[h.length - 1] ?? {
    units: 8,
    activation: 'relu',
    kernel_initializer: 'he_normal',
    bias_initializer: 'zeros',
  };
  while (h.length < hidden) h.push(structuredClone(template));
  h.length = Math.max(0, hidden);
  d.layers = [...h, out];
  return d;
}

/** Every hidden layer's width. */
export function setWidth(doc: Doc, units: number): Doc {
  const d = clone(doc);
  d.layers.slice(0, -1).forEach((l) => {
    l.units = units;
  });
  return d;
}

export type LayerField = 'units' | 'activation' | 'kernel_initializer' | 'bias_initializer';

/** One field of layer `i`. */
export function setLayerField(doc: Doc, i: number, key: LayerField, value: unknown): Doc {
  const d = clone(doc);
  d.layers[i] = { ...d.layers[i], [key]: structuredClone(value) };
  return d;
}

/**
 * "Apply to all layers": initializers go to every layer including the output; activations and
 * units only to the hidden layers (the output's are fixed by the data and the loss).
 */
export function applyToAll(doc: Doc, key: LayerField, value: unknown): Doc {
  const d = clone(doc);
  const last = d.layers.length - 1;
  d.layers.forEach((l, i) => {
    if (i === last && (key === 'activation' || key === 'units')) return;
    d.layers[i] = { ...l, [key]: structuredClone(value) };
  });
  return d;
}

/** Inserts a copy of hidden layer `i` after it (or a first hidden layer before the output). */
export function insertLayer(doc: Doc, i: number): Doc {
  const d = clone(doc);
  const src = d.layers[Math.min(i, d.layers.length - 1)];
  const copy = i >= d.layers.length - 1 ? { ...src, units: 8, activation: 'relu' } : structuredClone(src);
  d.layers.splice(Math.min(i + 1, d.layers.length - 1), 0, copy);
  return d;
}

/** Removes hidden layer `i` (the output layer stays). */
export function removeLayer(doc: Doc, i: number): Doc {
  const d = clone(doc);
  if (i < d.layers.length - 1) d.layers.splice(i, 1);
  return d;
}
