/**
 * @file The normalized shapes every part of the engine agrees on. Parsing (config.ts,
 * initializers.ts) turns user JSON into these, with every default filled in, so nothing
 * downstream re-checks or re-defaults.
 */

/** Float buffers the CPU kernels accept: float32 in training, float64 in gradient checks. */
export type Floats = Float32Array | Float64Array;

export type ActivationName =
  | 'linear'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'softmax';

/** `alpha` is the negative slope of leaky_relu (Keras default 0.2) and the scale of elu (1.0); 0 otherwise. */
export interface Activation {
  name: ActivationName;
  alpha: number;
}

/** An initializer in Keras' terms, every parameter filled with Keras' default. */
export type Initializer =
  | { name: 'zeros' }
  | { name: 'ones' }
  | { name: 'constant'; value: number }
  | { name: 'random_normal'; mean: number; stddev: number }
  | { name: 'random_uniform'; minval: number; maxval: number }
  | { name: 'truncated_normal'; mean: number; stddev: number }
  | {
      name:
        | 'variance_scaling'
        | 'glorot_uniform'
        | 'glorot_normal'
        | 'he_uniform'
        | 'he_normal'
        | 'lecun_uniform'
        | 'lecun_normal';
      scale: number;
      mode: 'fan_in' | 'fan_out' | 'fan_avg';
      distribution: 'truncated_normal' | 'untruncated_normal' | 'uniform';
    }
  | { name: 'orthogonal'; gain: number }
  | { name: 'identity'; gain: number };

export type InitializerName = Initializer['name'];

/**
 * What an initializer draws once the tensor's shape is known. The GPU samples the first four
 * kinds itself; `orthogonal` and `identity` are computed on the CPU and uploaded.
 */
export type Sampler =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; stddev: number }
  /** Normal redrawn while |x - mean| > 2 stddev (Keras/TF truncated_normal). */
  | { kind: 'truncated_normal'; mean: number; stddev: number }
  | { kind: 'orthogonal'; gain: number }
  | { kind: 'identity'; gain: number };

export interface LayerConfig {
  units: number;
  activation: Activation;
  kernel_initializer: Initializer;
  bias_initializer: Initializer;
}

export type DatasetName = 'xor' | 'circle' | 'xor2d' | 'gauss' | 'spiral' | 'random' | 'mnist';

export interface DatasetConfig {
  name: DatasetName;
  /** Number of points (2-D sets and `random`); ignored by xor and mnist (mnist: at most 10,000). */
  samples: number;
  /** Noise level of the 2-D sets, in the classic playground's units (0 to 0.5). */
  noise: number;
  /** Input dimension of `random`. */
  dim: number;
  /** Number of classes of `random`. */
  classes: number;
  /** Fraction of samples held out for testing, in [0, 0.9]. */
  test_fraction: number;
}

export type LossName = 'mse' | 'binary_crossentropy' | 'categorical_crossentropy';

export type OptimizerConfig =
  | { name: 'sgd'; learning_rate: number; momentum: number; nesterov: boolean }
  | { name: 'adam'; learning_rate: number; beta_1: number; beta_2: number; epsilon: number }
  | { name: 'rmsprop'; learning_rate: number; rho: number; epsilon: number };

export interface RunConfig {
  seed: number;
  dataset: DatasetConfig;
  layers: LayerConfig[];
  loss: LossName;
  optimizer: OptimizerConfig;
  batch_size: number;
  epochs: number;
  log_every: number;
}

/** A dataset in memory: row-major inputs and targets already encoded for the output layer. */
export interface Dataset {
  name: DatasetName;
  /** Inputs, `n * inputDim` floats, row-major. */
  x: Float32Array;
  /** Class index of each row, `n` entries. */
  labels: Uint32Array;
  n: number;
  inputDim: number;
  classes: number;
}

/** A train/test pair as split by `test_fraction`. */
export interface SplitDataset {
  train: Dataset;
  test: Dataset | null;
}
