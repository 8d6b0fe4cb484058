/**
 * @file The atlas config: one JSON document says which network trains on which small set, how,
 * for how long, what counts as success, and which map to draw. `parseAtlasConfig` fills every
 * default or throws the engine's `ConfigError`, naming the field and what is allowed, exactly as
 * run configs do (the network part goes through the engine's own `parseConfig`).
 *
 * The mode's fields sit at the top level next to `"mode"`:
 *   {"mode": "basin", "axes": [...], "range": [-10, 10], "resolution": 256, "others": ...}
 *   {"mode": "initializers", "initializers": [...], "scales": [...], "seeds": 4096}
 *   {"mode": "population", "size": 65536, "init": ...}
 */
import { parseConfig } from '../core/config';
import { ConfigError, show } from '../core/errors';
import { parseInitializer, resolveSampler } from '../core/initializers';
import type { Initializer } from '../core/types';
import { int, isObj, knownKeys, num, type Obj, obj, oneOf, positive } from '../core/validate';
import { netShape } from './network';
import type {
  AtlasConfig,
  AtlasDatasetName,
  AtlasMode,
  AxisSpec,
  BasinMode,
  Criterion,
  InitSpec,
  NetShape,
  SomConfig,
} from './types';

const ATLAS_DATASETS: readonly AtlasDatasetName[] = ['xor', 'circle', 'xor2d', 'gauss', 'spiral'];
const ATLAS_LOSSES = ['mse', 'binary_crossentropy'] as const;
const MODES = ['basin', 'initializers', 'population'] as const;

/** Limits that keep one run within a browser tab and the default WebGPU binding size (128 MiB). */
export const LIMITS = {
  samples: 1024,
  params: 512,
  epochs: 100_000,
  resolution: 512,
  networks: 1 << 20,
  /** networks × params floats (× 2 with momentum) in one buffer: 128 MiB, WebGPU's default binding limit. */
  floats: 1 << 25,
  seeds: 65_536,
  range: 1e4,
  somSide: 64,
  somIterations: 1000,
} as const;

/** Kernel initializers an initializer table compares when the config names none. */
const DEFAULT_INITIALIZERS = [
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'random_normal',
  'random_uniform',
  'orthogonal',
] as const;
const DEFAULT_SCALES = [0.25, 0.5, 1, 2, 4];

const COMMON = ['seed', 'dataset', 'layers', 'loss', 'optimizer', 'epochs', 'criterion', 'mode', 'som'];
const MODE_KEYS: Record<(typeof MODES)[number], readonly string[]> = {
  basin: ['axes', 'range', 'resolution', 'others'],
  initializers: ['initializers', 'scales', 'seeds'],
  population: ['size', 'init'],
};

function range(v: unknown, path: string): [number, number] {
  const R = LIMITS.range;
  if (!Array.isArray(v) || v.length !== 2)
    throw new ConfigError(path, `must be [low, high], e.g. [-10, 10], got ${show(v)}`);
  const lo = num(v[0], `${path}[0]`, { min: -R, max: R });
  const hi = num(v[1], `${path}[1]`, { min: -R, max: R });
  if (!(lo < hi)) throw new ConfigError(path, `must have low < high, got ${show(v)}`);
  return [lo, hi];
}

/** `"he_normal"`, any initializer form, or `{"kernel": ..., "bias": ..., "scale": 2}`. */
function parseInitSpec(v: unknown, path: string): InitSpec {
  if (v === undefined) return { kernel: null, bias: null, scale: 1 };
  if (isObj(v) && !('name' in v) && !('class_name' in v)) {
    knownKeys(v, path, ['kernel', 'bias', 'scale']);
    return {
      kernel: v.kernel === undefined ? null : parseInitializer(v.kernel, `${path}.kernel`),
      bias: v.bias === undefined ? null : parseInitializer(v.bias, `${path}.bias`),
      scale: v.scale === undefined ? 1 : positive(v.scale, `${path}.scale`),
    };
  }
  return { kernel: parseInitializer(v, path), bias: null, scale: 1 };
}

