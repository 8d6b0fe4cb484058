/**
 * @file The order-to-chaos phase diagram of one activation (Poole et al. 2016, their figure 2):
 * χ₁ over the (σ_w², σ_b²) plane, cell by cell, and the critical line χ₁ = 1. Computed a row at a
 * time so a page can draw it as it comes and stop when it is no longer wanted.
 */
import type { TheoryActivation } from './activation';
import { chi1, criticalWeightVariance, fixedLength } from './mean-field';

export interface PhasePlane {
  /** σ_w² from, to (cell edges). */
  weight: [number, number];
  /** σ_b² from, to. */
  bias: [number, number];
  columns: number;
  rows: number;
}

/** The centre of cell `i` of `n` over [lo, hi]. */
export function cellCentre(range: [number, number], n: number, i: number): number {
  return range[0] + ((i + 0.5) / n) * (range[1] - range[0]);
}

/** χ₁ at every column of row `row` (σ_b² fixed), at the cells' centres. */
export function chiRow(act: TheoryActivation, plane: PhasePlane, row: number, points: number): Float64Array {
  const biasVariance = cellCentre(plane.bias, plane.rows, row);
  const out = new Float64Array(plane.columns);
  for (let c = 0; c < plane.columns; c++) {
    const p = { act, weightVariance: cellCentre(plane.weight, plane.columns, c), biasVariance, points };
    out[c] = chi1(p, fixedLength(p));
  }
  return out;
}

/** The critical σ_w² at `count` values of σ_b² spanning the plane's edges (null where there is none). */
export function criticalLine(
  act: TheoryActivation,
  plane: PhasePlane,
  count: number,
  points: number,
): { biasVariance: number; weightVariance: number | null }[] {
  return Array.from({ length: count }, (_, i) => {
    const biasVariance = plane.bias[0] + (i / (count - 1)) * (plane.bias[1] - plane.bias[0]);
    return { biasVariance, weightVariance: criticalWeightVariance(act, biasVariance, points) };
  });
}
