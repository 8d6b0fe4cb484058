/**
 * @file A batch Self-Organizing Map of the population's initial weight vectors (after Adam,
 * Karras & Vrahatis 2008, who mapped the initial weights of XOR networks to see where training
 * succeeds), the CPU half; src/atlas/gpu-som.ts runs the same iterations on the GPU.
 *
 * Batch SOM (Kohonen): prototypes start at data vectors picked by the counter RNG; each
 * iteration finds every vector's best-matching unit (BMU, the nearest prototype, the first on a
 * tie), then sets prototype k to sum_u h(k,u) S_u / sum_u h(k,u) c_u, where S_u and c_u are the
 * sum and count of the vectors whose BMU is u and h(k,u) = exp(-|grid(k) - grid(u)|^2 / 2σ^2),
 * σ shrinking geometrically from sigma_start to sigma_end. A final BMU pass assigns networks to
 * cells, and each cell is coloured by the fraction of its networks that converged; the U-matrix
 * (mean distance of a prototype to its grid neighbours) shows where the map folds.
 */
import { CounterRng, Stream } from '../core/rng';
import type { SomConfig } from './types';

/** Counter stream of the SOM's initial picks (apart from the engine's streams in src/core/rng.ts). */
const SOM_STREAM = Stream.som;

export interface SomResult {
  rows: number;
  cols: number;
  dim: number;
  /** units × dim, unit k = row * cols + col. */
  prototypes: Float32Array;
  /** BMU of every vector after the last iteration. */
  bmu: Uint32Array;
  /** Per unit: networks held, the fraction of them that converged (NaN when empty), U-matrix height. */
  count: Uint32Array;
  success: Float32Array;
  umatrix: Float32Array;
}

/** σ of iteration `it` (0-based): geometric from sigma_start to sigma_end. */
function somSigma(cfg: SomConfig, it: number): number {
  if (cfg.iterations === 1) return cfg.sigma_end;
  return cfg.sigma_start * (cfg.sigma_end / cfg.sigma_start) ** (it / (cfg.iterations - 1));
}

/** Float32 factor 1 / (2σ²) of iteration `it`, as the GPU receives it. */
export function somInv2s2(cfg: SomConfig, it: number): number {
  const s = somSigma(cfg, it);
  return Math.fround(1 / (2 * s * s));
}

/** Initial prototypes: unit k takes vector `below(n)` drawn at counter k (repeats allowed). */
export function somInitial(data: Float32Array, n: number, dim: number, units: number, seed: number): Float32Array {
  const rng = new CounterRng(seed, 0, SOM_STREAM);
  const protos = new Float32Array(units * dim);
  for (let k = 0; k < units; k++) {
    const i = rng.below(n, k);
    for (let d = 0; d < dim; d++) protos[k * dim + d] = data[d * n + i];
  }
  return protos;
}

/** Nearest prototype of every vector of the parameter-major `data`. */
export function somBmu(
  data: Float32Array,
  n: number,
  dim: number,
  protos: Float32Array,
  units: number,
  out = new Uint32Array(n),
): Uint32Array {
  const x = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) x[d] = data[d * n + i];
    let best = 0,
      bestD = Infinity;
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const e = x[d] - protos[u * dim + d];
        s += e * e;
      }
      if (s < bestD) {
        bestD = s;
        best = u;
      }
    }
    out[i] = best;
  }
  return out;
}

/** One batch update of `protos` in place from the BMUs. */
function somUpdate(
  data: Float32Array,
  n: number,
  dim: number,
  bmu: Uint32Array,
  protos: Float32Array,
  rows: number,
  cols: number,
  inv2s2: number,
): void {
  const units = rows * cols;
  const S = new Float64Array(units * dim),
    c = new Float64Array(units);
  for (let i = 0; i < n; i++) {
    const u = bmu[i];
    c[u]++;
    for (let d = 0; d < dim; d++) S[u * dim + d] += data[d * n + i];
  }
  const num = new Float64Array(dim);
  for (let k = 0; k < units; k++) {
    const kr = Math.floor(k / cols),
      kc = k % cols;
    num.fill(0);
    let den = 0;
    for (let u = 0; u < units; u++) {
      if (c[u] === 0) continue;
      const dr = Math.floor(u / cols) - kr,
        dc = (u % cols) - kc;
      const h = Math.exp(-(dr * dr + dc * dc) * inv2s2);
      for (let d = 0; d < dim; d++) num[d] += h * S[u * dim + d];
      den += h * c[u];
    }
    if (den > 0) for (let d = 0; d < dim; d++) protos[k * dim + d] = num[d] / den;
  }
}

/** Mean Euclidean distance from each prototype to its 4-neighbours on the grid. */
function uMatrix(protos: Float32Array, rows: number, cols: number, dim: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0,
        k = 0;
      for (const [dr, dc] of [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ]) {
        const rr = r + dr,
          cc = c + dc;
        if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
        let s = 0;
        for (let d = 0; d < dim; d++) {
          const e = protos[(r * cols + c) * dim + d] - protos[(rr * cols + cc) * dim + d];
          s += e * e;
        }
        sum += Math.sqrt(s);
        k++;
      }
      out[r * cols + c] = sum / k;
    }
  }
  return out;
}

/** Cell statistics once the final BMUs are known: networks per cell and their success fraction. */
function somCells(bmu: Uint32Array, epoch: Int32Array, units: number): { count: Uint32Array; success: Float32Array } {
  const count = new Uint32Array(units),
    ok = new Uint32Array(units);
  for (let i = 0; i < bmu.length; i++) {
    count[bmu[i]]++;
    if (epoch[i] >= 0) ok[bmu[i]]++;
  }
  const success = new Float32Array(units);
  for (let u = 0; u < units; u++) success[u] = count[u] ? ok[u] / count[u] : NaN;
  return { count, success };
}

/** What a map trains on: `data` parameter-major (n vectors of `dim`); `epoch` colours the cells. */
export interface SomInput {
  cfg: SomConfig;
  data: Float32Array;
  n: number;
  dim: number;
  epoch: Int32Array;
  seed: number;
}

/** The trained map from its final prototypes and best-matching units, on either backend. */
export function somResult({ cfg, dim, epoch }: SomInput, prototypes: Float32Array, bmu: Uint32Array): SomResult {
  const { rows, cols } = cfg;
  const cells = somCells(bmu, epoch, rows * cols);
  return { rows, cols, dim, prototypes, bmu, ...cells, umatrix: uMatrix(prototypes, rows, cols, dim) };
}

/** Trains the map on the CPU. */
export function trainSomCpu(input: SomInput): SomResult {
  const { cfg, data, n, dim, seed } = input;
  const { rows, cols } = cfg,
    units = rows * cols;
  const protos = somInitial(data, n, dim, units, seed);
  const bmu = new Uint32Array(n);
  for (let it = 0; it < cfg.iterations; it++) {
    somBmu(data, n, dim, protos, units, bmu);
    somUpdate(data, n, dim, bmu, protos, rows, cols, somInv2s2(cfg, it));
  }
  somBmu(data, n, dim, protos, units, bmu);
  return somResult(input, protos, bmu);
}
