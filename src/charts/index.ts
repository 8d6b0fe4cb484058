/**
 * @file Registers every chart element and re-exports what the page needs besides the tags:
 * the run palette, the grid inputs of the decision boundary, and PNG export.
 *
 *   import './charts';                      // defines the tags
 *   import { runColor, gridInputs, chartToPng } from './charts';
 */
import './loss-chart';
import './layer-series-chart';
import './depth-profile-chart';
import './histogram-grid';
import './unit-health-chart';
import './decision-boundary';
import './digit-grid';

export { type Extent, gridInputs, pointsExtent } from './boundary-data';
export { DecisionBoundary } from './decision-boundary';
export { DepthProfileChart } from './depth-profile-chart';
export { DigitGrid } from './digit-grid';
export { chartToPng } from './export';
export { HIST_KINDS, type HistKind } from './histogram-data';
export { HistogramGrid } from './histogram-grid';
export { LayerSeriesChart } from './layer-series-chart';
export { SERIES_INFO } from './layer-series-data';
export { LossChart } from './loss-chart';
export { depthColor, layerColor, RUN_COLORS, runColor } from './palette';
export type { ChartRun } from './types';
export { UnitHealthChart } from './unit-health-chart';
