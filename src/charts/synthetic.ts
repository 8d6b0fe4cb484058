/**
 * @file Synthetic training records with the shapes real runs have, for the chart tests and the
 * fixture page: a deep net whose signal decays geometrically with depth (vanishing), one that
 * keeps unit variance, or one that grows (exploding), each drifting over training so that
 * streamed records visibly change the charts. Deterministic (no Math.random), no DOM.
 */
import { parseConfig } from '../core/config';
import { HIST_BINS, type Histogram, type LayerStats } from '../core/stats';
import type { ActivationName, RunConfig } from '../core/types';
import type { StepRecord } from '../train/engine';
import { TrainingHistory } from '../train/history';
import type { ChartRun } from './types';

export type Regime = 'vanishing' | 'healthy' | 'exploding';

/** Per-layer multiplier of the forward signal in each regime. */
const GAIN: Record<Regime, number> = { vanishing: 0.6, healthy: 1.0, exploding: 1.35 };

/** A config of `layers` layers (the last one a 1-unit sigmoid) for the circle dataset. */
export function syntheticConfig(layers: number, activation: ActivationName, initializer = 'glorot_uniform'): RunConfig {
  return parseConfig({
    dataset: { name: 'circle', samples: 400, test_fraction: 0.25 },
    layers: Array.from({ length: layers }, (_, l) =>
      l === layers - 1
        ? { units: 1, activation: 'sigmoid', kernel_initializer: initializer }
        : { units: 16, activation, kernel_initializer: initializer },
    ),
    loss: 'binary_crossentropy',
    optimizer: { name: 'sgd', learning_rate: 0.05 },
    log_every: 10,
  });
}

/** A smooth deterministic wiggle in [-1, 1] (stands in for noise). */
function wiggle(a: number, b: number): number {
  return Math.sin(a * 12.9898 + b * 78.233) * 0.5 + Math.sin(a * 0.37 + b * 1.7) * 0.5;
}

const erf = (x: number) => {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
const cdf = (x: number, mean: number, std: number) => 0.5 * (1 + erf((x - mean) / (std * Math.SQRT2)));

/** A histogram of `n` normal values, optionally rectified (relu: everything below 0 piles at 0). */
export function normalHist(mean: number, std: number, n: number, relu = false): Histogram {
  const min = relu ? 0 : mean - 3 * std,
    max = mean + 3 * std;
  const counts: number[] = [];
  for (let i = 0; i < HIST_BINS; i++) {
    const a = min + ((max - min) * i) / HIST_BINS,
      b = min + ((max - min) * (i + 1)) / HIST_BINS;
    counts.push(Math.round(n * (cdf(b, mean, std) - (relu && i === 0 ? 0 : cdf(a, mean, std)))));
  }
  return { min, max, counts };
}

/** The record of a run in `regime` with `layers` layers at `step`. */
export function syntheticRecord(regime: Regime, layers: number, step: number, activation: ActivationName): StepRecord {
  const t = 1 - Math.exp(-step / 1500);
  const g = GAIN[regime] * (regime === 'healthy' ? 1 : 1 + 0.04 * t);
  const relu = activation === 'relu';
  const stats: LayerStats[] = [];
  for (let l = 0; l < layers; l++) {
    const w = wiggle(l, step / 200);
    const std = g ** l * (1 + 0.15 * t + 0.03 * w);
    const gradStd = 0.02 * g ** (layers - 1 - l) * (1 - 0.5 * t) * (1 + 0.05 * w);
    const zero = relu ? Math.min(0.95, 0.5 + 0.35 * t * (l / layers) + 0.02 * w) : 0;
    const sat = !relu ? Math.max(0, Math.min(1, (std > 0.6 ? 0.3 * t : 0.02) + 0.01 * w)) : 0;
    const kstd = 0.3 * (1 + 0.2 * t);
    stats.push({
      act_mean: relu ? std * 0.4 : 0.05 * w,
      act_std: std,
      act_min: -3 * std,
      act_max: 3 * std,
      zero_frac: zero,
      saturated_frac: sat,
      act_hist: normalHist(0.1 * w * std, std, 512, relu),
      preact_mean: 0.02 * w,
      preact_std: std * 1.2,
      grad_std: gradStd,
      kernel_grad_norm: gradStd * 8,
      kernel_norm: kstd * 16,
      kernel_mean: 0.01 * w,
      kernel_std: kstd,
      update_ratio: 1e-3 * (1 - 0.8 * t) * (1 + 0.1 * w),
      kernel_hist: normalHist(0, kstd, 256),
      grad_hist: normalHist(0, gradStd, 512),
      max_unit_diff: kstd * 4,
    });
  }
  const loss = 0.69 * Math.exp(-step / (regime === 'healthy' ? 600 : 3000)) + 0.04 + 0.01 * wiggle(step, 1);
  return { step, epoch: Math.floor(step / 10), loss, accuracy: Math.min(1, 1.05 - loss), layers: stats };
}

export interface SyntheticRun extends ChartRun {
  regime: Regime;
  activation: ActivationName;
}

export function syntheticRun(
  id: string,
  label: string,
  color: string,
  regime: Regime,
  layers = 12,
  activation: ActivationName = regime === 'healthy' ? 'relu' : 'tanh',
): SyntheticRun {
  return {
    id,
    label,
    color,
    regime,
    activation,
    cfg: syntheticConfig(layers, activation),
    history: new TrainingHistory(),
  };
}

/** Appends the record at `step`, with test metrics every 5th record (as a page evaluating sparsely would). */
export function pushSynthetic(run: SyntheticRun, step: number): void {
  const r = syntheticRecord(run.regime, run.cfg.layers.length, step, run.activation);
  const test = (step / 10) % 5 === 0 ? { loss: r.loss * 1.15, accuracy: r.accuracy - 0.03 } : undefined;
  run.history.push(r, test);
}
