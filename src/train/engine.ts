/**
 * @file What a training backend offers. Both the GPU engine (src/gpu/engine.ts) and the CPU
 * reference (src/train/cpu-engine.ts) implement `Engine`, so the CLI, the tests and the page
 * drive either the same way.
 */
import type { LayerStats } from '../core/stats';

export interface StepRecord {
  /** Number of updates applied so far; 0 is the record at initialization. */
  step: number;
  /** Completed epochs. */
  epoch: number;
  /** Mean training loss over the samples of the batches since the previous record, each before its update. */
  loss: number;
  accuracy: number;
  layers: LayerStats[];
}

export interface LayerWeights {
  /** Row-major (fanIn, units). */
  kernel: Float32Array;
  bias: Float32Array;
}

export interface Prediction {
  /** n × units pre-activations of the output layer. */
  z: Float32Array;
  /** n × units outputs. */
  a: Float32Array;
}

/**
 * A phase of building an engine, in order: `trials`, the GPU's product tuner timing kernel
 * variants on a device it has not measured (src/gpu/tuner.ts); `kernels`, its pipelines
 * compiled; `layers`, each layer's dispatches bound to its buffers (or made, on the CPU).
 */
type BuildPhase = 'trials' | 'kernels' | 'layers';

/** Each build phase in words, in the order a build goes through them (the page and the race say these). */
export const BUILD_PHASE_TEXT: Record<BuildPhase, string> = {
  trials: 'timing kernel variants on this device',
  kernels: 'compiling kernels',
  layers: 'setting up layers',
};

/** How far building an engine has got: `done` of the phase's `total`, reported as each one is done. */
export interface BuildProgress {
  phase: BuildPhase;
  done: number;
  total: number;
}

/**
 * What building an engine takes besides its config and data. An aborted `signal` makes the build
 * reject promptly with the signal's reason (an AbortError) and leave nothing allocated.
 */
export interface BuildOptions {
  signal?: AbortSignal;
  onProgress?: (progress: BuildProgress) => void;
}

/** The backends an engine runs on (src/engines/create.ts builds one for a name). */
export type BackendName = 'gpu' | 'cpu';

export interface Engine {
  readonly backend: BackendName;
  /** Human-readable name of what computes: the GPU adapter, or the CPU backend. */
  readonly adapter: string;
  /** Updates applied so far. */
  readonly step: number;
  /** Updates in the configured number of epochs. */
  readonly totalSteps: number;
  /**
   * Sets the initial weights (from the initializers, or `weights` when given) and returns the
   * step-0 record: one forward and backward pass on the first batch, no update.
   */
  init(weights?: LayerWeights[]): Promise<StepRecord>;
  /**
   * Applies `steps` more updates. Records every `log_every` steps, at the last configured step,
   * and at the end of this call. Resolves once every record has been delivered.
   */
  run(steps: number, onRecord: (r: StepRecord) => void, signal?: AbortSignal): Promise<void>;
  /** The current weights (a read-back on the GPU). */
  weights(): Promise<LayerWeights[]>;
  /**
   * The output layer's pre-activations and activations for `n` rows of inputs (row-major,
   * n × inputDim), with the current weights: for decision boundaries, test metrics and
   * predictions. Not part of the training loop: on the GPU it waits for its own read-back.
   */
  predict(x: Float32Array, n: number): Promise<Prediction>;
  dispose(): void;
}
