/**
 * @file Drawing a tensor from a resolved `Sampler` on the CPU, and how a kernel draws the same.
 *
 * `sampleCpu` is the specification the WGSL init kernel reproduces bit for bit: every value is
 * a pure function of (seed, layer, stream, element index, attempt) through the Philox counter
 * generator, so the two never need to share state. Orthogonal and identity matrices are drawn
 * here (a QR per matrix is no GPU work) and written by the callers.
 */
import { ConfigError } from './errors';
import { INIT_ID } from './ids';
import { checkShape } from './initializers';
import { CounterRng, toNormal, toUniform } from './rng';
import type { Sampler } from './types';

/** Redraws before a truncated normal gives up and clamps (the chance of reaching it is 0.0455^16). */
const TRUNCATED_ATTEMPTS = 16;

/**
 * Draws a tensor on the CPU: row-major, element e = row * cols + col. This is the reference the
 * WGSL kernel matches bit for bit, so the arithmetic is spelled out in float32 steps. Parameters
 * are rounded to float32 first because that is what the GPU receives in its uniform buffer.
 */
export function sampleCpu(
  sampler: Sampler,
  shape: [number] | [number, number],
  seed: number,
  layer: number,
  stream: number,
): Float32Array {
  checkShape(shape);
  const size = shape.length === 1 ? shape[0] : shape[0] * shape[1];
  const out = new Float32Array(size);
  const f = Math.fround;
  switch (sampler.kind) {
    case 'constant':
      out.fill(sampler.value);
      return out;
    case 'uniform': {
      const rng = new CounterRng(seed, layer, stream);
      const min = f(sampler.min),
        range = f(f(sampler.max) - min);
      for (let e = 0; e < size; e++) out[e] = f(min + f(range * toUniform(rng.words(e, 0)[0])));
      return out;
    }
    case 'normal': {
      const rng = new CounterRng(seed, layer, stream);
      const mean = f(sampler.mean),
        stddev = f(sampler.stddev);
      for (let e = 0; e < size; e++) {
        const w = rng.words(e, 0);
        // Two float32 roundings, product then sum, as shaders/init.wgsl computes it.
        out[e] = f(mean + f(stddev * toNormal(w[0], w[1])));
      }
      return out;
    }
    case 'truncated_normal': {
      const rng = new CounterRng(seed, layer, stream);
      const mean = f(sampler.mean),
        stddev = f(sampler.stddev);
      for (let e = 0; e < size; e++) {
        let z = 0;
        for (let attempt = 0; attempt < TRUNCATED_ATTEMPTS; attempt++) {
          const w = rng.words(e, attempt);
          z = toNormal(w[0], w[1]);
          if (Math.abs(z) <= 2) break;
        }
        // Only reached with |z| > 2 after every attempt failed: clamping keeps the bound exact.
        z = Math.min(2, Math.max(-2, z));
        out[e] = f(mean + f(stddev * z));
      }
      return out;
    }
    case 'orthogonal':
    case 'identity': {
      if (shape.length !== 2) {
        throw new ConfigError('', `${sampler.kind} needs a 2-D kernel; it cannot initialize a bias`);
      }
      const [rows, cols] = shape;
      if (sampler.kind === 'identity') {
        // keras.initializers.Identity: gain * eye(rows, cols), non-square allowed.
        for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = sampler.gain;
        return out;
      }
      return orthogonal(rows, cols, sampler.gain, seed, layer, stream, out);
    }
  }
}

/**
 * keras.initializers.Orthogonal: a (max, min) standard normal matrix, its reduced QR, Q's columns
 * multiplied by sign(diag(R)) so the factorization is unique (Q then does not depend on the QR
 * routine's sign convention), transposed for wide shapes, times gain.
 */
