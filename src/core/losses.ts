/**
 * @file Losses and accuracy over a batch, the CPU half (the GPU half is shaders/loss.wgsl).
 *
 * Keras' conventions: the per-sample loss is the mean over output units, the batch loss the mean
 * over samples. With a sigmoid output, binary_crossentropy is computed from the logits (what
 * Keras' TensorFlow backend does when it finds the logits behind a sigmoid), and with a softmax
 * output categorical_crossentropy uses log-softmax; both give the fused gradient (p - y) / n,
 * which stays finite where p saturates. `dA`, the gradient with respect to the layer's output,
 * is still reported (for the `grad_std` statistic), with p clipped to [1e-7, 1 - 1e-7] as Keras
 * clips probabilities.
 */
import { actDerivative } from './activations';
import { ACTIVATION_ID } from './ids';
import type { Floats, LossName } from './types';

export const EPSILON = 1e-7;

/** How the output layer's dZ is obtained: fused with the loss, or dA times f'(z) (or the softmax Jacobian). */
export function isFused(loss: LossName, outAct: number): boolean {
  return (
    (loss === 'binary_crossentropy' && outAct === ACTIVATION_ID.sigmoid) ||
    (loss === 'categorical_crossentropy' && outAct === ACTIVATION_ID.softmax)
  );
}

const clip = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));
/** log(1 + exp(x)) without overflow. */
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

interface LossResult {
  lossSum: number;
  correct: number;
}

/**
 * Loss of one batch with its gradients. `z`, `a`, `y`, `dA`, `dZ` are `rows * units`, row-major.
 * `gradScale` is the number of rows the mean runs over (the batch's rows). Returns the *sum* of
 * per-sample losses and the number of correct predictions, so that means over several batches
 * weight every sample equally (Keras' loss tracker weights a batch by its size).
 */
export function lossForwardBackward(
  loss: LossName,
  actId: number,
  alpha: number,
  rows: number,
  units: number,
  z: Floats,
  a: Floats,
  y: Floats,
  dA: Floats,
  dZ: Floats,
): LossResult {
  const inv = 1 / (rows * units);
  let lossSum = 0,
    correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    let rowLoss = 0;
    if (loss === 'mse') {
      for (let j = 0; j < units; j++) {
        const d = a[o + j] - y[o + j];
        rowLoss += d * d;
        dA[o + j] = 2 * d * inv;
      }
    } else if (loss === 'binary_crossentropy') {
      for (let j = 0; j < units; j++) {
        const yy = y[o + j];
        if (actId === ACTIVATION_ID.sigmoid) {
          const x = z[o + j];
          rowLoss += softplus(x) - x * yy;
        } else {
          const p = clip(a[o + j]);
          rowLoss += -(yy * Math.log(p) + (1 - yy) * Math.log(1 - p));
        }
        const p = clip(a[o + j]);
        // Outside the clip range the loss is flat in a: Keras' clip passes no gradient there.
        dA[o + j] = p === a[o + j] ? ((p - yy) / (p * (1 - p))) * inv : 0;
      }
    } else {
      // categorical: sum over classes, mean over samples (not over units).
      // config.ts admits categorical_crossentropy only after a softmax: log-softmax from z.
      let m = -Infinity;
      for (let j = 0; j < units; j++) m = Math.max(m, z[o + j]);
      let lse = 0;
      for (let j = 0; j < units; j++) lse += Math.exp(z[o + j] - m);
      lse = Math.log(lse) + m;
      for (let j = 0; j < units; j++) {
        const yy = y[o + j];
        rowLoss -= yy * (z[o + j] - lse);
        dA[o + j] = -yy / clip(a[o + j]) / rows;
      }
    }
    // CCE sums over classes; MSE and BCE average over output units.
    lossSum += loss === 'categorical_crossentropy' ? rowLoss : rowLoss / units;
    correct += isCorrect(a, y, o, units) ? 1 : 0;
  }
  // dZ: fused where the loss and activation allow it, else the chain rule.
  if (isFused(loss, actId)) {
    const s = loss === 'categorical_crossentropy' ? 1 / rows : inv;
    for (let i = 0; i < rows * units; i++) dZ[i] = (a[i] - y[i]) * s;
  } else if (actId === ACTIVATION_ID.softmax) {
    softmaxBackward(rows, units, a, dA, dZ);
  } else {
    for (let i = 0; i < rows * units; i++) dZ[i] = dA[i] * actDerivative(actId, alpha, z[i]);
  }
  return { lossSum, correct };
}

/** dZ = p ⊙ (dA − <dA, p>) per row: the softmax Jacobian applied to dA. */
export function softmaxBackward(rows: number, units: number, p: Floats, dA: Floats, dZ: Floats): void {
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    let dot = 0;
    for (let j = 0; j < units; j++) dot += dA[o + j] * p[o + j];
    for (let j = 0; j < units; j++) dZ[o + j] = p[o + j] * (dA[o + j] - dot);
  }
}

/** Keras' `accuracy`: threshold 0.5 for a single output, argmax (first maximum) otherwise. */
function isCorrect(a: ArrayLike<number>, y: ArrayLike<number>, o: number, units: number): boolean {
  if (units === 1) return a[o] > 0.5 === y[o] > 0.5;
  let pa = 0,
    py = 0;
  for (let j = 1; j < units; j++) {
    if (a[o + j] > a[o + pa]) pa = j;
    if (y[o + j] > y[o + py]) py = j;
  }
  return pa === py;
}
