/**
 * @file What the charts draw: one or several runs (several when initializers are compared side
 * by side), each with its own history and colour. Charts read these and never write them.
 */
import type { RunConfig } from '../core/types';
import type { TrainingHistory } from '../train/history';

export interface ChartRun {
  id: string;
  /** Legend text, e.g. "he_normal". */
  label: string;
  /** CSS colour of this run's series. */
  color: string;
  cfg: RunConfig;
  history: TrainingHistory;
}
