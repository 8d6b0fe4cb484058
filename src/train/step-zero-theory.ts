/**
 * @file The theory's prediction of a run's step-0 record: the mean-field per-layer statistics
 * (src/core/theory/prediction.ts) over the very rows the record reduces, the first batch of the
 * run's schedule, so the two can be laid over each other.
 */
import { type LayerPrediction, predictLayers } from '../core/theory/prediction';
import type { Dataset, RunConfig } from '../core/types';
import { Schedule } from './schedule';

/** The first batch's inputs, row-major, and how many rows it has. */
function firstBatch(cfg: RunConfig, data: Dataset): { x: Float32Array; rows: number } {
  const rows = new Schedule(data.n, cfg.batch_size, cfg.epochs, cfg.seed, cfg.log_every).rowsOf(1);
  const d = data.inputDim;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    x.set(data.x.subarray(r * d, r * d + d), i * d);
  });
  return { x, rows: rows.length };
}

/** Predicted preact_std and act_std of every layer at step 0. */
export function predictStepZero(cfg: RunConfig, data: Dataset, points?: number): LayerPrediction[] {
  const { x, rows } = firstBatch(cfg, data);
  return predictLayers(cfg.layers, data.inputDim, x, rows, points);
}
