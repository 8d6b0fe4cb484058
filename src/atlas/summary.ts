/**
 * @file What a population's outcomes mean for each mode: success rates, median epochs and epoch
 * histograms (overall and per initializer-table row), and the basin map's grid. Pure functions
 * of a config and a `PopulationResult`, shared by the CLI, the exports and the view.
 */
import { initializerToKeras } from '../core/initializers';
import type { Initializer } from '../core/types';
import { axisValues } from './init';
import { paramIndex, paramName } from './network';
import type { AtlasConfig, BasinMode, NetShape, PopulationResult } from './types';

/** Bins of every epoch histogram, over [0, epochs]. */
const HISTOGRAM_BINS = 20;

export interface OutcomeSummary {
  networks: number;
  converged: number;
  /** converged / networks. */
  success_rate: number;
  /** Median epoch of the converged networks (null when none converged). */
  median_epoch: number | null;
  /** Converged networks per epoch bin: bin b holds epochs in [b·w, (b+1)·w), w = (epochs + 1) / bins. */
  histogram: number[];
}

/** Summary of networks [first, first + count). */
export function summarize(epoch: Int32Array, epochs: number, first = 0, count = epoch.length): OutcomeSummary {
  const hist = new Array<number>(HISTOGRAM_BINS).fill(0);
  const ok: number[] = [];
  for (let n = first; n < first + count; n++) {
    const e = epoch[n];
    if (e < 0) continue;
    ok.push(e);
    hist[Math.min(HISTOGRAM_BINS - 1, Math.floor((e * HISTOGRAM_BINS) / (epochs + 1)))]++;
  }
  ok.sort((a, b) => a - b);
  const m = ok.length;
  const median = m === 0 ? null : m % 2 ? ok[(m - 1) / 2] : (ok[m / 2 - 1] + ok[m / 2]) / 2;
  return { networks: count, converged: m, success_rate: count ? m / count : 0, median_epoch: median, histogram: hist };
}

export interface TableRow extends OutcomeSummary {
  /** The initializer's identifier, and its Keras form for a faithful export. */
  initializer: string;
  keras: ReturnType<typeof initializerToKeras>;
  scale: number;
  /** Mean final loss of the row's networks (NaN-free: diverged networks are left out). */
  mean_final_loss: number;
}

/** The initializer table: one row per (initializer, scale), in config order. */
export function initializerTable(cfg: AtlasConfig, r: PopulationResult): TableRow[] {
  const m = cfg.mode;
  if (m.mode !== 'initializers') return [];
  const rows: TableRow[] = [];
  m.initializers.forEach((init: Initializer) => {
    for (const scale of m.scales) {
      const first = rows.length * m.seeds;
      let lossSum = 0,
        finite = 0;
      for (let n = first; n < first + m.seeds; n++) {
        if (Number.isFinite(r.finalLoss[n])) {
          lossSum += r.finalLoss[n];
          finite++;
        }
      }
      rows.push({
        initializer: init.name,
        keras: initializerToKeras(init),
        scale,
        ...summarize(r.epoch, cfg.epochs, first, m.seeds),
        mean_final_loss: finite ? lossSum / finite : NaN,
      });
    }
  });
  return rows;
}

interface BasinAxis {
  name: string;
  param: number;
  range: [number, number];
  values: number[];
}

export interface BasinMap {
  resolution: number;
  x: BasinAxis;
  y: BasinAxis;
  /** res × res epochs to converge (NEVER for failures), row j = y cell j (bottom row first). */
  epoch: Int32Array;
  finalLoss: Float32Array;
}

export function basinMap(cfg: AtlasConfig, shape: NetShape, r: PopulationResult): BasinMap | null {
  const m = cfg.mode;
  if (m.mode !== 'basin') return null;
  const axis = (i: 0 | 1): BasinAxis => {
    const a = (m as BasinMode).axes[i],
      p = paramIndex(shape, a);
    return {
      name: paramName(shape, p),
      param: p,
      range: a.range,
      values: Array.from(axisValues(a.range, m.resolution)),
    };
  };
  return { resolution: m.resolution, x: axis(0), y: axis(1), epoch: r.epoch, finalLoss: r.finalLoss };
}
