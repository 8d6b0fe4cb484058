/**
 * @file Pure noise: standard-normal inputs with uniform random labels. Nothing can be learned
 * from it, which is the point: it shows how fast a network memorizes, and gives inputs with
 * exactly unit variance for studying how initializers propagate signal through depth.
 */
import { CounterRng, Stream } from '../rng';
import type { Dataset } from '../types';

/**
 * `samples` rows of `dim` N(0,1) inputs and labels uniform over [0, classes).
 * Draws: input (i, j) is normal at index i*dim+j, attempt 0; label i is below(classes) at
 * index i, attempt 1, so no counter is used twice.
 */
export function makeRandom(samples: number, dim: number, classes: number, seed: number): Dataset {
  const rng = new CounterRng(seed, 0, Stream.dataset);
  const x = new Float32Array(samples * dim);
  const labels = new Uint32Array(samples);
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < dim; j++) x[i * dim + j] = rng.normal(i * dim + j, 0);
    labels[i] = rng.below(classes, i, 1);
  }
  return { name: 'random', x, labels, n: samples, inputDim: dim, classes };
}
