/**
 * @file The theory applied to a configured network: the std of every layer's pre-activations
 * and activations at initialization, as the engine's step-0 record measures them (over a batch
 * and all units), and the order-to-chaos status of its hidden layers.
 *
 * Per input row the pre-activations of a wide layer are, across its units, Gaussian with a mean
 * m and a variance v carried from layer to layer: the first layer's from the row itself
 * (m = E[W]·Σx + E[b], v = Var(W)·Σx² + Var(b)), every later one's from the previous layer's
 * moments (m = E[W]·fan_in·E[φ] + E[b], v = σ_w²·E[φ²] + σ_b²). With zero-mean weights this is
 * the length map of mean-field.ts; the means only matter for initializers such as `ones`.
 */
import type { LayerConfig } from '../types';
import { type TheoryActivation, theoryActivation } from './activation';
import { DEFAULT_POINTS, unitMoments } from './expectations';
import { type MeanField, meanField } from './mean-field';
import { type LayerVariances, layerVariances } from './weight-moments';

export interface LayerPrediction {
  /** Predicted std of the pre-activations over the batch and the units; null past an identity kernel. */
  preact_std: number | null;
  /** Predicted std of the activations; null also for softmax, which acts on whole rows. */
  act_std: number | null;
  variances: LayerVariances | null;
}

/** Mean and variance across units of one row's pre-activations. */
interface RowMoments {
  mean: number;
  variance: number;
}

/** The first layer's pre-activation moments of each row of `x` (rows × inputDim). */
function inputMoments(x: Float32Array, rows: number, inputDim: number, v: LayerVariances): RowMoments[] {
  const out: RowMoments[] = [];
  for (let r = 0; r < rows; r++) {
    let sum = 0,
      sumSq = 0;
    for (let k = 0; k < inputDim; k++) {
      const value = x[r * inputDim + k];
      sum += value;
      sumSq += value * value;
    }
    out.push({
      mean: (v.weightMean / inputDim) * sum + v.biasMean,
      variance: (v.weightVariance / inputDim) * sumSq + v.biasVariance,
    });
  }
  return out;
}

/** std over the batch and units of a mixture, given each row's E[x] and E[x²]. */
function pooledStd(means: number[], squares: number[]): number {
  const n = means.length;
  const mean = means.reduce((s, m) => s + m, 0) / n;
  const square = squares.reduce((s, m) => s + m, 0) / n;
  return Math.sqrt(Math.max(0, square - mean * mean));
}

/**
 * The predicted statistics of every layer for inputs `x` (the rows the record reduces over: the
 * engine's first batch). Bad initializer combinations throw the engine's ConfigError.
 */
export function predictLayers(
  layers: readonly LayerConfig[],
  inputDim: number,
  x: Float32Array,
  rows: number,
  points = DEFAULT_POINTS,
): LayerPrediction[] {
  const out: LayerPrediction[] = [];
  let fanIn = inputDim;
  let moments: RowMoments[] | null = null;
  let previous: TheoryActivation | null = null;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    const v = layerVariances(layer.kernel_initializer, layer.bias_initializer, fanIn, layer.units, `layers[${l}]`);
    if (!v) moments = null;
    else if (l === 0) moments = inputMoments(x, rows, inputDim, v);
    else if (moments && previous) moments = propagate(previous, moments, v, points);
    const act =
      layer.activation.name === 'softmax' ? null : theoryActivation(layer.activation, `layers[${l}].activation`);
    out.push({
      preact_std: moments
        ? pooledStd(
            moments.map((r) => r.mean),
            moments.map((r) => r.variance + r.mean * r.mean),
          )
        : null,
      act_std: moments && act ? actStd(act, moments, points) : null,
      variances: v,
    });
    previous = act;
    fanIn = layer.units;
  }
  return out;
}

/** The next layer's pre-activation moments from this layer's. */
function propagate(act: TheoryActivation, rows: RowMoments[], v: LayerVariances, points: number): RowMoments[] {
  return rows.map((row) => {
    const m = unitMoments(act, row.mean, row.variance, points);
    return { mean: v.weightMean * m.mean + v.biasMean, variance: v.weightVariance * m.square + v.biasVariance };
  });
}

function actStd(act: TheoryActivation, rows: RowMoments[], points: number): number {
  const m = rows.map((r) => unitMoments(act, r.mean, r.variance, points));
  return pooledStd(
    m.map((x) => x.mean),
    m.map((x) => x.square),
  );
}

/** The mean-field status of one hidden layer, or why there is none. */
export type LayerStatus =
  | ({ ok: true; weightVariance: number; biasVariance: number } & MeanField)
  | { ok: false; reason: string };

/**
 * χ₁, the phase and the depth scales of each hidden layer (every layer but the output), for the
 * zero-mean theory: σ_b² is the biases' second moment, so a constant bias counts by its square.
 */
export function hiddenLayerStatus(
  layers: readonly LayerConfig[],
  inputDim: number,
  points = DEFAULT_POINTS,
): LayerStatus[] {
  const cache = new Map<string, LayerStatus>();
  let fanIn = inputDim;
  return layers.slice(0, -1).map((layer, l) => {
    const v = layerVariances(layer.kernel_initializer, layer.bias_initializer, fanIn, layer.units, `layers[${l}]`);
    fanIn = layer.units;
    if (!v) return { ok: false, reason: 'identity weights are not random' };
    if (v.weightMean !== 0) return { ok: false, reason: 'the weights have a nonzero mean' };
    const biasVariance = v.biasVariance + v.biasMean ** 2;
    const key = JSON.stringify([layer.activation, v.weightVariance, biasVariance]);
    let status = cache.get(key);
    if (!status) {
      const act = theoryActivation(layer.activation, `layers[${l}].activation`);
      status = {
        ok: true,
        weightVariance: v.weightVariance,
        biasVariance,
        ...meanField({ act, weightVariance: v.weightVariance, biasVariance, points }),
      };
      cache.set(key, status);
    }
    return status;
  });
}
