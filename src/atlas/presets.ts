/**
 * @file Ready-made atlas configs for the view's picker and the docs: each a JSON document as a
 * user would write it (parseAtlasConfig checks them in the tests), small enough for a laptop GPU
 * to answer in seconds.
 */

import { XOR_LESSON } from '../core/xor-lesson';

const U = (r: number) => ({ name: 'random_uniform', minval: -r, maxval: r });
const XOR_221 = [
  { units: 2, activation: 'sigmoid', kernel_initializer: U(1), bias_initializer: U(1) },
  { units: 1, activation: 'sigmoid', kernel_initializer: U(1), bias_initializer: U(1) },
];

interface AtlasPreset {
  id: string;
  title: string;
  config: Record<string, unknown>;
}

export const ATLAS_PRESETS: readonly AtlasPreset[] = [
  {
    id: 'xor-basin',
    title: 'XOR 2-2-1: basin of two hidden weights (Kolen & Pollack)',
    config: {
      seed: 3,
      dataset: { name: 'xor' },
      layers: XOR_221,
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 4 },
      epochs: 300,
      criterion: { loss_below: 0.05 },
      mode: 'basin',
      axes: [
        { layer: 0, row: 0, col: 0 },
        { layer: 0, row: 1, col: 0 },
      ],
      range: [-10, 10],
      resolution: 128,
    },
  },
  {
    id: 'xor-initializers',
    title: 'XOR 2-2-1: which initializer, at which scale, converges',
    config: {
      ...XOR_LESSON,
      seed: 1,
      epochs: 1000,
      criterion: 'all_correct',
      mode: 'initializers',
      scales: [0.25, 0.5, 1, 2, 4, 8],
      seeds: 512,
    },
  },
  {
    id: 'xor-som',
    title: 'XOR 2-2-1: SOM of 16,384 initial weight vectors (Adam, Karras & Vrahatis)',
    config: {
      seed: 1,
      dataset: { name: 'xor' },
      layers: XOR_221,
      loss: 'mse',
      optimizer: { name: 'sgd', learning_rate: 2 },
      epochs: 1000,
      criterion: { loss_below: 0.02 },
      mode: 'population',
      size: 16384,
      init: { kernel: U(4), bias: U(4) },
      som: { rows: 12, cols: 12, iterations: 30 },
    },
  },
  {
    id: 'circle-basin',
    title: 'circle 2-4-1 tanh: basin of an output weight and its bias',
    config: {
      seed: 2,
      dataset: { name: 'circle', samples: 64, noise: 0 },
      layers: [
        { units: 4, activation: 'tanh', bias_initializer: U(1) },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      optimizer: { name: 'sgd', learning_rate: 0.5, momentum: 0.5 },
      epochs: 300,
      criterion: { loss_below: 0.2 },
      mode: 'basin',
      axes: [
        { layer: 1, row: 0, col: 0 },
        { layer: 1, bias: 0 },
      ],
      range: [-8, 8],
      resolution: 96,
    },
  },
];
