/**
 * @file What the mean-field theory needs of a Keras initializer: the mean and variance of one
 * drawn element, taken from the sampler the engine itself draws from (resolveSampler: Keras'
 * fan arithmetic), and from them σ_w² (the weights' variance times fan_in) and σ_b².
 */
import { resolveSampler, TRUNCATION_CORRECTION } from '../initializers';
import type { Initializer, Sampler } from '../types';

interface ElementMoments {
  mean: number;
  variance: number;
}

/**
 * Mean and variance of one element a sampler draws into a tensor of `shape`; null for the
 * identity, whose elements are not random at all (the theory says nothing about it).
 */
export function samplerMoments(s: Sampler, shape: readonly number[]): ElementMoments | null {
  switch (s.kind) {
    case 'constant':
      return { mean: s.value, variance: 0 };
    case 'uniform':
      return { mean: (s.min + s.max) / 2, variance: (s.max - s.min) ** 2 / 12 };
    case 'normal':
      return { mean: s.mean, variance: s.stddev ** 2 };
    case 'truncated_normal':
      // A normal truncated at two standard deviations keeps TRUNCATION_CORRECTION² of its variance.
      return { mean: s.mean, variance: (s.stddev * TRUNCATION_CORRECTION) ** 2 };
    case 'orthogonal':
      // Orthonormal rows or columns of length max(rows, cols): each element's variance is 1/max.
      return { mean: 0, variance: s.gain ** 2 / Math.max(...shape) };
    case 'identity':
      return null;
  }
}

/** One layer's weights and biases in the theory's terms. */
export interface LayerVariances {
  /** σ_w² = Var(W)·fan_in. */
  weightVariance: number;
  /** E[W]·fan_in: 0 for every zero-mean initializer. */
  weightMean: number;
  /** σ_b² = Var(b). */
  biasVariance: number;
  biasMean: number;
}

/**
 * σ_w², σ_b² and the means of a Dense layer's initializers; null where the kernel is the
 * identity. `path` names the layer in the ConfigError of a matrix initializer given to a bias.
 */
export function layerVariances(
  kernel: Initializer,
  bias: Initializer,
  fanIn: number,
  units: number,
  path = 'layers[0]',
): LayerVariances | null {
  const w = samplerMoments(resolveSampler(kernel, [fanIn, units], `${path}.kernel_initializer`), [fanIn, units]);
  const b = samplerMoments(resolveSampler(bias, [units], `${path}.bias_initializer`), [units]);
  if (!w || !b) return null;
  return {
    weightVariance: w.variance * fanIn,
    weightMean: w.mean * fanIn,
    biasVariance: b.variance,
    biasMean: b.mean,
  };
}
