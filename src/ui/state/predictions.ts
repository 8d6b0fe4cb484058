/**
 * @file What the page draws from `engine.predict`: class probabilities over a grid of the input
 * plane for the 2-D sets (P(class 1) for two classes, one per class for more), and predicted
 * digits for MNIST. The output is read the way the accuracy metric reads it (threshold ½ on one
 * unit, argmax on several), so the drawn boundary is the one the accuracy counts.
 */
import { type Extent, gridInputs } from '../../charts/boundary-data';
import type { Dataset } from '../../core/types';
import type { Engine } from '../../train/engine';

/** P(class 1) per row from n × units outputs. */
function classOneProbability(a: Float32Array, n: number, units: number): Float32Array {
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (units === 1) {
      p[i] = Math.min(1, Math.max(0, a[i]));
    } else {
      const a0 = a[i * units],
        a1 = a[i * units + 1];
      const s = a0 + a1;
      // Softmax outputs sum to 1; for other two-unit outputs fall back to which unit wins.
      p[i] = a0 >= 0 && a1 >= 0 && s > 0 ? a1 / s : a1 > a0 ? 1 : 0;
    }
  }
  return p;
}

/**
 * n × units outputs as probabilities per row, keeping each row's argmax: outputs that are
 * non-negative with a positive sum (softmax, sigmoid) are normalized, others go through a softmax.
 */
export function classProbabilities(a: Float32Array, n: number, units: number): Float32Array {
  const p = new Float32Array(n * units);
  for (let i = 0; i < n; i++) {
    const row = a.subarray(i * units, (i + 1) * units);
    let sum = 0,
      max = -Infinity,
      negative = false;
    for (const v of row) {
      sum += v;
      max = Math.max(max, v);
      negative ||= v < 0;
    }
    if (!negative && sum > 0) {
      for (let j = 0; j < units; j++) p[i * units + j] = row[j] / sum;
      continue;
    }
    let z = 0;
    for (let j = 0; j < units; j++) z += Math.exp(row[j] - max);
    for (let j = 0; j < units; j++) p[i * units + j] = Math.exp(row[j] - max) / z;
  }
  return p;
}

/** The model's output over the g × g grid of `extent`: P(class 1) per cell for 1 or 2 units, else `units` per cell. */
export async function predictBoundary(
  engine: Engine,
  extent: Extent,
  g: number,
  units: number,
): Promise<{ grid: Float32Array; classes: number }> {
  const { a } = await engine.predict(gridInputs(extent, g), g * g);
  return units <= 2
    ? { grid: classOneProbability(a, g * g, units), classes: 2 }
    : { grid: classProbabilities(a, g * g, units), classes: units };
}

/** Argmax per row (first maximum, as the accuracy metric). */
export function argmaxRows(a: Float32Array, n: number, units: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < units; j++) if (a[i * units + j] > a[i * units + best]) best = j;
    out[i] = best;
  }
  return out;
}

export interface DigitSample {
  images: Float32Array;
  labels: Uint32Array;
  predicted: Uint32Array;
}

/** The first `count` rows of `data` with the engine's predicted classes. */
export async function predictDigits(engine: Engine, data: Dataset, count: number, units: number): Promise<DigitSample> {
  const n = Math.min(count, data.n);
  const images = data.x.slice(0, n * data.inputDim);
  const { a } = await engine.predict(images, n);
  return { images, labels: data.labels.slice(0, n), predicted: argmaxRows(a, n, units) };
}
