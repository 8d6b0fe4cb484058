/**
 * @file The model of <layer-series-chart>: one per-layer statistic against step, one line per
 * layer coloured by depth. Compared runs are not overlaid: L layers × R runs lines in R×L
 * colours cannot be read, so the chart shows one run (the primary, or the one picked) and the
 * depth-profile chart carries the comparison.
 */

import { LAYER_SERIES, type LayerSeries } from '../train/history';
import { cleanColumn, joinTables, onFloor, zeroFloor } from './columns';
import { layerColor } from './palette';
import type { LegendItem, PlotModel, Ramp, SeriesSpec } from './spec';
import type { ChartRun } from './types';

interface SeriesInfo {
  title: string;
  /** Axis label, with the quantity's unit or definition. */
  axis: string;
  /** Drawn on a log axis by default: positive values that span decades across layers. */
  log: boolean;
  /** A fraction, shown in percent on a 0–100 % axis. */
  percent: boolean;
}

export const SERIES_INFO: Record<LayerSeries, SeriesInfo> = {
  act_mean: { title: 'Activation mean', axis: 'mean of activations', log: false, percent: false },
  act_std: { title: 'Activation std', axis: 'std of activations', log: true, percent: false },
  zero_frac: { title: 'Dead units (output exactly 0)', axis: 'activations = 0 (%)', log: false, percent: true },
  saturated_frac: { title: 'Saturated units', axis: 'activations at a rail (%)', log: false, percent: true },
  preact_std: { title: 'Pre-activation std', axis: 'std of z = xW + b', log: true, percent: false },
  grad_std: { title: 'Gradient std', axis: 'std of ∂loss/∂activation', log: true, percent: false },
  kernel_grad_norm: { title: 'Kernel gradient norm', axis: '‖∂loss/∂W‖ (Frobenius)', log: true, percent: false },
  kernel_norm: { title: 'Kernel norm', axis: '‖W‖ (Frobenius)', log: true, percent: false },
  kernel_std: { title: 'Kernel std', axis: 'std of kernel entries', log: true, percent: false },
  update_ratio: { title: 'Update ratio', axis: '‖ΔW‖ / ‖W‖ per update', log: true, percent: false },
  max_unit_diff: {
    title: 'Unit symmetry',
    axis: 'largest Δw between units',
    log: true,
    percent: false,
  },
};

/** Series that compare a layer's units with each other, meaningless for a one-unit layer (its line is left out). */
const BETWEEN_UNITS: readonly LayerSeries[] = ['max_unit_diff'];

export function isLayerSeries(s: string | null | undefined): s is LayerSeries {
  return (LAYER_SERIES as readonly string[]).includes(s ?? '');
}

/** Whether a series may be put on a log axis at all (fractions and means may not). */
export function canLog(series: LayerSeries): boolean {
  return SERIES_INFO[series].log;
}

/** Above this many layers the legend is a depth ramp rather than one entry per layer. */
export const MAX_LAYER_LEGEND = 16;

/** Legend text of layer l (0-based) of a run: "L3 tanh", the output layer marked. */
function layerLabel(run: ChartRun, l: number, n: number): string {
  const act = run.cfg.layers[l]?.activation.name;
  return `L${l + 1}${l === n - 1 ? ' (out)' : ''}${act ? ` ${act}` : ''}`;
}

/** Legend of depth colours: an entry per layer, or a ramp with its two ends labelled. */
export function depthLegend(run: ChartRun, n: number): { legend: LegendItem[]; ramp?: Ramp } {
  if (n <= MAX_LAYER_LEGEND) {
    return {
      legend: Array.from({ length: n }, (_, l) => ({
        label: layerLabel(run, l, n),
        color: layerColor(l, n),
        style: 'line' as const,
      })),
    };
  }
  const stops = 24;
  return {
    legend: [],
    ramp: {
      colors: Array.from({ length: stops }, (_, i) => layerColor(i, stops)),
      from: 'layer 1',
      to: `layer ${n} (out)`,
    },
  };
}

export function layerSeriesModel(
  run: ChartRun | undefined,
  series: LayerSeries,
  log: boolean,
  runCount = 1,
): PlotModel {
  const info = SERIES_INFO[series];
  const useLog = log && info.log;
  const h = run?.history;
  const n = h?.layers.length ?? 0;
  const shown = (l: number) => !BETWEEN_UNITS.includes(series) || (run?.cfg.layers[l]?.units ?? 2) > 1;
  const raw = h ? h.layers.map((L, l) => (shown(l) ? L[series] : [])) : [];
  const floor = useLog ? zeroFloor(raw) : null;
  const ys = h
    ? h.layers.map((L, l) => cleanColumn(shown(l) ? onFloor(L[series], floor) : L[series].map(() => NaN), useLog))
    : [];
  const spec: SeriesSpec[] = ys.map((_, l) => ({
    label: run ? layerLabel(run, l, n) : `L${l + 1}`,
    color: layerColor(l, n),
    scale: 'y',
    width: 1.5,
    spanGaps: false,
    points: false,
  }));
  const { legend: all, ramp } = run ? depthLegend(run, n) : { legend: [], ramp: undefined };
  const legend = ramp ? all : all.filter((_, l) => shown(l));
  const who = run ? (runCount > 1 ? `${run.label} (showing 1 of ${runCount} runs)` : run.label) : 'No run';
  return {
    spec: {
      scales: [
        { key: 'x', log: false },
        { key: 'y', log: useLog, range: info.percent ? [0, 1] : undefined, ...(floor ? { zeroAt: floor } : {}) },
      ],
      axes: [
        { scale: 'x', label: 'step (updates)', side: 'bottom', format: 'int', grid: true },
        {
          scale: 'y',
          label: `${info.axis}${useLog ? ', log' : ''}`,
          side: 'left',
          format: info.percent ? 'percent' : 'num',
          grid: true,
        },
      ],
      series: spec,
    },
    data: joinTables([{ x: h?.step ?? [], ys }]),
    legend,
    ramp,
    subtitle: `${who} · ${n} layers, coloured by depth${floor ? ' · exact zeros on the axis floor, marked 0' : ''}`,
    empty: !h || h.step.length === 0,
  };
}
