/**
 * @file The engine's activations as the mean-field theory sees them: φ and φ′ are the engine's
 * own (src/core/activations.ts), so the theory predicts what the engine computes, plus what the
 * quadrature must know about their shape: whether φ or one of its first two derivatives has a
 * kink at 0, and over what width in u the function changes (Infinity for the piecewise-linear
 * ones, which look the same at every scale).
 */
import { actDerivative, actForward } from '../activations';
import { ACTIVATIONS } from '../config';
import { ConfigError, show } from '../errors';
import { ACTIVATION_ID } from '../ids';
import type { Activation, ActivationName } from '../types';

export interface TheoryActivation {
  readonly name: ActivationName;
  f(u: number): number;
  df(u: number): number;
  /** False where φ, φ′ or φ″ jumps at u = 0. */
  readonly smooth: boolean;
  /**
   * Width in u over which φ bends: the distance of its nearest complex singularity from the real
   * line (tanh π/2, the logistic family π), rounded down; Infinity for functions linear on each
   * side of 0.
   */
  readonly width: number;
}

/** The activations a hidden layer can have: every one but softmax, which acts on a whole row. */
export const ELEMENTWISE: readonly ActivationName[] = ACTIVATIONS.filter((a) => a !== 'softmax');

/** Kinks at 0: in φ′ (relu, leaky_relu, selu, elu with α ≠ 1) or in φ″ (elu with α = 1, softsign). */
const KINKED = new Set<ActivationName>(['relu', 'leaky_relu', 'elu', 'selu', 'softsign']);
const PIECEWISE_LINEAR = new Set<ActivationName>(['linear', 'relu', 'leaky_relu']);
const WIDE = new Set<ActivationName>(['sigmoid', 'softplus', 'swish', 'gelu']);

/** The theory's view of `act`; softmax is refused with a ConfigError at `path`. */
export function theoryActivation(act: Activation, path = 'activation'): TheoryActivation {
  if (!ELEMENTWISE.includes(act.name)) {
    throw new ConfigError(
      path,
      `must be an elementwise activation (${ELEMENTWISE.join(', ')}), got ${show(act.name)}: the mean-field theory follows one unit at a time`,
    );
  }
  const id = ACTIVATION_ID[act.name];
  return {
    name: act.name,
    f: (u) => actForward(id, act.alpha, u),
    df: (u) => actDerivative(id, act.alpha, u),
    smooth: !KINKED.has(act.name),
    width: PIECEWISE_LINEAR.has(act.name) ? Infinity : WIDE.has(act.name) ? 2 : 1,
  };
}
