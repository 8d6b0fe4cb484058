/**
 * @file Plain-data descriptions of a plot, produced by the pure model functions and turned into
 * uPlot options only in uplot-host.ts. Keeping them as data makes the models testable in Node
 * and lets the host compare two specs (JSON) to decide whether a plot must be rebuilt or only
 * fed new data.
 */
import type { Columns } from './columns';

type TickFormat = 'num' | 'percent' | 'int';

export interface ScaleSpec {
  key: string;
  log: boolean;
  /** A fixed range; otherwise it follows the data (decade-snapped on log scales). */
  range?: [number, number];
  /** On a log scale: where exact zeros are drawn (zeroFloor), at the bottom; its tick reads "0". */
  zeroAt?: number;
}

export interface AxisSpec {
  scale: string;
  label: string;
  side: 'bottom' | 'left' | 'right';
  format: TickFormat;
  /** Draw grid lines for this axis (only one y axis should, or the grids clash). */
  grid: boolean;
}

export interface SeriesSpec {
  label: string;
  color: string;
  scale: string;
  width: number;
  dash?: number[];
  /** Join across null cells (sparse test evaluations); otherwise a null breaks the line. */
  spanGaps: boolean;
  points: boolean;
}

export interface PlotSpec {
  scales: ScaleSpec[];
  axes: AxisSpec[];
  series: SeriesSpec[];
}

/** How a legend entry's swatch is drawn. */
type SwatchStyle = 'line' | 'thin' | 'dashed' | 'dotted' | 'fill' | 'faint' | 'hatch' | 'stripes' | 'dot' | 'ring';

export interface LegendItem {
  label: string;
  color: string;
  style: SwatchStyle;
}

/** A continuous colour key (depth) shown instead of one legend item per layer when there are many. */
export interface Ramp {
  colors: string[];
  from: string;
  to: string;
}

/** Everything a uPlot chart draws for one frame. */
export interface PlotModel {
  spec: PlotSpec;
  data: Columns;
  legend: LegendItem[];
  ramp?: Ramp;
  subtitle: string;
  /** No record to draw yet: the chart shows a "waiting" note instead of empty axes. */
  empty: boolean;
}
