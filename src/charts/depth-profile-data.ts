/**
 * @file The model of <depth-profile-chart>: how the forward signal (activation std) and the
 * backward signal (gradient std) change from layer to layer, now (solid) and at initialization
 * (dashed), on log axes. A healthy network is a flat line; vanishing signals fall as a straight
 * line on a log axis (geometric decay), exploding ones rise. The per-layer factor fitted here
 * puts a number and a word on that slope. Beside the measurement, dotted, the mean-field
 * theory's prediction of the activation std at initialization, with each run's χ₁ and phase.
 */
import type { StepRecord } from '../train/engine';
import { type Cell, clean, joinTables, type Table, zeroFloor } from './columns';
import { INK, MUTED } from './palette';
import { formatValue } from './scale';
import type { LegendItem, PlotModel, SeriesSpec } from './spec';
import type { ChartRun, RunTheory } from './types';

export type ProfileKey = 'act_std' | 'grad_std';

export const PROFILE_INFO: Record<ProfileKey, { title: string; axis: string; direction: 'forward' | 'backward' }> = {
  act_std: { title: 'Forward: activation std per layer', axis: 'std of activations, log', direction: 'forward' },
  grad_std: { title: 'Backward: gradient std per layer', axis: 'std of ∂loss/∂activation, log', direction: 'backward' },
};

/**
 * One value per layer from a record, null where it cannot go on a log axis; exact zeros at
 * `floor` when one is given (zeroFloor).
 */
export function profile(
  rec: StepRecord | null | undefined,
  key: ProfileKey,
  floor: number | null = null,
): (number | null)[] {
  return rec ? rec.layers.map((L) => clean(L[key] === 0 && floor ? floor : L[key], true)) : [];
}

/**
 * The factor by which the signal is multiplied per layer in the direction it travels
 * (forward for activations, backward for gradients): exp of the least-squares slope of
 * ln(value) against layer. Null with fewer than two usable layers.
 */
export function perLayerFactor(values: readonly (number | null)[], direction: 'forward' | 'backward'): number | null {
  const pts: [number, number][] = [];
  values.forEach((v, i) => {
    if (v != null && v > 0 && Number.isFinite(v)) pts.push([i, Math.log(v)]);
  });
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxy = 0,
    sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxy / sxx;
  return Math.exp(direction === 'forward' ? slope : -slope);
}

type Verdict = 'vanishing' | 'exploding' | 'stable';

/** Vanishing or exploding when the signal changes more than tenfold across the whole depth. */
export function verdict(factor: number | null, layers: number): Verdict | null {
  if (factor == null || layers < 2) return null;
  const total = factor ** (layers - 1);
  return total < 0.1 ? 'vanishing' : total > 10 ? 'exploding' : 'stable';
}

const ARROW: Record<Verdict, string> = { vanishing: '↓', exploding: '↑', stable: '≈' };

/** "he_normal ×0.97/layer ≈ stable", one per run that has a latest record. */
export function verdictLines(runs: readonly ChartRun[], key: ProfileKey): string[] {
  const dir = PROFILE_INFO[key].direction;
  return runs.flatMap((r) => {
    const p = profile(r.history.latest, key);
    const f = perLayerFactor(p, dir);
    const v = verdict(f, p.length);
    return f == null || !v
      ? []
      : [`${r.label}: ×${formatValue(f)} per layer ${dir === 'forward' ? '→' : '←'} ${ARROW[v]} ${v}`];
  });
}

/** "theory: χ₁ = 0.94, ordered, ξ_c = 15.8 layers", prefixed with the run when there are several. */
function theoryLines(runs: readonly ChartRun[], theory: ReadonlyMap<string, RunTheory>): string[] {
  return runs.flatMap((r) => {
    const status = theory.get(r.id)?.status;
    return status ? [`theory${runs.length > 1 ? `, ${r.label}` : ''}: ${status}`] : [];
  });
}

export function depthProfileModel(
  runs: readonly ChartRun[],
  key: ProfileKey,
  theory: ReadonlyMap<string, RunTheory> = new Map(),
): PlotModel {
  // Predictions exist before the first record does: the theory shows what to expect while building.
  const n = Math.max(
    0,
    ...runs.map((r) => r.history.latest?.layers.length ?? 0),
    ...(key === 'act_std' ? runs.map((r) => theory.get(r.id)?.actStd.length ?? 0) : []),
  );
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const pad = (p: (number | null)[]): Cell[] => x.map((_, i) => (i < p.length ? p[i] : undefined));
  const tables: Table[] = [];
  const series: SeriesSpec[] = [];
  const records = runs.flatMap((r) => [r.history.initial, r.history.latest]);
  const floor = zeroFloor(records.map((rec) => rec?.layers.map((L) => L[key]) ?? []));
  if (key === 'act_std' && n > 0) {
    // Unit std is what variance-preserving initializers aim for: a reference to read levels against.
    tables.push({ x, ys: [x.map(() => 1)] });
    series.push({ label: 'std = 1', color: MUTED, scale: 'y', width: 1, spanGaps: true, points: false });
  }
  // The theory predicts the forward signal at initialization; it goes beside the dashed line.
  const predicted = (r: ChartRun) => (key === 'act_std' ? theory.get(r.id)?.actStd : undefined);
  for (const r of runs) {
    const prediction = predicted(r);
    const ys = [pad(profile(r.history.initial, key, floor)), pad(profile(r.history.latest, key, floor))];
    if (prediction) ys.push(pad(prediction.map((v) => (v === null ? null : clean(v, true)))));
    tables.push({ x, ys });
    series.push(
      {
        label: `${r.label} at init`,
        color: r.color,
        scale: 'y',
        width: 1.5,
        dash: [6, 4],
        spanGaps: false,
        points: false,
      },
      { label: `${r.label} now`, color: r.color, scale: 'y', width: 2.5, spanGaps: false, points: true },
    );
    if (prediction) {
      series.push({
        label: `${r.label} theory`,
        color: r.color,
        scale: 'y',
        width: 2,
        dash: [1, 4],
        spanGaps: false,
        points: false,
      });
    }
  }
  const legend: LegendItem[] =
    runs.length > 1 ? runs.map((r) => ({ label: r.label, color: r.color, style: 'fill' as const })) : [];
  const steps = runs.map((r) => r.history.latest?.step ?? 0);
  legend.push(
    { label: `now (step ${Math.max(0, ...steps)})`, color: INK, style: 'line' },
    { label: 'at initialization', color: INK, style: 'dashed' },
  );
  if (runs.some(predicted)) legend.push({ label: 'theory at initialization', color: INK, style: 'dotted' });
  if (key === 'act_std') legend.push({ label: 'std = 1', color: MUTED, style: 'thin' });
  return {
    spec: {
      scales: [
        { key: 'x', log: false, range: [0.5, Math.max(1, n) + 0.5] },
        { key: 'y', log: true, ...(floor ? { zeroAt: floor } : {}) },
      ],
      axes: [
        { scale: 'x', label: 'layer (1 = first hidden)', side: 'bottom', format: 'int', grid: true },
        { scale: 'y', label: PROFILE_INFO[key].axis, side: 'left', format: 'num', grid: true },
      ],
      series,
    },
    data: tables.length ? joinTables(tables) : [[]],
    legend,
    subtitle: [...verdictLines(runs, key), ...(key === 'act_std' ? theoryLines(runs, theory) : [])].join(' · '),
    empty: n === 0,
  };
}
