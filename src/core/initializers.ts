/**
 * @file Keras initializers: parsing every form Keras accepts into a normalized `Initializer`,
 * serializing back to Keras' `{class_name, config}`, resolving one to a `Sampler` once the
 * tensor's shape is known (Keras' `compute_fans` and `VarianceScaling` arithmetic). Drawing
 * the values is sampling.ts'.
 */

import { ConfigError, show } from './errors';
import type { Initializer, InitializerName, Sampler } from './types';
import { fieldPath, isObj, num, type Obj, oneOf, type Range } from './validate';

/** Every initializer identifier, in the order error messages list them. */
export const INITIALIZER_NAMES: readonly InitializerName[] = [
  'zeros',
  'ones',
  'constant',
  'random_normal',
  'random_uniform',
  'truncated_normal',
  'variance_scaling',
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'orthogonal',
  'identity',
];

/** Keras' class name for each identifier (what `initializerToKeras` writes). */
const CLASS_NAMES: Record<InitializerName, string> = {
  zeros: 'Zeros',
  ones: 'Ones',
  constant: 'Constant',
  random_normal: 'RandomNormal',
  random_uniform: 'RandomUniform',
  truncated_normal: 'TruncatedNormal',
  variance_scaling: 'VarianceScaling',
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  he_uniform: 'HeUniform',
  he_normal: 'HeNormal',
  lecun_uniform: 'LecunUniform',
  lecun_normal: 'LecunNormal',
  orthogonal: 'Orthogonal',
  identity: 'Identity',
};

/**
 * Name lookup shared by all forms: Keras resolves strings and `class_name` through one table
 * holding both the class names and their snake_case identifiers. Keras 3 serializes the two
 * matrix initializers under their long class names, so those are accepted as well.
 */
const LOOKUP = new Map<string, InitializerName>();
for (const name of INITIALIZER_NAMES) {
  LOOKUP.set(name, name);
  LOOKUP.set(CLASS_NAMES[name], name);
}
LOOKUP.set('IdentityInitializer', 'identity');
LOOKUP.set('OrthogonalInitializer', 'orthogonal');

type Mode = 'fan_in' | 'fan_out' | 'fan_avg';
type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';
const MODES: readonly Mode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly string[] = ['truncated_normal', 'untruncated_normal', 'uniform', 'normal'];

