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

/** What the mean-field theory says of a run at initialization (computed by src/ui/run-theory.ts). */
export interface RunTheory {
  /** Predicted activation std of every layer at step 0; null where the theory says nothing. */
  actStd: (number | null)[];
  /** One line on its hidden layers: χ₁, the phase and ξ_c, or why there is no prediction. */
  status: string;
}
