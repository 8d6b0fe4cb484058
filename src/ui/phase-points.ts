/**
 * @file Where the current network's initializers sit on the phase diagram: the Keras initializers
 * a lesson compares (lecun_normal, glorot_normal for the network's own widths, he_normal) and the
 * network's own, each mapped onto (σ_w², σ_b²) for a representative hidden layer (the second,
 * whose fan-in is a hidden width rather than the input's), with what the theory says of each.
 */
import { datasetInputDim } from '../core/config';
import { initializerToKeras, parseInitializer } from '../core/initializers';
import { theoryActivation } from '../core/theory/activation';
import { type MeanField, meanField } from '../core/theory/mean-field';
import { layerVariances } from '../core/theory/weight-moments';
import type { Activation, Initializer, RunConfig } from '../core/types';
import { initLabel } from './initializer-spec';

const PRESET_POINTS = ['lecun_normal', 'glorot_normal', 'he_normal'] as const;

interface InitializerPoint {
  /** A preset's name, or 'own' for the network's own initializer when it is none of them. */
  id: string;
  label: string;
  init: Initializer;
  weightVariance: number;
  biasVariance: number;
  /** The network's own initializer (possibly also a preset). */
  current: boolean;
  theory: MeanField;
}

export interface NetworkPoints {
  /** The hidden layer the points describe (0-based), with its fan-in and width. */
  layer: number;
  fanIn: number;
  units: number;
  activation: Activation;
  points: InitializerPoint[];
  /** Why the network's own initializer has no point, if it has none. */
  note: string | null;
}

const same = (a: Initializer, b: Initializer) =>
  JSON.stringify(initializerToKeras(a)) === JSON.stringify(initializerToKeras(b));

/** The representative hidden layer: the second when there are two or more, else the first. */
function bulkLayer(cfg: RunConfig): number {
  return Math.max(0, Math.min(1, cfg.layers.length - 2));
}

/** The points for `cfg`'s representative layer, placed for `activation` (default: that layer's). */
export function networkPoints(cfg: RunConfig, activation?: Activation, points?: number): NetworkPoints {
  const layer = bulkLayer(cfg);
  const fanIn = layer === 0 ? datasetInputDim(cfg.dataset) : cfg.layers[layer - 1].units;
  const { units, kernel_initializer: own, bias_initializer: bias } = cfg.layers[layer];
  const act = activation ?? cfg.layers[layer].activation;
  const theoryAct = theoryActivation(act);
  const place = (init: Initializer) => {
    const v = layerVariances(init, bias, fanIn, units);
    if (v?.weightMean !== 0) return null;
    const biasVariance = v.biasVariance + v.biasMean ** 2;
    const theory = meanField({ act: theoryAct, weightVariance: v.weightVariance, biasVariance, points });
    return { weightVariance: v.weightVariance, biasVariance, theory };
  };
  const out: InitializerPoint[] = [];
  for (const name of PRESET_POINTS) {
    const init = parseInitializer(name, name);
    const at = place(init);
    const label = name === 'glorot_normal' && fanIn !== units ? `glorot_normal (${fanIn}→${units})` : name;
    if (at) out.push({ id: name, label, init, current: same(init, own), ...at });
  }
  let note: string | null = null;
  if (!out.some((p) => p.current)) {
    const at = place(own);
    if (at) out.push({ id: 'own', label: `yours: ${initLabel(own)}`, init: own, current: true, ...at });
    else
      note =
        own.name === 'identity'
          ? 'The network’s identity initializer draws nothing at random: it has no place on this plane.'
          : 'The network’s weights have a nonzero mean: the zero-mean theory does not place them.';
  }
  return { layer, fanIn, units, activation: act, points: out, note };
}
