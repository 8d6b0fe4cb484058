/**
 * @file The trainable-depth networks on the CPU, one at a time: the reference the GPU population
 * is tested against and the fallback where there is no WebGPU. The same draws (the engine's
 * sampleCpu: network c of the grid uses seed + c), the same batches (the run schedule), the same
 * arithmetic: [in, 1] · [W; b], the engine's softmax cross-entropy (core/losses.ts), SGD on [W; b] after the
 * gradient passed down is taken with the old weights.
 */

import { actDerivative, actForward, softmaxRow } from '../../core/activations';
import { ACTIVATION_ID } from '../../core/ids';
import { lossForwardBackward } from '../../core/losses';
import { Stream } from '../../core/rng';
import { sampleCpu } from '../../core/sampling';
import type { Dataset } from '../../core/types';
import { Schedule } from '../../train/schedule';
import { type DepthConfig, depthShape } from './config';
import { layerSize } from './layout';

interface CpuNetwork {
  depth: number;
  /** [W; b] per layer, (fan_in + 1) × units row-major, the output layer last. */
  params: Float32Array[];
}

/** The initial [W; b] of grid cell `cell` (σ_w² and depth from the config's grid). */
export function initialNetwork(cfg: DepthConfig, cell: number): CpuNetwork {
  const { inputDim, classes } = depthShape(cfg);
  const depth = cfg.depths[cell % cfg.depths.length];
  const weightVariance = cfg.weight_variances[Math.floor(cell / cfg.depths.length)];
  const params: Float32Array[] = [];
  for (let l = 0; l <= depth; l++) {
    const { k, n } = layerSize(l, depth, cfg.width, inputDim, classes);
    const p = new Float32Array((k + 1) * n);
    const seed = cfg.seed + cell;
    p.set(
      sampleCpu({ kind: 'normal', mean: 0, stddev: Math.sqrt(weightVariance / k) }, [k, n], seed, l, Stream.kernel),
    );
    p.set(
      sampleCpu({ kind: 'normal', mean: 0, stddev: Math.sqrt(cfg.bias_variance) }, [n], seed, l, Stream.bias),
      k * n,
    );
    params.push(p);
  }
  return { depth, params };
}

/** The pre-activations of every layer for `rows` of `data` (each m × units). */
function forward(cfg: DepthConfig, net: CpuNetwork, data: Dataset, rows: Uint32Array): Float32Array[] {
  const id = ACTIVATION_ID[cfg.activation.name],
    alpha = cfg.activation.alpha;
  const { classes } = depthShape(cfg);
  const m = rows.length;
  const zs: Float32Array[] = [];
  net.params.forEach((p, l) => {
    const { k, n } = layerSize(l, net.depth, cfg.width, data.inputDim, classes);
    const input = (r: number, i: number) =>
      l === 0 ? data.x[rows[r] * k + i] : actForward(id, alpha, zs[l - 1][r * k + i]);
    const z = new Float32Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let i = 0; i < k; i++) acc += input(r, i) * p[i * n + j];
        z[r * n + j] = acc + p[k * n + j];
      }
    }
    zs.push(z);
  });
  return zs;
}

/** One SGD step of one network on the rows `rows` of `data`. */
export function trainStep(cfg: DepthConfig, net: CpuNetwork, data: Dataset, rows: Uint32Array): void {
  const id = ACTIVATION_ID[cfg.activation.name],
    alpha = cfg.activation.alpha;
  const { classes } = depthShape(cfg);
  const m = rows.length;
  const zs = forward(cfg, net, data, rows);
  // dZ of the output: the engine's softmax cross-entropy, fused, (softmax − onehot)/m.
  let dz: Float32Array = outputLoss(zs[net.depth], data, rows, classes).dZ;
  for (let l = net.depth; l >= 0; l--) {
    const p = net.params[l];
    const { k, n } = layerSize(l, net.depth, cfg.width, data.inputDim, classes);
    const input = (r: number, i: number) =>
      i === k ? 1 : l === 0 ? data.x[rows[r] * k + i] : actForward(id, alpha, zs[l - 1][r * k + i]);
    // The gradient passed down, with the weights before this layer's update.
    let below: Float32Array | null = null;
    if (l > 0) {
      below = new Float32Array(m * k);
      for (let r = 0; r < m; r++)
        for (let i = 0; i < k; i++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += dz[r * n + j] * p[i * n + j];
          below[r * k + i] = acc;
        }
    }
    for (let i = 0; i <= k; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let r = 0; r < m; r++) acc += input(r, i) * dz[r * n + j];
        p[i * n + j] -= cfg.learning_rate * acc;
      }
    if (below) {
      const zBelow = zs[l - 1];
      for (let e = 0; e < below.length; e++) below[e] *= actDerivative(id, alpha, zBelow[e]);
      dz = below;
    }
  }
}

/** The softmax cross-entropy of the output `z` for `rows` of `data` (the CPU engine's loss). */
function outputLoss(z: Float32Array, data: Dataset, rows: Uint32Array, classes: number) {
  const m = rows.length;
  const a = new Float32Array(m * classes);
  const y = new Float32Array(m * classes);
  for (let r = 0; r < m; r++) {
    softmaxRow(z, r * classes, classes, a);
    y[r * classes + data.labels[rows[r]]] = 1;
  }
  const dZ = new Float32Array(m * classes);
  const { correct } = lossForwardBackward(
    'categorical_crossentropy',
    ACTIVATION_ID.softmax,
    0,
    m,
    classes,
    z,
    a,
    y,
    new Float32Array(m * classes),
    dZ,
  );
  return { dZ, correct };
}

/** The fraction of `data`'s rows the network classifies right (Keras' accuracy). */
export function accuracyOf(cfg: DepthConfig, net: CpuNetwork, data: Dataset): number {
  const rows = Uint32Array.from({ length: data.n }, (_, i) => i);
  const { classes } = depthShape(cfg);
  return outputLoss(forward(cfg, net, data, rows)[net.depth], data, rows, classes).correct / data.n;
}

/** The batches of the experiment: the run schedule's, for every network alike. */
export function depthSchedule(cfg: DepthConfig, trainRows: number): Schedule {
  const perEpoch = Math.ceil(trainRows / Math.min(cfg.batch_size, trainRows));
  return new Schedule(trainRows, cfg.batch_size, Math.ceil(cfg.steps / perEpoch), cfg.seed, 1);
}
