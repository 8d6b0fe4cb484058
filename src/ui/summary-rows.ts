/**
 * @file The rows of the Keras-style model summary, as `model.summary()` names and counts them.
 */
import type { RunConfig } from '../core/types';
import { layerShapes } from '../train/model';

interface SummaryRow {
  name: string;
  type: string;
  shape: string;
  params: number;
}

/** Keras names Dense layers dense, dense_1, dense_2, ... */
export function summaryRows(cfg: RunConfig): SummaryRow[] {
  return layerShapes(cfg).map((s, i) => ({
    name: i === 0 ? 'dense' : `dense_${i}`,
    type: `Dense, ${cfg.layers[i].activation.name}`,
    shape: `(None, ${s.units})`,
    params: s.fanIn * s.units + s.units,
  }));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toFixed(2)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(2)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(2)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