function parseCriterion(v: unknown): Criterion {
  const p = 'criterion';
  if (v === undefined) return { kind: 'loss_below', value: 0.01 };
  if (v === 'all_correct') return { kind: 'all_correct' };
  if (isObj(v) && 'loss_below' in v) {
    knownKeys(v, p, ['loss_below']);
    return { kind: 'loss_below', value: positive(v.loss_below, `${p}.loss_below`) };
  }
  throw new ConfigError(p, `must be "all_correct" or {"loss_below": 0.01}, got ${show(v)}`);
}

function parseAxis(v: unknown, i: number, shape: NetShape, dflt: [number, number]): AxisSpec {
  const p = `axes[${i}]`;
  const a = obj(v, p);
  const isBias = 'bias' in a;
  knownKeys(a, p, isBias ? ['layer', 'bias', 'range'] : ['layer', 'row', 'col', 'range']);
  const layer = int(a.layer, `${p}.layer`, 0, shape.layers.length - 1);
  const L = shape.layers[layer];
  const r = a.range === undefined ? dflt : range(a.range, `${p}.range`);
  if (isBias) return { layer, bias: int(a.bias, `${p}.bias`, 0, L.units - 1), range: r };
  return { layer, row: int(a.row, `${p}.row`, 0, L.fanIn - 1), col: int(a.col, `${p}.col`, 0, L.units - 1), range: r };
}

function parseBasin(c: Obj, shape: NetShape): BasinMode {
  const dflt = c.range === undefined ? ([-10, 10] as [number, number]) : range(c.range, 'range');
  if (!Array.isArray(c.axes) || c.axes.length !== 2) {
    throw new ConfigError(
      'axes',
      `must be two weights, e.g. [{"layer": 0, "row": 0, "col": 0}, {"layer": 0, "bias": 0}], got ${show(c.axes)}`,
    );
  }
  const axes = [parseAxis(c.axes[0], 0, shape, dflt), parseAxis(c.axes[1], 1, shape, dflt)] as [AxisSpec, AxisSpec];
  const same =
    axes[0].layer === axes[1].layer &&
    axes[0].bias === axes[1].bias &&
    axes[0].row === axes[1].row &&
    axes[0].col === axes[1].col;
  if (same) throw new ConfigError('axes[1]', 'must be a different weight from axes[0]');
  const resolution = c.resolution === undefined ? 128 : int(c.resolution, 'resolution', 2, LIMITS.resolution);
  let others: BasinMode['others'];
  if (isObj(c.others) && 'fixed' in c.others) {
    knownKeys(c.others, 'others', ['fixed']);
    const f = c.others.fixed;
    if (!Array.isArray(f) || f.length !== shape.params) {
      throw new ConfigError(
        'others.fixed',
        `must be ${shape.params} numbers (every weight of the network, layer by layer: kernel row-major, ` +
          `then bias), got ${show(f)}`,
      );
    }
    others = { kind: 'fixed', values: f.map((x, i) => num(x, `others.fixed[${i}]`, { min: -1e6, max: 1e6 })) };
  } else {
    others = { kind: 'draw', init: parseInitSpec(c.others, 'others') };
  }
  return { mode: 'basin', axes, resolution, others };
}

function parseMode(c: Obj, mode: (typeof MODES)[number], shape: NetShape): AtlasMode {
  if (mode === 'basin') return parseBasin(c, shape);
  if (mode === 'initializers') {
    const list = c.initializers === undefined ? [...DEFAULT_INITIALIZERS] : c.initializers;
    if (!Array.isArray(list) || list.length === 0)
      throw new ConfigError('initializers', `must be a non-empty array of initializers, got ${show(list)}`);
    const scales = c.scales === undefined ? DEFAULT_SCALES : c.scales;
    if (!Array.isArray(scales) || scales.length === 0)
      throw new ConfigError('scales', `must be a non-empty array of positive numbers, got ${show(scales)}`);
    return {
      mode,
      initializers: list.map((v, i) => parseInitializer(v, `initializers[${i}]`)),
      scales: scales.map((s, i) => positive(s, `scales[${i}]`)),
      seeds: c.seeds === undefined ? 1024 : int(c.seeds, 'seeds', 1, LIMITS.seeds),
    };
  }
  return {
    mode,
    size: c.size === undefined ? 4096 : int(c.size, 'size', 1, LIMITS.networks),
    init: parseInitSpec(c.init, 'init'),
  };
}