/** The fixed (scale, mode, distribution) of the named VarianceScaling presets. */
const PRESETS: Record<string, { scale: number; mode: Mode; distribution: Distribution }> = {
  glorot_uniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorot_normal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  he_uniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  he_normal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  lecun_uniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecun_normal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/** Constructor parameters of each initializer (besides `seed`), i.e. what its config may hold. */
const PARAMS: Record<InitializerName, readonly string[]> = {
  zeros: [],
  ones: [],
  constant: ['value'],
  random_normal: ['mean', 'stddev'],
  random_uniform: ['minval', 'maxval'],
  truncated_normal: ['mean', 'stddev'],
  variance_scaling: ['scale', 'mode', 'distribution'],
  glorot_uniform: [],
  glorot_normal: [],
  he_uniform: [],
  he_normal: [],
  lecun_uniform: [],
  lecun_normal: [],
  orthogonal: ['gain'],
  identity: ['gain'],
};

/**
 * Keras' correction for truncating a normal at two standard deviations: the standard deviation
 * of a unit normal truncated to [-2, 2]. Dividing by it restores the intended variance.
 */
export const TRUNCATION_CORRECTION = 0.87962566103423978;

function lookupName(v: unknown, path: string): InitializerName {
  const name = typeof v === 'string' ? LOOKUP.get(v) : undefined;
  if (!name) throw new ConfigError(path, `must be one of ${INITIALIZER_NAMES.join(', ')}, got ${show(v)}`);
  return name;
}

/** A parameter's value, or Keras' default where it is missing. */
function param(params: Obj, key: string, dflt: number, path: string, range?: Range): number {
  return params[key] === undefined ? dflt : num(params[key], fieldPath(path, key), range);
}

const POSITIVE: Range = { min: 0, minOpen: true };

/**
 * Builds the normalized initializer from its parameters. `params` holds only the parameter
 * keys (plus an ignored `seed`); `path` is where they live, for error messages.
 */
function build(name: InitializerName, params: Obj, path: string): Initializer {
  const allowed = PARAMS[name];
  for (const key of Object.keys(params)) {
    if (key === 'seed' || allowed.includes(key)) continue;
    // Keras' constructors reject unknown keyword arguments, and so do the presets' (seed only).
    const accepts = ['seed', ...allowed].join(', ');
    throw new ConfigError(fieldPath(path, key), `is not a parameter of ${name} (it accepts ${accepts})`);
  }
  switch (name) {
    case 'zeros':
    case 'ones':
      return { name };
    case 'constant':
      return { name, value: param(params, 'value', 0, path) };
    case 'random_normal':
    case 'truncated_normal':
      return { name, mean: param(params, 'mean', 0, path), stddev: param(params, 'stddev', 0.05, path, POSITIVE) };
    case 'random_uniform': {
      // Explicit zeros are kept: `minval: 0` is a real bound (TensorFlow.js once treated it as unset).
      const minval = param(params, 'minval', -0.05, path);
      const maxval = param(params, 'maxval', 0.05, path);
      if (!(minval < maxval)) {
        throw new ConfigError(fieldPath(path, 'minval'), `must be less than maxval (${maxval}), got ${minval}`);
      }
      return { name, minval, maxval };
    }
    case 'variance_scaling': {
      const scale = param(params, 'scale', 1, path, POSITIVE);
      const mode = oneOf(params.mode ?? 'fan_in', fieldPath(path, 'mode'), MODES);
      const rawDist = params.distribution ?? 'truncated_normal';
      // Keras lower-cases the distribution and maps its legacy 'normal' to 'truncated_normal'.
      const dist = typeof rawDist === 'string' ? rawDist.toLowerCase() : rawDist;
      if (typeof dist !== 'string' || !DISTRIBUTIONS.includes(dist)) {
        throw new ConfigError(
          fieldPath(path, 'distribution'),
          `must be one of ${DISTRIBUTIONS.join(', ')}, got ${show(rawDist)}`,
        );
      }
      const distribution = (dist === 'normal' ? 'truncated_normal' : dist) as Distribution;
      return { name, scale, mode, distribution };
    }
    case 'orthogonal':
    case 'identity':
      return { name, gain: param(params, 'gain', 1, path) };
    default:
      return { name, ...PRESETS[name] };
  }
}

/**
 * Parses any form Keras accepts for an initializer:
 * - a string identifier or class name: `"glorot_uniform"`, `"GlorotUniform"`;
 * - Keras' serialized form `{"class_name": "RandomNormal", "config": {"stddev": 1, "seed": null}}`
 *   (`config` optional; Keras 3's `module` and `registered_name` keys are ignored);
 * - the flat form `{"name": "random_normal", "stddev": 1}`.
 * Missing parameters take Keras 3's defaults; `seed` is ignored (the run's seed decides draws).
 */
export function parseInitializer(value: unknown, path: string): Initializer {
  if (typeof value === 'string') return build(lookupName(value, path), {}, path);
  if (!isObj(value)) {
    throw new ConfigError(path, `must be an initializer name or object, got ${show(value)}`);
  }
  if ('class_name' in value) {
    for (const key of Object.keys(value)) {
      if (!['class_name', 'config', 'module', 'registered_name'].includes(key)) {
        throw new ConfigError(
          fieldPath(path, key),
          'is not allowed here (an initializer object has class_name, config)',
        );
      }
    }
    const name = lookupName(value.class_name, fieldPath(path, 'class_name'));
    const config = value.config ?? {};
    if (!isObj(config)) throw new ConfigError(fieldPath(path, 'config'), `must be an object, got ${show(config)}`);
    return build(name, config, fieldPath(path, 'config'));
  }
  if ('name' in value) {
    const { name, ...params } = value;
    return build(lookupName(name, fieldPath(path, 'name')), params, path);
  }
  throw new ConfigError(path, `must have a class_name or a name, got ${show(value)}`);
}

/** Keras' serialized form, `{class_name, config}`, as `get_config` writes it. */
export function initializerToKeras(init: Initializer): { class_name: string; config: Record<string, unknown> } {
  const class_name = CLASS_NAMES[init.name];
  switch (init.name) {
    case 'zeros':
    case 'ones':
      return { class_name, config: {} };
    case 'constant':
      return { class_name, config: { value: init.value } };
    case 'random_normal':
    case 'truncated_normal':
      return { class_name, config: { mean: init.mean, stddev: init.stddev, seed: null } };
    case 'random_uniform':
      return { class_name, config: { minval: init.minval, maxval: init.maxval, seed: null } };
    case 'orthogonal':
      return { class_name, config: { gain: init.gain, seed: null } };
    case 'identity':
      return { class_name, config: { gain: init.gain } };
    default: {
      const { scale, mode, distribution } = init;
      const preset = PRESETS[init.name];
      if (preset && preset.scale === scale && preset.mode === mode && preset.distribution === distribution) {
        return { class_name, config: { seed: null } };
      }
      // A preset name with other parameters (only possible when built in code) cannot be written
      // under its own class name, since Keras' presets take no parameters: write the general form.
      return { class_name: 'VarianceScaling', config: { scale, mode, distribution, seed: null } };
    }
  }
}

/** Keras' `compute_fans` for the shapes a Dense layer has: kernel [fan_in, units], bias [units]. */
function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  return shape.length === 1 ? { fanIn: shape[0], fanOut: shape[0] } : { fanIn: shape[0], fanOut: shape[1] };
}

