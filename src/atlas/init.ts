/**
 * @file Initial weights of a population, on the CPU (the reference the GPU init kernel matches
 * bit for bit) and as the list of draws the GPU performs.
 *
 * The seeding scheme: within a block of networks drawn from one initializer (a population, or
 * one row of an initializer table), network m gets seed `seed + m` and draws every tensor exactly
 * as the ordinary trainer draws its initial weights for a run with that seed (`initialWeightsCpu`:
 * Philox counter (element, attempt, Stream.kernel or Stream.bias, layer), key = the seed's two
 * words). So network m of an atlas is reproducible on its own with
 * `mlp-playground train --seed <seed + m>`, and rows of an initializer table share their seeds
 * (common random numbers: scales differ by the factor only).
 *
 * A basin map draws the non-axis weights once, with the config's seed (network 0's draw), and
 * sets its two axes on a grid of cell centres.
 */
import { resolveSampler } from '../core/initializers';
import { Stream } from '../core/rng';
import { sampleCpu } from '../core/sampling';
import type { Initializer, Sampler } from '../core/types';
import { networkCount } from './config';
import { paramIndex } from './network';
import type { AtlasConfig, BasinMode, InitSpec, NetShape } from './types';

/**
 * Multiplies a sampler's spread by `k`: stddev, the uniform half-width around its centre, a
 * constant's value, orthogonal/identity gain. `k = 1` returns the sampler itself (bit-exact draws).
 */
export function scaleSampler(s: Sampler, k: number): Sampler {
  if (k === 1) return s;
  switch (s.kind) {
    case 'constant':
      return { kind: 'constant', value: s.value * k };
    case 'uniform': {
      const mid = (s.min + s.max) / 2,
        half = ((s.max - s.min) / 2) * k;
      return { kind: 'uniform', min: mid - half, max: mid + half };
    }
    case 'normal':
    case 'truncated_normal':
      return { ...s, stddev: s.stddev * k };
    case 'orthogonal':
    case 'identity':
      return { ...s, gain: s.gain * k };
  }
}

/** One tensor of one network: its first parameter row, shape, sampler and counter ids. */
export interface TensorDraw {
  row: number;
  shape: [number] | [number, number];
  size: number;
  sampler: Sampler;
  layer: number;
  stream: number;
}

/** Networks [first, first + count) drawn with seeds seed, seed + 1, ... */
export interface DrawBlock {
  first: number;
  count: number;
  seed: number;
  tensors: TensorDraw[];
}

/** The tensors of one network under `spec` (null fields: the layers' own initializers). */
function tensorDraws(cfg: AtlasConfig, shape: NetShape, spec: InitSpec): TensorDraw[] {
  return shape.layers.flatMap((L, l): TensorDraw[] => {
    const k: Initializer = spec.kernel ?? cfg.layers[l].kernel_initializer;
    const b: Initializer = spec.bias ?? cfg.layers[l].bias_initializer;
    const ks: [number, number] = [L.fanIn, L.units];
    return [
      {
        row: L.kernelOffset,
        shape: ks,
        size: L.fanIn * L.units,
        sampler: scaleSampler(resolveSampler(k, ks), spec.scale),
        layer: l,
        stream: Stream.kernel,
      },
      {
        row: L.biasOffset,
        shape: [L.units],
        size: L.units,
        sampler: resolveSampler(b, [L.units]),
        layer: l,
        stream: Stream.bias,
      },
    ];
  });
}

/** The draw blocks of a population or initializer-table run (a basin map has none: see basinInitial). */
export function drawBlocks(cfg: AtlasConfig, shape: NetShape): DrawBlock[] {
  const m = cfg.mode;
  if (m.mode === 'population')
    return [{ first: 0, count: m.size, seed: cfg.seed, tensors: tensorDraws(cfg, shape, m.init) }];
  if (m.mode === 'initializers') {
    const blocks: DrawBlock[] = [];
    for (const kernel of m.initializers) {
      for (const scale of m.scales) {
        blocks.push({
          first: blocks.length * m.seeds,
          count: m.seeds,
          seed: cfg.seed,
          tensors: tensorDraws(cfg, shape, { kernel, bias: null, scale }),
        });
      }
    }
    return blocks;
  }
  return [];
}

/** Writes tensor `t` of every network in `block` into the parameter-major array `out`. */
export function drawTensorCpu(block: DrawBlock, t: TensorDraw, networks: number, out: Float32Array): void {
  for (let m = 0; m < block.count; m++) {
    const v = sampleCpu(t.sampler, t.shape, block.seed + m, t.layer, t.stream);
    const n = block.first + m;
    for (let e = 0; e < t.size; e++) out[(t.row + e) * networks + n] = v[e];
  }
}

/** A basin map's grid: cell centres of `res` cells over each axis' range, x fastest. */
export function axisValues(range: [number, number], res: number): Float64Array {
  const v = new Float64Array(res);
  const step = (range[1] - range[0]) / res;
  for (let i = 0; i < res; i++) v[i] = range[0] + (i + 0.5) * step;
  return v;
}

/** The one parameter vector a basin map's non-axis weights take. */
function basinBase(cfg: AtlasConfig, shape: NetShape, m: BasinMode): Float32Array {
  if (m.others.kind === 'fixed') return Float32Array.from(m.others.values);
  const base = new Float32Array(shape.params);
  for (const t of tensorDraws(cfg, shape, m.others.init))
    base.set(sampleCpu(t.sampler, t.shape, cfg.seed, t.layer, t.stream), t.row);
  return base;
}

/**
 * A basin map's initial weights, parameter-major: network n = j * res + i has axis 0 at cell i
 * and axis 1 at cell j (j grows with the second weight: row 0 is the map's bottom).
 */
export function basinInitial(cfg: AtlasConfig, shape: NetShape, m: BasinMode): Float32Array {
  const res = m.resolution,
    N = res * res;
  const out = new Float32Array(shape.params * N);
  const base = basinBase(cfg, shape, m);
  for (let p = 0; p < shape.params; p++) out.fill(base[p], p * N, (p + 1) * N);
  const [ax, ay] = m.axes;
  const px = paramIndex(shape, ax),
    py = paramIndex(shape, ay);
  const xs = axisValues(ax.range, res),
    ys = axisValues(ay.range, res);
  for (let j = 0; j < res; j++) {
    for (let i = 0; i < res; i++) {
      out[px * N + j * res + i] = xs[i];
      out[py * N + j * res + i] = ys[j];
    }
  }
  return out;
}

/** Every network's initial weights on the CPU, parameter-major. */
export function initialWeightsCpu(cfg: AtlasConfig, shape: NetShape): Float32Array {
  if (cfg.mode.mode === 'basin') return basinInitial(cfg, shape, cfg.mode);
  const networks = networkCount(cfg.mode);
  const out = new Float32Array(shape.params * networks);
  for (const block of drawBlocks(cfg, shape)) for (const t of block.tensors) drawTensorCpu(block, t, networks, out);
  return out;
}
