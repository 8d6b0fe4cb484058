/**
 * @file The recorded statistics of one run as columns, ready for uPlot (`[xs, ys1, ys2 ...]`).
 *
 * A run may log millions of steps; the page must hold all of its curve in bounded memory. Each
 * column keeps at most `capacity` points: when full, every second point is dropped and from then
 * on only every `stride`-th record is kept, so the whole run stays visible at a resolution that
 * halves as it grows (the first and the latest record are always kept separately). No DOM here.
 */
import type { LayerStats } from '../core/stats';
import type { StepRecord } from './engine';

/** The scalar statistics charted per layer against step. */
export const LAYER_SERIES = [
  'act_mean',
  'act_std',
  'zero_frac',
  'saturated_frac',
  'preact_std',
  'grad_std',
  'kernel_grad_norm',
  'kernel_norm',
  'kernel_std',
  'update_ratio',
  'max_unit_diff',
] as const satisfies readonly (keyof LayerStats)[];
export type LayerSeries = (typeof LAYER_SERIES)[number];

/** Loss and accuracy over every sample of a set (the training or the test set). */
export interface SetMetrics {
  loss: number;
  accuracy: number;
}

/**
 * The whole training set's (and test set's) loss and accuracy at one step: unlike a record's
 * figures, which average the batches since the previous record, each taken before its update.
 */
export interface Evaluation {
  step: number;
  train: SetMetrics;
  test: SetMetrics | null;
}

export class TrainingHistory {
  step: number[] = [];
  loss: number[] = [];
  accuracy: number[] = [];
  /** NaN where no test split exists or it was not evaluated at that record. */
  testLoss: number[] = [];
  testAccuracy: number[] = [];
  /** layers[l][series] is a column aligned with `step`. */
  layers: Record<LayerSeries, number[]>[] = [];
  /** The record at initialization and the latest one, with histograms. */
  initial: StepRecord | null = null;
  latest: StepRecord | null = null;
  latestTest: SetMetrics | null = null;
  /** The latest evaluation on whole sets (see noteEvaluation). */
  evaluation: Evaluation | null = null;
  /** Bumped on every change: a chart redraws when the version it drew is stale. */
  version = 0;
  private stride = 1;
  private seen = 0;

  constructor(readonly capacity = 4000) {}

  clear(): void {
    this.step = [];
    this.loss = [];
    this.accuracy = [];
    this.testLoss = [];
    this.testAccuracy = [];
    this.layers = [];
    this.initial = null;
    this.latest = null;
    this.latestTest = null;
    this.evaluation = null;
    this.stride = 1;
    this.seen = 0;
    this.version++;
  }

  push(r: StepRecord, test?: SetMetrics): void {
    if (!this.initial || r.step === 0) this.initial = r;
    this.latest = r;
    if (test) this.latestTest = test;
    if (this.layers.length !== r.layers.length) {
      this.layers = r.layers.map(
        () => Object.fromEntries(LAYER_SERIES.map((k) => [k, []])) as unknown as Record<LayerSeries, number[]>,
      );
    }
    this.version++;
    if (this.seen++ % this.stride !== 0) return;
    this.step.push(r.step);
    this.loss.push(r.loss);
    this.accuracy.push(r.accuracy);
    this.testLoss.push(test ? test.loss : NaN);
    this.testAccuracy.push(test ? test.accuracy : NaN);
    r.layers.forEach((L, l) => {
      for (const k of LAYER_SERIES) this.layers[l][k].push(L[k]);
    });
    if (this.step.length >= this.capacity) this.halve();
  }

  /** An evaluation at the latest record: its test metrics join that record's test columns. */
  noteEvaluation(ev: Evaluation): void {
    this.evaluation = ev;
    if (ev.test) {
      this.latestTest = ev.test;
      const last = this.step.length - 1;
      if (last >= 0 && this.step[last] === ev.step) {
        this.testLoss[last] = ev.test.loss;
        this.testAccuracy[last] = ev.test.accuracy;
      }
    }
    this.version++;
  }

  private halve(): void {
    const keep = <T>(a: T[]) => a.filter((_, i) => i % 2 === 0);
    this.step = keep(this.step);
    this.loss = keep(this.loss);
    this.accuracy = keep(this.accuracy);
    this.testLoss = keep(this.testLoss);
    this.testAccuracy = keep(this.testAccuracy);
    for (const L of this.layers) for (const k of LAYER_SERIES) L[k] = keep(L[k]);
    this.stride *= 2;
  }
}
