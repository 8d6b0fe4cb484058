/**
 * @file What the page draws from `engine.predict`: P(class 1) over a grid of the input plane for
 * the 2-D sets, and predicted digits for MNIST. The probability is read the way the accuracy
 * metric reads the output (threshold ½ on one unit, argmax on several), so the drawn boundary is
 * the one the accuracy counts.
 */
import type { Dataset } from '../../core/types';
import type { Engine } from '../../train/engine';

/** P(class 1) per row from n × units outputs. */
export function classOneProbability(a: Float32Array, n: number, units: number): Float32Array {
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
