/**
 * @file Turns a PlotSpec into a uPlot and keeps it: rebuilt only when the spec (series, scales,
 * axes) changes, otherwise fed new columns with `setData`, which is what makes streaming cheap.
 * uPlot's own legend and cursor are off: the charts draw an HTML legend that wraps on narrow
 * windows and is exported with the canvas.
 */
import uPlot from 'uplot';
import type { Columns } from './columns';
import { GRID, INK } from './palette';
import { formatPercent, formatTick, linRange, logRange } from './scale';
import type { AxisSpec, PlotSpec, ScaleSpec } from './spec';

const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Whole-number steps for step and layer axes. */
const INT_INCRS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7,
];

type Range = uPlot.Range.Function;

function scaleOptions(s: ScaleSpec): uPlot.Scale {
  if (s.key === 'x') {
    const range: Range = (_u, min, max) =>
      s.range ? s.range : min == null || max == null ? [0, 1] : min === max ? [min - 1, max + 1] : [min, max];
    return { time: false, range };
  }
  if (s.log && s.zeroAt) {
    // Half a decade of room below the floor, so a line of zeros is not hidden in the axis.
    const floor = s.zeroAt;
    return {
      distr: 3,
      log: 10,
      range: (_u, _min, max) => [floor / Math.sqrt(10), Math.max(logRange(floor, max)[1], floor * 100)],
    };
  }
  if (s.log) return { distr: 3, log: 10, range: (_u, min, max) => s.range ?? logRange(min, max) };
  return { range: (_u, min, max) => s.range ?? linRange(min, max) };
}

function axisOptions(a: AxisSpec, zeroAt?: number): uPlot.Axis {
  const tick = a.format === 'percent' ? formatPercent : formatTick;
  // The zero floor's tick reads 0 (see zeroFloor in columns.ts).
  const fmt = (v: number) => (zeroAt && Math.abs(v / zeroAt - 1) < 1e-6 ? '0' : tick(v));
  const bottom = a.side === 'bottom';
  return {
    scale: a.scale,
    side: bottom ? 2 : a.side === 'left' ? 3 : 1,
    label: a.label,
    labelSize: 16,
    labelGap: 2,
    labelFont: LABEL_FONT,
    font: FONT,
    stroke: INK,
    gap: 4,
    space: bottom ? 64 : 26,
    grid: { show: a.grid, stroke: GRID, width: 1 },
    ticks: { show: true, stroke: '#c4c9cf', width: 1, size: 4 },
    border: { show: true, stroke: '#8c959f', width: 1 },
    incrs: a.format === 'int' ? INT_INCRS : undefined,
    values: (_u, splits) => splits.map((v) => fmt(v)),
    // Fit the widest tick label, so "10⁻¹²" or "100%" is never clipped.
    size: bottom ? 34 : (_u, values) => 12 + 6.5 * Math.max(2, ...(values ?? []).map((v) => String(v ?? '').length)),
  };
}

function plotOptions(spec: PlotSpec, width: number, height: number): uPlot.Options {
  return {
    width,
    height,
    // On the right, half of the widest tick label the x axis centres on the plot's end ("1000").
    padding: [10, 16, 0, 0],
    legend: { show: false },
    cursor: { show: false },
    scales: Object.fromEntries(spec.scales.map((s) => [s.key, scaleOptions(s)])),
    axes: spec.axes.map((a) => axisOptions(a, spec.scales.find((s) => s.key === a.scale)?.zeroAt)),
    series: [
      {},
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width,
          dash: s.dash,
          scale: s.scale,
          spanGaps: s.spanGaps,
          points: { show: s.points, size: 5, width: 1, stroke: s.color, fill: s.color },
        }),
      ),
    ],
  };
}

export class PlotHost {
  private plot: uPlot | null = null;
  private key = '';

  constructor(private readonly target: HTMLElement) {}

  update(spec: PlotSpec, data: Columns, width: number, height: number): void {
    const key = JSON.stringify(spec);
    if (!this.plot || key !== this.key) {
      this.plot?.destroy();
      this.plot = new uPlot(plotOptions(spec, width, height), data as uPlot.AlignedData, this.target);
      this.key = key;
      return;
    }
    if (this.plot.width !== width || this.plot.height !== height) this.plot.setSize({ width, height });
    this.plot.setData(data as uPlot.AlignedData);
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
    this.key = '';
  }
}
