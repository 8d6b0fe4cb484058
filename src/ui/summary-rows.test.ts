/** @file Model summary rows match what Keras prints for the same Sequential model. */
import { expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { formatBytes, summaryRows } from './summary-rows';

it('names, shapes and counts Dense layers like Keras', () => {
  const cfg = parseConfig({
    dataset: 'mnist',
    layers: [
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'categorical_crossentropy',
  });
  expect(summaryRows(cfg)).toEqual([
    { name: 'dense', type: 'Dense, relu', shape: '(None, 128)', params: 100480 },
    { name: 'dense_1', type: 'Dense, softmax', shape: '(None, 10)', params: 1290 },
  ]);
  // Keras: "Total params: 101,770 (397.54 KB)".
  expect(formatBytes(101770 * 4)).toBe('397.54 KB');
});