function parseSom(v: unknown): SomConfig | null {
  if (v === undefined || v === null) return null;
  const s = obj(v, 'som');
  knownKeys(s, 'som', ['rows', 'cols', 'iterations', 'sigma_start', 'sigma_end']);
  const rows = s.rows === undefined ? 12 : int(s.rows, 'som.rows', 2, LIMITS.somSide);
  const cols = s.cols === undefined ? 12 : int(s.cols, 'som.cols', 2, LIMITS.somSide);
  const iterations = s.iterations === undefined ? 30 : int(s.iterations, 'som.iterations', 1, LIMITS.somIterations);
  const sigma_start =
    s.sigma_start === undefined ? Math.max(rows, cols) / 2 : positive(s.sigma_start, 'som.sigma_start');
  const sigma_end = s.sigma_end === undefined ? Math.min(0.5, sigma_start) : positive(s.sigma_end, 'som.sigma_end');
  if (sigma_end > sigma_start)
    throw new ConfigError('som.sigma_end', `must not exceed sigma_start (${sigma_start}), got ${sigma_end}`);
  return { rows, cols, iterations, sigma_start, sigma_end };
}

/** Networks a mode trains. */
export function networkCount(mode: AtlasMode): number {
  switch (mode.mode) {
    case 'basin':
      return mode.resolution * mode.resolution;
    case 'initializers':
      return mode.initializers.length * mode.scales.length * mode.seeds;
    case 'population':
      return mode.size;
  }
}

/** The field that sets the network count, for size errors. */
export function sizeField(mode: AtlasMode): string {
  return mode.mode === 'basin' ? 'resolution' : mode.mode === 'initializers' ? 'seeds' : 'size';
}

/** Every tensor's initializer must suit its shape (orthogonal cannot draw a bias): check before any run. */
function checkDraws(cfg: AtlasConfig, shape: NetShape): void {
  const specs: [InitSpec, string][] = [];
  const m = cfg.mode;
  if (m.mode === 'population') specs.push([m.init, 'init']);
  if (m.mode === 'basin' && m.others.kind === 'draw') specs.push([m.others.init, 'others']);
  if (m.mode === 'initializers')
    m.initializers.forEach((k, i) => {
      specs.push([{ kernel: k, bias: null, scale: 1 }, `initializers[${i}]`]);
    });
  for (const [spec, path] of specs) {
    shape.layers.forEach((L, l) => {
      const k: Initializer = spec.kernel ?? cfg.layers[l].kernel_initializer;
      const b: Initializer = spec.bias ?? cfg.layers[l].bias_initializer;
      resolveSampler(k, [L.fanIn, L.units], spec.kernel ? path : `layers[${l}].kernel_initializer`);
      resolveSampler(b, [L.units], spec.bias ? `${path}.bias` : `layers[${l}].bias_initializer`);
    });
  }
}

