/**
 * @file The one entry point for data: builds the dataset a config names, deterministically from
 * the run seed, and splits it into train/test. Everything random comes from the counter RNG
 * (stream `dataset` for the points, `split` for the hold-out), so one seed gives bit-identical
 * data in the browser and the CLI.
 */
import { ConfigError } from '../errors';
import { permutation, Stream } from '../rng';
import type { Dataset, DatasetConfig, DatasetName, SplitDataset } from '../types';
import { decodeMnist, readMnistFile, takeRows } from './mnist';
import { makePlane } from './plane';
import { makeRandom } from './random';
import { makeXor } from './xor';

export { decodeMnist } from './mnist';

/** Shape and purpose of each set; null where it comes from the config (`random`). */
export const DATASET_INFO: Record<
  DatasetName,
  { inputDim: number | null; classes: number | null; description: string }
> = {
  xor: { inputDim: 2, classes: 2, description: 'The 4 corners of the unit square labelled by XOR.' },
  circle: {
    inputDim: 2,
    classes: 2,
    description: 'A disc of radius 2.5 (class 1) inside a ring from 3.5 to 5 (class 0).',
  },
  xor2d: {
    inputDim: 2,
    classes: 2,
    description: 'Points in [-5.3, 5.3]^2 off the axes; class 1 in the quadrants where x*y >= 0.',
  },
  gauss: { inputDim: 2, classes: 2, description: 'Two Gaussian clusters at (2, 2) (class 1) and (-2, -2) (class 0).' },
  spiral: { inputDim: 2, classes: 2, description: 'Two interleaved spirals of 1.75 turns.' },
  random: {
    inputDim: null,
    classes: null,
    description: 'N(0, 1) inputs of width `dim` with uniform random labels over `classes`.',
  },
  mnist: { inputDim: 784, classes: 10, description: '10,000 handwritten 28x28 digits, pixels in [0, 1].' },
};

export interface LoadOptions {
  /** Bytes of mnist.bin; the browser passes a fetch of /data/mnist.bin. Node reads the file when absent. */
  mnist?: () => Promise<ArrayBuffer>;
}

async function generate(cfg: DatasetConfig, seed: number, opts: LoadOptions): Promise<Dataset> {
  switch (cfg.name) {
    case 'xor':
      return makeXor();
    case 'circle':
    case 'xor2d':
    case 'gauss':
    case 'spiral':
      return makePlane(cfg.name, cfg.samples, cfg.noise, seed);
    case 'random':
      return makeRandom(cfg.samples, cfg.dim, cfg.classes, seed);
    case 'mnist': {
      const buf = await (opts.mnist ?? readMnistFile)();
      return takeRows(decodeMnist(buf), cfg.samples);
    }
  }
}

/** The rows of `ds` listed in `rows`, in that order. */
function pick(ds: Dataset, rows: Uint32Array): Dataset {
  const d = ds.inputDim;
  const x = new Float32Array(rows.length * d);
  const labels = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    x.set(ds.x.subarray(r * d, r * d + d), i * d);
    labels[i] = ds.labels[r];
  }
  return { ...ds, x, labels, n: rows.length };
}

/**
 * Builds and splits the dataset. With test_fraction > 0 the rows are permuted (seed, stream
 * `split`) and the last round(n * test_fraction) permuted rows form the test set; the train
 * set keeps the rest in permuted order. With no test rows, train is the set as generated.
 */
export async function loadDataset(cfg: DatasetConfig, seed: number, opts: LoadOptions = {}): Promise<SplitDataset> {
  if (cfg.name === 'xor' && cfg.test_fraction > 0) {
    throw new ConfigError(
      'dataset.test_fraction',
      `must be 0 for xor (it has only 4 points), got ${cfg.test_fraction}`,
    );
  }
  const ds = await generate(cfg, seed, opts);
  const nTest = Math.round(ds.n * cfg.test_fraction);
  if (nTest === 0) return { train: ds, test: null };
  if (nTest >= ds.n) {
    throw new ConfigError('dataset.test_fraction', `leaves no training rows out of ${ds.n}, got ${cfg.test_fraction}`);
  }
  const perm = permutation(ds.n, seed, Stream.split, 0);
  const nTrain = ds.n - nTest;
  return { train: pick(ds, perm.subarray(0, nTrain)), test: pick(ds, perm.subarray(nTrain)) };
}

/**
 * Targets for an output layer of `units` units, `labels.length * units` floats: with one unit
 * the label itself (0 or 1, a binary problem), otherwise one-hot.
 */
export function targetsFor(labels: Uint32Array, units: number): Float32Array {
  const t = new Float32Array(labels.length * units);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (units === 1) {
      if (l > 1)
        throw new RangeError(
          `targetsFor: label ${l} at row ${i} needs more than one output unit (one unit encodes only classes 0 and 1)`,
        );
      t[i] = l;
    } else {
      if (l >= units)
        throw new RangeError(`targetsFor: label ${l} at row ${i} does not fit an output layer of ${units} units`);
      t[i * units + l] = 1;
    }
  }
  return t;
}
