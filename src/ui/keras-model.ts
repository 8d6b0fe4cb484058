/**
 * @file Builds the playground's network from a Keras Sequential model's JSON (`model.to_json()`),
 * Keras 2 or Keras 3. Dense layers become layers; Activation, LeakyReLU, ReLU, ELU and Softmax
 * layers set the activation of the Dense before them; InputLayer, a Dense's `batch_input_shape`,
 * Keras 3's `build_config` and a leading Flatten give the input width. Anything else is refused
 * with a ConfigError naming the layer's index in the model and its class, so the user knows which
 * line of their Python to change. Pure: no DOM, unit-tested in keras-model.test.ts.
 */
import { ACTIVATIONS, datasetClasses, datasetInputDim } from '../core/config';
import { ConfigError, show } from '../core/errors';
import { initializerToKeras, parseInitializer } from '../core/initializers';
import type { ActivationName, DatasetConfig, RunConfig } from '../core/types';

const SUPPORTED_LAYERS = [
  'InputLayer',
  'Dense',
  'Activation',
  'LeakyReLU',
  'ReLU',
  'ELU',
  'Softmax',
  'Flatten',
] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A layer of the playground's config schema, as JSON. */
interface LayerDoc {
  units: number;
  activation: string | { name: string; alpha: number };
  kernel_initializer: unknown;
  bias_initializer: unknown;
}

interface ImportedModel {
  layers: LayerDoc[];
  /** Width of one input row, when the model says; null when it was never built with a shape. */
  inputDim: number | null;
  /** Settings that were read but have no equivalent here (regularizers, constraints). */
  notes: string[];
}

/** Keras activation names (2 and 3) → the schema's; `silu` is Keras 3's name for swish. */
function activationName(v: unknown, path: string): ActivationName {
  if (v === null || v === undefined) return 'linear';
  const name = v === 'silu' ? 'swish' : v;
  if (typeof name !== 'string' || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new ConfigError(path, `activation ${show(v)} is not supported; supported: ${ACTIVATIONS.join(', ')}`);
  }
  return name as ActivationName;
}

/** The width of a shape like [null, 28, 28] (product of the non-batch dims). */
function widthOf(shape: unknown, path: string, flatten: boolean): number {
  if (!Array.isArray(shape) || shape.length < 2 || shape.slice(1).some((d) => typeof d !== 'number' || d < 1)) {
    throw new ConfigError(path, `must be a shape like [null, 2], got ${show(shape)}`);
  }
  const dims = shape.slice(1) as number[];
  if (dims.length > 1 && !flatten) {
    throw new ConfigError(path, `is ${show(shape)}: a Dense network needs flat rows; add a Flatten layer first`);
  }
  return dims.reduce((a, b) => a * b, 1);
}

/** The list of layer objects of a Sequential model, in Keras 2 (list or {layers}) or Keras 3 form. */
function layerList(doc: unknown): unknown[] {
  const root = typeof doc === 'string' ? parseJson(doc) : doc;
  if (!isObj(root)) throw new ConfigError('model', `must be a JSON object from model.to_json(), got ${show(root)}`);
  if (root.class_name !== 'Sequential') {
    throw new ConfigError(
      'model.class_name',
      `must be "Sequential" (functional models are not supported), got ${show(root.class_name)}`,
    );
  }
  const cfg = root.config;
  const layers = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layers)) throw new ConfigError('model.config.layers', `must be an array, got ${show(layers)}`);
  return layers;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError('model', `is not valid JSON (${(e as Error).message})`);
  }
}

/** The refusal of the first layer of a class the playground has no equivalent for, if any. */
function firstUnsupported(list: unknown[]): ConfigError | null {
  const i = list.findIndex((raw) => isObj(raw) && !(SUPPORTED_LAYERS as readonly unknown[]).includes(raw.class_name));
  if (i < 0) return null;
  const cls = (list[i] as Obj).class_name;
  return new ConfigError(
    `model.layers[${i}]`,
    `is a ${typeof cls === 'string' ? cls : show(cls)} layer, which the playground cannot build; supported: ${SUPPORTED_LAYERS.join(', ')}`,
  );
}

/**
 * Reads a Keras Sequential model. Throws ConfigError naming `model.layers[i]` and the class. An
 * unsupported class is named before anything else is read: a CNN's image input would otherwise be
 * refused first, with advice (add a Flatten) that cannot help.
 */
