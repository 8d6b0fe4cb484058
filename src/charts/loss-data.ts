/**
 * @file The model of <loss-chart>: training and test loss (left axis, optionally log) and
 * accuracy (right axis, 0–100 %) against step, one colour per run. Line style tells the four
 * quantities apart, so the colour is free to tell the runs apart.
 */

import type { LossName } from '../core/types';
import { cleanColumn, joinTables, type Table } from './columns';
import { INK, withAlpha } from './palette';
import { formatPercent, formatValue } from './scale';
import type { LegendItem, PlotModel, SeriesSpec } from './spec';
import type { ChartRun } from './types';

/** Short enough to fit along a 200-pixel axis. */
const LOSS_UNIT: Record<LossName, string> = {
  mse: 'MSE loss',
  binary_crossentropy: 'BCE loss (nats)',
  categorical_crossentropy: 'cross-entropy (nats)',
};

/** The loss axis label: named with its unit when every run uses the same loss. */
export function lossAxisLabel(runs: readonly ChartRun[]): string {
  const names = new Set(runs.map((r) => r.cfg.loss));
  return names.size === 1 ? LOSS_UNIT[[...names][0]] : 'loss';
}

function hasFinite(col: readonly number[]): boolean {
  return col.some(Number.isFinite);
}

export function lossModel(runs: readonly ChartRun[], logLoss: boolean): PlotModel {
  const tables: Table[] = [];
  const series: SeriesSpec[] = [];
  let anyTest = false;
  for (const r of runs) {
    const h = r.history;
    const ys = [cleanColumn(h.loss, logLoss), cleanColumn(h.accuracy)];
    series.push(
      { label: `${r.label} loss`, color: r.color, scale: 'loss', width: 2, spanGaps: false, points: false },
      {
        label: `${r.label} accuracy`,
        color: withAlpha(r.color, 0.6),
        scale: 'acc',
        width: 1.25,
        spanGaps: false,
        points: false,
      },
    );
    // Test metrics are evaluated only at some records (NaN elsewhere): join the evaluations
    // and mark each with a point, or a sparse test curve would be all gaps and invisible.
    if (hasFinite(h.testLoss)) {
      anyTest = true;
      ys.push(cleanColumn(h.testLoss, logLoss), cleanColumn(h.testAccuracy));
      series.push(
        {
          label: `${r.label} test loss`,
          color: r.color,
          scale: 'loss',
          width: 2,
          dash: [7, 4],
          spanGaps: true,
          points: true,
        },
        {
          label: `${r.label} test accuracy`,
          color: withAlpha(r.color, 0.6),
          scale: 'acc',
          width: 1.25,
          dash: [2, 3],
          spanGaps: true,
          points: true,
        },
      );
    }
    tables.push({ x: h.step, ys });
  }
  const legend: LegendItem[] =
    runs.length > 1 ? runs.map((r) => ({ label: r.label, color: r.color, style: 'fill' as const })) : [];
  legend.push({ label: 'batch loss', color: INK, style: 'line' });
  if (anyTest) legend.push({ label: 'test set loss', color: INK, style: 'dashed' });
  legend.push({ label: 'batch accuracy (right axis)', color: withAlpha(INK, 0.6), style: 'thin' });
  if (anyTest) legend.push({ label: 'test set accuracy', color: withAlpha(INK, 0.6), style: 'dotted' });
  return {
    spec: {
      scales: [
        { key: 'x', log: false },
        { key: 'loss', log: logLoss },
        { key: 'acc', log: false, range: [0, 1] },
      ],
      axes: [
        { scale: 'x', label: 'step (updates)', side: 'bottom', format: 'int', grid: true },
        {
          scale: 'loss',
          label: `${lossAxisLabel(runs)}${logLoss ? ', log' : ''}`,
          side: 'left',
          format: 'num',
          grid: true,
        },
        { scale: 'acc', label: 'accuracy (%)', side: 'right', format: 'percent', grid: false },
      ],
      series,
    },
    data: joinTables(tables),
    legend,
    subtitle: lossSubtitle(runs),
    empty: runs.every((r) => r.history.step.length === 0),
  };
}

/** The latest numbers of one run, or the step reached when several are compared. */
export function lossSubtitle(runs: readonly ChartRun[]): string {
  if (runs.length === 0) return 'No run';
  if (runs.length > 1) {
    const steps = runs.map((r) => r.history.latest?.step ?? 0);
    return `${runs.length} runs compared · up to step ${Math.max(...steps)}`;
  }
  const r = runs[0];
  const last = r.history.latest;
  if (!last) return `${r.label} · waiting for the first record`;
  const ev = r.history.evaluation;
  const at = ev && ev.step !== last.step ? ` (step ${ev.step})` : '';
  const test = ev?.test ? `, test set ${formatPercent(ev.test.accuracy)}` : '';
  const sets = ev ? ` · training set${at}: accuracy ${formatPercent(ev.train.accuracy)}${test}` : '';
  const batches = `loss ${formatValue(last.loss)}, accuracy ${formatPercent(last.accuracy)}`;
  return `${r.label} · step ${last.step} · batches: ${batches}${sets}`;
}
