/**
 * @file Shapes of a configured network and what it costs in memory, computed before anything is
 * allocated, so that a model too large for the device or the CPU budget is refused with a clear
 * message instead of failing half-way.
 */
import { datasetInputDim } from '../core/config';
import { ConfigError } from '../core/errors';
import { resolveSampler } from '../core/initializers';
import { Stream } from '../core/rng';
import { sampleCpu } from '../core/sampling';
import type { RunConfig } from '../core/types';
import type { LayerWeights } from './engine';

export interface LayerShape {
  fanIn: number;
  units: number;
}

export function layerShapes(cfg: RunConfig): LayerShape[] {
  let fanIn = datasetInputDim(cfg.dataset);
  return cfg.layers.map((l) => {
    const s = { fanIn, units: l.units };
    fanIn = l.units;
    return s;
  });
}

export function paramCount(shapes: LayerShape[]): number {
  return shapes.reduce((s, l) => s + l.fanIn * l.units + l.units, 0);
}

/** The largest single tensors, in floats: they decide whether a device's binding limit fits. */
function largestTensors(shapes: LayerShape[], batch: number, n: number, inputDim: number, outDim: number) {
  return {
    kernel: Math.max(...shapes.map((s) => s.fanIn * s.units)),
    activation: batch * Math.max(inputDim, ...shapes.map((s) => s.units)),
    data: n * Math.max(inputDim, outDim),
  };
}

/** Total bytes: 5 copies of each kernel (W, dW, two optimizer slots, W before the update), 4 activations, the data. */
export function estimateBytes(
  shapes: LayerShape[],
  batch: number,
  n: number,
  inputDim: number,
  outDim: number,
): number {
  const params = paramCount(shapes);
  const acts = shapes.reduce((s, l) => s + batch * l.units, 0) * 4 + batch * inputDim;
  return 4 * (params * 5 + acts + n * (inputDim + outDim));
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Throws a ConfigError naming the first tensor that cannot be held. */
export function checkFits(
  shapes: LayerShape[],
  batch: number,
  n: number,
  inputDim: number,
  outDim: number,
  limits: { maxBinding: number; maxTotal: number; where: string },
): void {
  const t = largestTensors(shapes, batch, n, inputDim, outDim);
  const total = estimateBytes(shapes, batch, n, inputDim, outDim);
  const big = shapes.findIndex((s) => s.fanIn * s.units * 4 > limits.maxBinding);
  const overBinding = `more than ${limits.where} can bind in one buffer (${mib(limits.maxBinding)})`;
  if (big >= 0) {
    const s = shapes[big];
    throw new ConfigError(
      `layers[${big}].units`,
      `gives a ${s.fanIn}x${s.units} kernel of ${mib(s.fanIn * s.units * 4)}, ${overBinding}`,
    );
  }
  if (t.activation * 4 > limits.maxBinding) {
    throw new ConfigError('batch_size', `${batch} gives activations of ${mib(t.activation * 4)}, ${overBinding}`);
  }
  if (t.data * 4 > limits.maxBinding) {
    throw new ConfigError('dataset.samples', `${n} samples need ${mib(t.data * 4)}, ${overBinding}`);
  }
  if (total > limits.maxTotal) {
    throw new ConfigError(
      'layers',
      `need about ${mib(total)} in all, more than ${limits.where} allows (${mib(limits.maxTotal)})`,
    );
  }
}

/** Initial weights drawn on the CPU (the oracle for the GPU's init kernel). */
export function initialWeightsCpu(cfg: RunConfig): LayerWeights[] {
  return layerShapes(cfg).map((s, l) => {
    const layer = cfg.layers[l];
    const kp = `layers[${l}].kernel_initializer`,
      bp = `layers[${l}].bias_initializer`;
    return {
      kernel: sampleCpu(
        resolveSampler(layer.kernel_initializer, [s.fanIn, s.units], kp),
        [s.fanIn, s.units],
        cfg.seed,
        l,
        Stream.kernel,
      ),
      bias: sampleCpu(resolveSampler(layer.bias_initializer, [s.units], bp), [s.units], cfg.seed, l, Stream.bias),
    };
  });
}

/** Refuses weights whose shapes differ from the configured network. */
export function checkWeights(shapes: LayerShape[], w: LayerWeights[]): void {
  if (w.length !== shapes.length) {
    throw new ConfigError('weights.layers', `has ${w.length} layers but the config has ${shapes.length}`);
  }
  shapes.forEach((s, l) => {
    if (w[l].kernel.length !== s.fanIn * s.units) {
      throw new ConfigError(
        `weights.layers[${l}].kernel`,
        `must have shape [${s.fanIn}, ${s.units}] for this config, got ${w[l].kernel.length} values`,
      );
    }
    if (w[l].bias.length !== s.units) {
      throw new ConfigError(
        `weights.layers[${l}].bias`,
        `must have shape [${s.units}] for this config, got ${w[l].bias.length} values`,
      );
    }
  });
}
