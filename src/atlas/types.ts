/**
 * @file The normalized atlas config and the results every backend returns. `parseAtlasConfig`
 * (config.ts) turns user JSON into an `AtlasConfig` with every default filled, so the runners,
 * the CLI and the view never re-check or re-default.
 */
import type { Activation, DatasetConfig, Initializer, LayerConfig } from '../core/types';

/** Datasets an atlas can train on: the four-point XOR and the small 2-D sets. */
export type AtlasDatasetName = 'xor' | 'circle' | 'xor2d' | 'gauss' | 'spiral';
type AtlasLoss = 'mse' | 'binary_crossentropy';

/** Plain SGD (momentum 0), heavy-ball momentum, or Nesterov momentum, as Keras' SGD. */
interface AtlasOptimizer {
  name: 'sgd';
  learning_rate: number;
  momentum: number;
  nesterov: boolean;
}

/**
 * When a network counts as trained: its full-batch loss below `value`, or every sample on the
 * right side of 0.5. Checked on the weights before every update and after the last one.
 */
export type Criterion = { kind: 'loss_below'; value: number } | { kind: 'all_correct' };

/**
 * Where initial weights come from, per layer: each layer's kernel and bias initializer, and a
 * factor on the kernel's spread (`scaleSampler`). `null` entries mean "the layer's own".
 */
export interface InitSpec {
  kernel: Initializer | null;
  bias: Initializer | null;
  scale: number;
}

/** One weight as a map axis: a kernel element (row = input unit, col = output unit) or a bias. */
export type AxisSpec =
  | { layer: number; row: number; col: number; bias?: undefined; range: [number, number] }
  | { layer: number; bias: number; row?: undefined; col?: undefined; range: [number, number] };

export interface BasinMode {
  mode: 'basin';
  axes: [AxisSpec, AxisSpec];
  resolution: number;
  /** The weights that are not axes: drawn once from `init` with the config's seed, or fixed values. */
  others: { kind: 'draw'; init: InitSpec } | { kind: 'fixed'; values: number[] };
}

interface InitializersMode {
  mode: 'initializers';
  /** Kernel initializers compared, each at every scale; biases use the layers' bias initializers. */
  initializers: Initializer[];
  scales: number[];
  /** Networks per (initializer, scale) row, seeds `seed .. seed + seeds - 1`. */
  seeds: number;
}

interface PopulationMode {
  mode: 'population';
  size: number;
  init: InitSpec;
}

export type AtlasMode = BasinMode | InitializersMode | PopulationMode;

/** Batch Self-Organizing Map over the population's initial weight vectors. */
export interface SomConfig {
  rows: number;
  cols: number;
  iterations: number;
  /** Gaussian neighbourhood radius in grid cells, decayed geometrically from start to end. */
  sigma_start: number;
  sigma_end: number;
}

export interface AtlasConfig {
  seed: number;
  dataset: DatasetConfig & { name: AtlasDatasetName };
  /** The network; its initializers are what `init`/`others` fall back to. */
  layers: LayerConfig[];
  loss: AtlasLoss;
  optimizer: AtlasOptimizer;
  epochs: number;
  criterion: Criterion;
  mode: AtlasMode;
  som: SomConfig | null;
}

/** Layer shapes, activation ids and where each tensor sits in a network's parameter vector. */
export interface NetShape {
  inputDim: number;
  layers: { fanIn: number; units: number; act: Activation; actId: number; kernelOffset: number; biasOffset: number }[];
  /** Parameters per network: layer by layer, the kernel (row-major fanIn × units) then the bias. */
  params: number;
}

/** Sentinel epoch of a network that never met the criterion. */
export const NEVER = -1;

/**
 * What a population run gives back, per network n. Arrays of weights are parameter-major
 * ("SoA"): parameter p of network n at `p * networks + n`, the layout the GPU trains in.
 */
export interface PopulationResult {
  networks: number;
  params: number;
  /** Initial weights, parameter-major. */
  initial: Float32Array;
  /** First epoch t (0..epochs) whose weights met the criterion, or NEVER. */
  epoch: Int32Array;
  /** Full-batch loss after the last epoch. */
  finalLoss: Float32Array;
  /** Correctly classified samples after the last epoch. */
  finalCorrect: Uint32Array;
  backend: 'gpu' | 'cpu';
  adapter: string;
  /** Wall time of initialization plus training (read-back included on the GPU). */
  trainMs: number;
}
