/**
 * @file The training set of an atlas as both trainers read it: `samples` rows of
 * (x_0, ..., x_{D-1}, y), y the 0/1 label, in the order the dataset generates them. Every network
 * sees the full batch in this order every epoch (no shuffling: a full batch's gradient does not
 * depend on the order, and a fixed order keeps the float32 sums identical across epochs).
 */
import { loadDataset } from '../core/datasets';
import type { AtlasConfig } from './types';

export interface AtlasData {
  samples: number;
  inputDim: number;
  /** samples × (inputDim + 1) floats. */
  rows: Float32Array;
}

export async function atlasData(cfg: AtlasConfig): Promise<AtlasData> {
  const ds = (await loadDataset(cfg.dataset, cfg.seed)).train;
  const w = ds.inputDim + 1;
  const rows = new Float32Array(ds.n * w);
  for (let i = 0; i < ds.n; i++) {
    rows.set(ds.x.subarray(i * ds.inputDim, (i + 1) * ds.inputDim), i * w);
    rows[i * w + ds.inputDim] = ds.labels[i];
  }
  return { samples: ds.n, inputDim: ds.inputDim, rows };
}
