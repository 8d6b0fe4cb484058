/**
 * @file Optimizer updates in Keras 3's formulation (keras/src/optimizers/{sgd,adam,rmsprop}.py),
 * the CPU half of shaders/optimizer.wgsl. `t` is the 1-based iteration count Keras calls
 * `local_step`; Adam's bias correction is folded into the step size as Keras does.
 */
import type { OptimizerConfig } from '../types';

/** Adam's effective step size at iteration t: lr * sqrt(1 - b2^t) / (1 - b1^t). */
export function adamAlpha(o: { learning_rate: number; beta_1: number; beta_2: number }, t: number): number {
  return (o.learning_rate * Math.sqrt(1 - o.beta_2 ** t)) / (1 - o.beta_1 ** t);
}

/**
 * Updates `w` in place from gradient `g`; `s1`, `s2` are the optimizer's slots (momentum or
 * first moment; second moment), zero-initialized and the same length as `w`.
 */
export function applyUpdate(
  o: OptimizerConfig,
  t: number,
  w: Float32Array,
  g: Float32Array,
  s1: Float32Array,
  s2: Float32Array,
): void {
  const n = w.length;
  switch (o.name) {
    case 'sgd': {
      const lr = o.learning_rate,
        mu = o.momentum;
      if (mu === 0) {
        for (let i = 0; i < n; i++) w[i] -= lr * g[i];
      } else if (o.nesterov) {
        for (let i = 0; i < n; i++) {
          s1[i] = mu * s1[i] - lr * g[i];
          w[i] += mu * s1[i] - lr * g[i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          s1[i] = mu * s1[i] - lr * g[i];
          w[i] += s1[i];
        }
      }
      return;
    }
    case 'adam': {
      const alpha = Math.fround(adamAlpha(o, t));
      const b1 = o.beta_1,
        b2 = o.beta_2,
        eps = o.epsilon;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        s1[i] += (gi - s1[i]) * (1 - b1);
        s2[i] += (gi * gi - s2[i]) * (1 - b2);
        w[i] -= (s1[i] * alpha) / (Math.sqrt(s2[i]) + eps);
      }
      return;
    }
    case 'rmsprop': {
      const lr = o.learning_rate,
        rho = o.rho,
        eps = o.epsilon;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        s2[i] = rho * s2[i] + (1 - rho) * gi * gi;
        w[i] -= (lr * gi) / Math.sqrt(s2[i] + eps);
      }
      return;
    }
  }
}
