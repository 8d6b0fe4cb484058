/**
 * @file The weights file: what `--save` writes and `--load` (or the page) reads back. It carries
 * the canonical config for provenance, but only the shapes must match on load, so weights can
 * be retrained with another optimizer or seed. Values are written as the exact float32 values
 * (JSON numbers of the widened doubles), so a save/load round trip is bit-identical.
 * Browser-safe: no file system here, callers read and write the text.
 */

import { configToJSON, datasetInputDim } from '../core/config';
import { ConfigError, show } from '../core/errors';
import type { RunConfig } from '../core/types';
import { knownKeys, type Obj, obj } from '../core/validate';
import type { LayerWeights } from './engine';
import type { LayerShape } from './model';

const WEIGHTS_FORMAT = 'mlp-playground-weights';
const WEIGHTS_VERSION = 1;

interface Tensor {
  shape: number[];
  data: number[];
}

export interface WeightsDocument {
  format: typeof WEIGHTS_FORMAT;
  version: typeof WEIGHTS_VERSION;
  config: Record<string, unknown>;
  layers: { kernel: Tensor; bias: Tensor }[];
}

export function encodeWeights(cfg: RunConfig, weights: readonly LayerWeights[]): WeightsDocument {
  if (weights.length !== cfg.layers.length) {
    throw new RangeError(`encodeWeights: ${weights.length} layers of weights for a config of ${cfg.layers.length}`);
  }
  let fanIn = datasetInputDim(cfg.dataset);
  const layers = weights.map((w, l) => {
    const units = cfg.layers[l].units;
    if (w.kernel.length !== fanIn * units || w.bias.length !== units) {
      throw new RangeError(
        `encodeWeights: layer ${l} has ${w.kernel.length}+${w.bias.length} values, ` +
          `expected [${fanIn}, ${units}] + [${units}]`,
      );
    }
    const layer = {
      kernel: { shape: [fanIn, units], data: Array.from(w.kernel) },
      bias: { shape: [units], data: Array.from(w.bias) },
    };
    fanIn = units;
    return layer;
  });
  return { format: WEIGHTS_FORMAT, version: WEIGHTS_VERSION, config: configToJSON(cfg), layers };
}

/** An object with only the allowed keys. */
function record(v: unknown, path: string, keys: readonly string[]): Obj {
  const o = obj(v, path);
  knownKeys(o, path, keys);
  return o;
}

const fmt = (shape: readonly unknown[]) => `[${shape.map((d) => (typeof d === 'number' ? d : show(d))).join(', ')}]`;

function tensor(v: unknown, path: string, shape: number[]): Float32Array {
  const t = record(v, path, ['shape', 'data']);
  if (!Array.isArray(t.shape))
    throw new ConfigError(`${path}.shape`, `must be ${fmt(shape)} for this config, got ${show(t.shape)}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ConfigError(`${path}.shape`, `must be ${fmt(shape)} for this config, got ${fmt(t.shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(t.data) || t.data.length !== size) {
    const got = Array.isArray(t.data) ? `${t.data.length} numbers` : show(t.data);
    throw new ConfigError(`${path}.data`, `must be an array of ${size} numbers (shape ${fmt(shape)}), got ${got}`);
  }
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const x = t.data[i];
    // A finite double beyond float32's range would silently become Infinity on upload.
    if (typeof x !== 'number' || !Number.isFinite(Math.fround(x))) {
      throw new ConfigError(`${path}.data[${i}]`, `must be a finite float32 number, got ${show(x)}`);
    }
    out[i] = x;
  }
  return out;
}

/** Validates a parsed weights document against the configured shapes; throws ConfigError naming the field. */
export function decodeWeights(doc: unknown, shapes: readonly LayerShape[]): LayerWeights[] {
  const d = record(doc, 'weights', ['format', 'version', 'config', 'layers']);
  if (d.format !== WEIGHTS_FORMAT) {
    throw new ConfigError(
      'weights.format',
      `must be ${show(WEIGHTS_FORMAT)} (a file written by --save), got ${show(d.format)}`,
    );
  }
  if (d.version !== WEIGHTS_VERSION) {
    throw new ConfigError('weights.version', `must be ${WEIGHTS_VERSION}, got ${show(d.version)}`);
  }
  const layers: unknown = d.layers;
  if (!Array.isArray(layers)) throw new ConfigError('weights.layers', `must be an array, got ${show(layers)}`);
  if (layers.length !== shapes.length) {
    throw new ConfigError('weights.layers', `must have ${shapes.length} layers for this config, got ${layers.length}`);
  }
  return shapes.map((s, l) => {
    const p = `weights.layers[${l}]`;
    const layer = record(layers[l], p, ['kernel', 'bias']);
    return {
      kernel: tensor(layer.kernel, `${p}.kernel`, [s.fanIn, s.units]),
      bias: tensor(layer.bias, `${p}.bias`, [s.units]),
    };
  });
}
