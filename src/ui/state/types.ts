/**
 * @file The shapes of the page's state: what a link carries (PageState), the phases of the
 * training loop, the runs, the model's drawn output, and what the store needs from its
 * environment (StoreDeps). Types only, so views and lessons can name them without the store.
 */
import type { Extent } from '../../charts/boundary-data';
import type { ChartRun } from '../../charts/types';
import type { Dataset, Initializer, RunConfig } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import type { BackendName, Engine } from '../../train/engine';

export type Mode = 'single' | 'compare';

/** Everything a link carries (see src/ui/url-state.ts for its encoding). */
export interface PageState {
  config: RunConfig;
  backend: BackendName;
  mode: Mode;
  /** Kernel initializers trained side by side in compare mode. */
  compare: Initializer[];
  /** Loss a run must reach to count in "steps to target". */
  target: number;
  /** Id of the lesson the config came from, for its text; null when none. */
  lesson: string | null;
  /** Start training once loaded (read from the URL, never written back). */
  run: boolean;
}

/** `cancelled`: the user gave up a build; nothing is built until an edit, Play or Build again. */
export type Phase = 'starting' | 'building' | 'cancelled' | 'ready' | 'playing' | 'paused' | 'done' | 'error' | 'lost';

export interface GpuInfo {
  status: 'pending' | 'ready' | 'unavailable' | 'lost';
  /** The adapter's description when ready. */
  adapter: string | null;
  /** Why there is no usable GPU, when unavailable or lost. */
  reason: string | null;
}

export interface RunState extends ChartRun {
  engine: Engine | null;
  /** The compared kernel initializer; null for the single run. */
  init: Initializer | null;
  /** First recorded step whose loss was at or below the target. */
  stepsToTarget: number | null;
}

/** The model's output over the input plane, and the update it was computed after. */
export interface BoundaryView {
  /** P(class 1) per cell for two classes, `classes` probabilities per cell for more (boundary-data.ts). */
  grid: Float32Array;
  classes: number;
  gridSize: number;
  extent: Extent;
  step: number;
}

/** A user's CSV file standing in for the dataset (see src/core/datasets/csv.ts). */
export interface CsvSource {
  fileName: string;
  header: boolean;
  data: Dataset;
}

export interface StoreDeps {
  /** A WebGPU device, or why there is none. `onLost` runs if the device is lost later. */
  acquireDevice(
    onLost: (message: string) => void,
  ): Promise<{ device: GPUDevice; adapter: string } | { unavailable: string }>;
  /** Builds an engine (the page runs CPU engines in a worker; tests run them in-thread). */
  createEngine(cfg: RunConfig, data: Dataset, opts: EngineOptions): Promise<Engine>;
  /** Bytes of mnist.bin. */
  loadMnist(): Promise<ArrayBuffer>;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Run labels for compare mode (initializer text); kept out of the store to keep it UI-free. */
  label(init: Initializer): string;
  /** Run colours by index. */
  color(i: number): string;
}