/** Parses and validates an atlas document. Throws ConfigError on the first problem found. */
export function parseAtlasConfig(doc: unknown): AtlasConfig {
  const c = obj(doc, 'config');
  const mode = oneOf(c.mode, 'mode', MODES);
  const own = MODE_KEYS[mode];
  for (const k of Object.keys(c)) {
    if (COMMON.includes(k) || own.includes(k)) continue;
    const owner = MODES.find((m) => MODE_KEYS[m].includes(k));
    if (owner) throw new ConfigError(k, `is only allowed with mode ${owner} (this config has mode ${mode})`);
    throw new ConfigError(k, `is not a known field; allowed: ${[...COMMON, ...own].join(', ')}`);
  }
  // The atlas' narrower choices first, so the message lists what an atlas allows.
  const ds = typeof c.dataset === 'string' ? c.dataset : isObj(c.dataset) ? c.dataset.name : undefined;
  if (c.dataset !== undefined)
    oneOf(ds, typeof c.dataset === 'string' ? 'dataset' : 'dataset.name', ATLAS_DATASETS, ' for an atlas');
  if (c.loss !== undefined) oneOf(c.loss, 'loss', ATLAS_LOSSES, ' for an atlas');
  const opt = typeof c.optimizer === 'string' ? c.optimizer : isObj(c.optimizer) ? c.optimizer.name : 'sgd';
  if (opt !== 'sgd') {
    throw new ConfigError(
      typeof c.optimizer === 'string' ? 'optimizer' : 'optimizer.name',
      `must be sgd for an atlas (plain or with momentum), got ${show(opt)}`,
    );
  }
  const run = parseConfig({
    seed: c.seed,
    dataset: c.dataset,
    layers: c.layers,
    loss: c.loss,
    optimizer: c.optimizer ?? 'sgd',
  });
  const dataset = run.dataset as AtlasConfig['dataset'];
  if (dataset.name !== 'xor' && dataset.samples > LIMITS.samples) {
    throw new ConfigError(
      'dataset.samples',
      `must be at most ${LIMITS.samples} for an atlas (every network trains on the full batch), got ${dataset.samples}`,
    );
  }
  if (dataset.test_fraction !== 0) {
    throw new ConfigError(
      'dataset.test_fraction',
      `must be 0 for an atlas (networks train on the whole set), got ${dataset.test_fraction}`,
    );
  }
  const k = run.layers.length - 1;
  if (run.layers[k].units !== 1)
    throw new ConfigError(
      `layers[${k}].units`,
      `must be 1 for an atlas (one output, class 1 above 0.5), got ${run.layers[k].units}`,
    );
  run.layers.forEach((l, i) => {
    if (l.activation.name === 'softmax')
      throw new ConfigError(`layers[${i}].activation`, 'softmax is not allowed in an atlas (the output is one unit)');
  });
  if (run.loss === 'binary_crossentropy' && run.layers[k].activation.name !== 'sigmoid') {
    throw new ConfigError(
      'loss',
      `binary_crossentropy needs a sigmoid output in an atlas ` +
        `(layers[${k}] is ${run.layers[k].activation.name}); use mse`,
    );
  }
  const shape = netShape(2, run.layers);
  if (shape.params > LIMITS.params) {
    throw new ConfigError(
      'layers',
      `give ${shape.params} parameters per network; an atlas allows at most ${LIMITS.params}`,
    );
  }
  const epochs = c.epochs === undefined ? 1000 : int(c.epochs, 'epochs', 1, LIMITS.epochs);
  const cfg: AtlasConfig = {
    seed: run.seed,
    dataset,
    layers: run.layers,
    loss: run.loss as AtlasConfig['loss'],
    optimizer: run.optimizer as AtlasConfig['optimizer'],
    epochs,
    criterion: parseCriterion(c.criterion),
    mode: parseMode(c, mode, shape),
    som: parseSom(c.som),
  };
  const n = networkCount(cfg.mode);
  // The training state holds every weight, and every velocity with momentum, in one buffer.
  const slots = cfg.optimizer.momentum !== 0 ? 2 : 1;
  if (n > LIMITS.networks || n * shape.params * slots > LIMITS.floats) {
    throw new ConfigError(
      sizeField(cfg.mode),
      `gives ${n} networks of ${shape.params} parameters${slots === 2 ? ' (and as many velocities)' : ''}; ` +
        `an atlas holds at most ${LIMITS.networks} networks and ${LIMITS.floats} floats of training state in all`,
    );
  }
  if (cfg.mode.mode !== 'basin' && cfg.seed + n > Number.MAX_SAFE_INTEGER) {
    throw new ConfigError('seed', `plus the ${n} networks' offsets must stay below 2^53, got ${cfg.seed}`);
  }
  checkDraws(cfg, shape);
  return cfg;
}

/** The network's shape for a parsed config (2-D inputs). */
export function atlasShape(cfg: AtlasConfig): NetShape {
  return netShape(2, cfg.layers);
}