function orthogonal(
  rows: number,
  cols: number,
  gain: number,
  seed: number,
  layer: number,
  stream: number,
  out: Float32Array,
): Float32Array {
  const m = Math.max(rows, cols),
    k = Math.min(rows, cols);
  const rng = new CounterRng(seed, layer, stream);
  // Column-major (column j is a[j*m .. j*m+m)) so Householder updates walk contiguous memory;
  // the draws are indexed over the row-major (m, k) matrix like every other tensor's.
  const a = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      const w = rng.words(i * k + j, 0);
      a[j * m + i] = toNormal(w[0], w[1]);
    }
  }
  const { q, rDiag } = householderQr(a, m, k);
  for (let j = 0; j < k; j++) {
    // sign(0) would zero a column; R's diagonal is 0 only for a rank-deficient draw (probability 0).
    const s = rDiag[j] < 0 ? -gain : gain;
    for (let i = 0; i < m; i++) {
      const v = q[j * m + i] * s;
      if (rows >= cols)
        out[i * cols + j] = v; // Q is (rows, cols)
      else out[j * cols + i] = v; // Q is (cols, rows): write its transpose
    }
  }
  return out;
}

/**
 * Reduced QR of a column-major (m, k) matrix, m >= k, by Householder reflections in float64.
 * Overwrites `a`. Returns thin Q (column-major, m x k) and R's diagonal.
 */
function householderQr(a: Float64Array, m: number, k: number): { q: Float64Array; rDiag: Float64Array } {
  const vs = new Float64Array(m * k); // reflector j lives in vs[j*m + j .. j*m + m), unit length
  const rDiag = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const col = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += a[col + i] * a[col + i];
    norm = Math.sqrt(norm);
    if (norm === 0) {
      rDiag[j] = 0;
      continue;
    } // zero reflector: H = I
    // alpha opposite in sign to the pivot avoids cancellation in v = x - alpha e1.
    const alpha = a[col + j] >= 0 ? -norm : norm;
    let vnorm = 0;
    for (let i = j; i < m; i++) {
      const v = i === j ? a[col + i] - alpha : a[col + i];
      vs[col + i] = v;
      vnorm += v * v;
    }
    vnorm = Math.sqrt(vnorm);
    for (let i = j; i < m; i++) vs[col + i] /= vnorm;
    rDiag[j] = alpha;
    // Apply H = I - 2 v v^T to the remaining columns.
    for (let c = j + 1; c < k; c++) {
      const cc = c * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += vs[col + i] * a[cc + i];
      dot *= 2;
      for (let i = j; i < m; i++) a[cc + i] -= dot * vs[col + i];
    }
  }
  // Q = H_0 H_1 ... H_{k-1} I[:, :k], accumulated backwards. H_j only touches rows >= j, and
  // columns c < j are still e_c there (zero in those rows), so only columns c >= j change.
  const q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) q[j * m + j] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const col = j * m;
    if (rDiag[j] === 0) continue;
    for (let c = j; c < k; c++) {
      const cc = c * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += vs[col + i] * q[cc + i];
      dot *= 2;
      for (let i = j; i < m; i++) q[cc + i] -= dot * vs[col + i];
    }
  }
  return { q, rDiag };
}

/**
 * The draw a kernel makes for `s` (INIT_ID; shaders/init_draw.wgsl), or null for the samplers
 * drawn on the CPU and uploaded (orthogonal and identity: a QR decomposition is no GPU work).
 */
export function drawKindId(s: Sampler): number | null {
  return s.kind === 'orthogonal' || s.kind === 'identity' ? null : INIT_ID[s.kind];
}

/** The two numbers a kernel's draw takes for `s`: the constant; min and max; mean and stddev. */
export function drawParams(s: Sampler): [number, number] {
  switch (s.kind) {
    case 'constant':
      return [s.value, 0];
    case 'uniform':
      return [s.min, s.max];
    case 'normal':
    case 'truncated_normal':
      return [s.mean, s.stddev];
    default:
      return [0, 0];
  }
}
