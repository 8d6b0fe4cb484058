/**
 * @file The ids TypeScript and WGSL share, defined once: which activation, loss, optimizer
 * update, saturation test, initializer draw and atlas success criterion a computation means.
 *
 * The CPU reference switches on these tables; src/gpu/kernel.ts injects every entry into each
 * kernel's prelude as a named constant (`ACT_RELU`, `LOSS_MSE`, `OPT_ADAM`, `SATURATION_TANH`,
 * `INIT_UNIFORM`, `CRITERION_ALL_CORRECT`, ...), so no shader writes an id as a number: a kernel
 * receives the id it computes as a constant (`ACT`, `LOSS`, `OPT`, `SAT`) and compares it with
 * the names. Changing a number here changes both sides at once.
 */
import type { ActivationName, LossName, OptimizerConfig } from './types';

export const ACTIVATION_ID = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leaky_relu: 4,
  elu: 5,
  selu: 6,
  gelu: 7,
  softplus: 8,
  softsign: 9,
  swish: 10,
  softmax: 11,
} as const satisfies Record<ActivationName, number>;

export const LOSS_ID = {
  mse: 0,
  binary_crossentropy: 1,
  categorical_crossentropy: 2,
} as const satisfies Record<LossName, number>;

/** The optimizer updates, Keras 3's (src/core/cpu/optimizers.ts): SGD split by its momentum. */
const OPTIMIZER_ID = { sgd: 0, momentum: 1, nesterov: 2, adam: 3, rmsprop: 4 } as const;

/** The update a configured optimizer runs (the atlas's SGD configs are OptimizerConfigs too). */
export function optimizerId(o: OptimizerConfig): number {
  if (o.name !== 'sgd') return OPTIMIZER_ID[o.name];
  return o.momentum === 0 ? OPTIMIZER_ID.sgd : o.nesterov ? OPTIMIZER_ID.nesterov : OPTIMIZER_ID.momentum;
}

/** Which test `saturated_frac` counts (src/core/stats.ts `saturated`): none, or the activation's. */
export const SATURATION_ID = { none: 0, tanh: 1, sigmoid: 2, softsign: 3 } as const;

/** The initializer draws a kernel makes itself (src/core/initializers.ts `drawKindId`). */
export const INIT_ID = { constant: 0, uniform: 1, normal: 2, truncated_normal: 3 } as const;

/** When an atlas network counts as trained (src/atlas/types.ts `Criterion`). */
export const CRITERION_ID = { loss_below: 0, all_correct: 1 } as const;

/** Every table, by the prefix its WGSL names take. */
const SHARED_IDS = {
  ACT: ACTIVATION_ID,
  LOSS: LOSS_ID,
  OPT: OPTIMIZER_ID,
  SATURATION: SATURATION_ID,
  INIT: INIT_ID,
  CRITERION: CRITERION_ID,
} as const;

type IdPrefix = keyof typeof SHARED_IDS;

/** The WGSL name of an entry: `wgslIdName('ACT', 'leaky_relu')` is `ACT_LEAKY_RELU`. */
export function wgslIdName(prefix: IdPrefix, name: string): string {
  return `${prefix}_${name.toUpperCase()}`;
}

/** The WGSL name of the entry of `prefix` whose id is `id` (for generated WGSL). */
export function wgslIdNameOf(prefix: IdPrefix, id: number): string {
  const entry = Object.entries(SHARED_IDS[prefix]).find(([, v]) => v === id);
  if (!entry) throw new Error(`no ${prefix} id ${id}`);
  return wgslIdName(prefix, entry[0]);
}

/** Every entry as `[WGSL name, id]`, for the kernel prelude. */
export function wgslIdConstants(): [string, number][] {
  return Object.entries(SHARED_IDS).flatMap(([prefix, table]) =>
    Object.entries(table).map(([name, id]): [string, number] => [wgslIdName(prefix as IdPrefix, name), id]),
  );
}
