/**
 * @file Loss and accuracy of the current weights on a whole set (the training set, or a held-out
 * one): the engine predicts (on its backend), the loss is taken with the same CPU formulas the
 * engines use.
 */

import { targetsFor } from '../core/datasets';
import { ACTIVATION_ID } from '../core/ids';
import { lossForwardBackward } from '../core/losses';
import type { Dataset, RunConfig, SplitDataset } from '../core/types';
import type { Engine } from './engine';
import type { Evaluation, SetMetrics } from './history';

export async function evaluate(engine: Engine, cfg: RunConfig, data: Dataset): Promise<SetMetrics> {
  const out = cfg.layers[cfg.layers.length - 1];
  const { z, a } = await engine.predict(data.x, data.n);
  const y = targetsFor(data.labels, out.units);
  const scratch = new Float32Array(z.length);
  const r = lossForwardBackward(
    cfg.loss,
    ACTIVATION_ID[out.activation.name],
    out.activation.alpha,
    data.n,
    out.units,
    z,
    a,
    y,
    scratch,
    new Float32Array(z.length),
  );
  return { loss: r.lossSum / data.n, accuracy: r.correct / data.n };
}

/** The loss and accuracy on the whole training set, and on the test set if there is one, at the engine's step. */
export async function evaluateSets(engine: Engine, cfg: RunConfig, data: SplitDataset): Promise<Evaluation> {
  const step = engine.step;
  const train = await evaluate(engine, cfg, data.train);
  const test = data.test ? await evaluate(engine, cfg, data.test) : null;
  return { step, train, test };
}
