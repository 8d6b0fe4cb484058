/**
 * @file Loss and accuracy of the current weights on a held-out set: the engine predicts (on its
 * backend), the loss is taken with the same CPU formulas the engines use.
 */

import { targetsFor } from '../core/datasets';
import { ACTIVATION_ID } from '../core/ids';
import { lossForwardBackward } from '../core/losses';
import type { Dataset, RunConfig } from '../core/types';
import type { Engine } from './engine';
import type { TestMetrics } from './history';

export async function evaluate(engine: Engine, cfg: RunConfig, data: Dataset): Promise<TestMetrics> {
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
