/**
 * @file The four-point XOR problem, the smallest set no linear model can fit: the corners of
 * the unit square in a fixed order, so runs on it are comparable point by point.
 */
import type { Dataset } from '../types';

/** (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0. Takes no randomness and ignores samples/noise. */
export function makeXor(): Dataset {
  return {
    name: 'xor',
    x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]),
    labels: new Uint32Array([0, 1, 1, 0]),
    n: 4,
    inputDim: 2,
    classes: 2,
  };
}