/** A Dense layer's tensor shape: [n] or [rows, cols] of positive integers. */
export function checkShape(shape: readonly number[]): void {
  if ((shape.length !== 1 && shape.length !== 2) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(
      `initializer shape must be [n] or [rows, cols] of positive integers, got [${shape.join(', ')}]`,
    );
  }
}

/**
 * What `init` draws for a tensor of `shape`. Matrix-only initializers reject a 1-D shape with a
 * ConfigError at `path` (callers pass e.g. `layers[0].bias_initializer`).
 */
export function resolveSampler(init: Initializer, shape: [number] | [number, number], path = ''): Sampler {
  checkShape(shape);
  switch (init.name) {
    case 'zeros':
      return { kind: 'constant', value: 0 };
    case 'ones':
      return { kind: 'constant', value: 1 };
    case 'constant':
      return { kind: 'constant', value: init.value };
    case 'random_normal':
      return { kind: 'normal', mean: init.mean, stddev: init.stddev };
    case 'truncated_normal':
      return { kind: 'truncated_normal', mean: init.mean, stddev: init.stddev };
    case 'random_uniform':
      return { kind: 'uniform', min: init.minval, max: init.maxval };
    case 'orthogonal':
    case 'identity':
      if (shape.length !== 2) {
        throw new ConfigError(path, `${init.name} needs a 2-D kernel; it cannot initialize a bias`);
      }
      return { kind: init.name, gain: init.gain };
    default: {
      // keras.initializers.VarianceScaling.__call__.
      const { fanIn, fanOut } = computeFans(shape);
      const n = init.mode === 'fan_in' ? fanIn : init.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
      const scale = init.scale / Math.max(1, n);
      if (init.distribution === 'truncated_normal') {
        return { kind: 'truncated_normal', mean: 0, stddev: Math.sqrt(scale) / TRUNCATION_CORRECTION };
      }
      if (init.distribution === 'untruncated_normal') {
        return { kind: 'normal', mean: 0, stddev: Math.sqrt(scale) };
      }
      const limit = Math.sqrt(3 * scale);
      return { kind: 'uniform', min: -limit, max: limit };
    }
  }
}