export function importKerasModel(doc: unknown): ImportedModel {
  const list = layerList(doc);
  const unsupported = firstUnsupported(list);
  if (unsupported) throw unsupported;
  const layers: LayerDoc[] = [];
  const notes: string[] = [];
  let inputDim: number | null = null;
  /** Whether the Dense before may still take its activation from a following activation layer. */
  let open = false;
  list.forEach((raw, i) => {
    const p = `model.layers[${i}]`;
    if (!isObj(raw)) throw new ConfigError(p, `must be a layer object, got ${show(raw)}`);
    const cls = raw.class_name;
    const c = isObj(raw.config) ? raw.config : {};
    const setActivation = (name: ActivationName, alpha?: number) => {
      const prev = layers[layers.length - 1];
      if (!prev)
        throw new ConfigError(
          p,
          `(${cls}) comes before any Dense layer; the playground applies activations to Dense layers`,
        );
      if (!open) {
        throw new ConfigError(
          p,
          `(${cls}) follows a Dense whose activation is already ${show(prev.activation)}; the playground has one activation per Dense`,
        );
      }
      prev.activation = alpha === undefined ? name : { name, alpha };
      open = false;
    };
    switch (cls) {
      case 'InputLayer': {
        const shape =
          c.batch_shape ?? c.batch_input_shape ?? (Array.isArray(c.input_shape) ? [null, ...c.input_shape] : undefined);
        inputDim = widthOf(
          shape,
          `${p}.config.batch_shape`,
          list[i + 1] !== undefined && isObj(list[i + 1]) && (list[i + 1] as Obj).class_name === 'Flatten',
        );
        return;
      }
      case 'Flatten': {
        if (layers.length > 0) throw new ConfigError(p, '(Flatten) is only supported before the first Dense layer');
        if (c.batch_input_shape) inputDim = widthOf(c.batch_input_shape, `${p}.config.batch_input_shape`, true);
        return;
      }
      case 'Dense': {
        const units = c.units;
        if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) {
          throw new ConfigError(`${p}.config.units`, `must be a positive integer, got ${show(units)}`);
        }
        if (c.use_bias === false)
          throw new ConfigError(`${p}.config.use_bias`, '(Dense) is false; every layer here has a bias');
        if (layers.length === 0 && inputDim === null) {
          const bc = isObj(raw.build_config) ? raw.build_config.input_shape : undefined;
          const shape = c.batch_input_shape ?? bc;
          if (shape !== undefined) inputDim = widthOf(shape, `${p}.config.batch_input_shape`, false);
        }
        const act = activationName(c.activation, `${p}.config.activation`);
        // Parsed now so that errors point into the model; written back in Keras' serialized form.
        const kernel = parseInitializer(c.kernel_initializer ?? 'glorot_uniform', `${p}.config.kernel_initializer`);
        const bias = parseInitializer(c.bias_initializer ?? 'zeros', `${p}.config.bias_initializer`);
        for (const k of [
          'kernel_regularizer',
          'bias_regularizer',
          'activity_regularizer',
          'kernel_constraint',
          'bias_constraint',
        ]) {
          if (c[k] !== null && c[k] !== undefined) notes.push(`${p}.config.${k} is ignored`);
        }
        layers.push({
          units,
          activation: act,
          kernel_initializer: initializerToKeras(kernel),
          bias_initializer: initializerToKeras(bias),
        });
        open = act === 'linear';
        return;
      }
      case 'Activation':
        setActivation(activationName(c.activation, `${p}.config.activation`));
        return;
      case 'Softmax':
        setActivation('softmax');
        return;
      case 'LeakyReLU': {
        // Keras 2 calls the slope alpha, Keras 3 negative_slope; both layers default to 0.3.
        const a = c.negative_slope ?? c.alpha ?? 0.3;
        if (typeof a !== 'number' || a < 0)
          throw new ConfigError(`${p}.config.negative_slope`, `must be a non-negative number, got ${show(a)}`);
        setActivation('leaky_relu', a);
        return;
      }
      case 'ELU': {
        const a = c.alpha ?? 1;
        if (typeof a !== 'number' || a < 0)
          throw new ConfigError(`${p}.config.alpha`, `must be a non-negative number, got ${show(a)}`);
        setActivation('elu', a);
        return;
      }
      case 'ReLU': {
        const plain = (c.max_value ?? null) === null && (c.negative_slope ?? 0) === 0 && (c.threshold ?? 0) === 0;
        if (!plain)
          throw new ConfigError(
            p,
            '(ReLU) with max_value, negative_slope or threshold is not supported; use LeakyReLU or a plain ReLU',
          );
        setActivation('relu');
        return;
      }
      default:
        throw firstUnsupported([raw]) ?? new ConfigError(p, `has an unknown class ${show(cls)}`);
    }
  });
  if (layers.length === 0) throw new ConfigError('model.config.layers', 'has no Dense layer');
  layers.forEach((l, i) => {
    const name = typeof l.activation === 'string' ? l.activation : l.activation.name;
    if (name === 'softmax' && i !== layers.length - 1) {
      throw new ConfigError(`model Dense layer ${i}`, 'has a softmax activation; only the output layer may');
    }
  });
  return { layers, inputDim, notes };
}

/**
 * A config document for the imported network: the `base` run's data, optimizer and schedule,
 * with a dataset whose input width and classes fit the model (the base one when it does), and a
 * loss that fits the output layer.
 */
export function configWithModel(base: RunConfig, model: ImportedModel): Record<string, unknown> {
  const out = model.layers[model.layers.length - 1];
  const outAct = typeof out.activation === 'string' ? out.activation : out.activation.name;
  const dataset = datasetFor(base.dataset, model.inputDim, out.units);
  let loss: string = base.loss;
  if (outAct === 'softmax' && out.units >= 2) loss = 'categorical_crossentropy';
  else if (loss === 'categorical_crossentropy') loss = outAct === 'sigmoid' ? 'binary_crossentropy' : 'mse';
  return {
    seed: base.seed,
    dataset,
    layers: model.layers,
    loss,
    optimizer: { ...base.optimizer },
    batch_size: base.batch_size,
    epochs: base.epochs,
    log_every: base.log_every,
  };
}

function fits(d: DatasetConfig, units: number): boolean {
  const k = datasetClasses(d);
  return units === k || (units === 1 && k === 2);
}

function datasetFor(base: DatasetConfig, inputDim: number | null, units: number): DatasetConfig {
  const dim = inputDim ?? datasetInputDim(base);
  if (dim === datasetInputDim(base) && fits(base, units)) return { ...base };
  if (dim === 784 && units === 10)
    return { ...base, name: 'mnist', samples: 10000, test_fraction: base.test_fraction || 0.2 };
  if (dim === 2 && units <= 2) {
    const test_fraction = base.name === 'xor' ? 0.2 : base.test_fraction;
    return { ...base, name: 'circle', samples: 500, test_fraction };
  }
  return {
    ...base,
    name: 'random',
    dim,
    classes: Math.max(2, units),
    samples: base.name === 'xor' ? 500 : base.samples,
  };
}
