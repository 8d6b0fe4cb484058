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

export type { ChartRun } from './types';
export { RUN_COLORS, runColor, depthColor, layerColor } from './palette';
export { gridInputs, pointsExtent, type Extent } from './boundary-data';
export { chartToPng } from './export';
export { SERIES_INFO } from './layer-series-data';
export { HIST_KINDS, type HistKind } from './histogram-data';
export { LossChart } from './loss-chart';
export { LayerSeriesChart } from './layer-series-chart';
export { DepthProfileChart } from './depth-profile-chart';
export { HistogramGrid } from './histogram-grid';
export { UnitHealthChart } from './unit-health-chart';
export { DecisionBoundary } from './decision-boundary';
export { DigitGrid } from './digit-grid';
