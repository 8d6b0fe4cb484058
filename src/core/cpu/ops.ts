/**
 * @file The CPU reference kernels over flat row-major Float32Arrays: the same operations as
 * shaders/*.wgsl, written for clarity first and cache-friendly loop order second (the inner loop
 * walks contiguous memory where it can; the products keep blocks of sums in registers, `gemm`).
 * No allocation inside any function.
 */
import { actForward, softmaxRow } from '../activations';
import type { Floats } from '../types';

/**
 * out[r·oRs + c] = bias[c] (or 0) + Σ_p A[r·aRs + p·aPs] · B[p·bPs + c·bCs] for r < rows,
 * c < cols, p < inner: the one product loop behind the three below, which differ only in
 * strides. Blocks of 4 rows × 4 columns keep their 16 sums in locals (registers) across the
 * whole p loop, so each step loads 8 operands for 16 multiply-adds where a plain loop loads 2
 * and stores 1 per multiply-add (bench/REPORT.md history).
 * A step whose 4 values of A are all zero is skipped: A is the layer's input in forward and dW,
 * and MNIST's pixels are mostly zero (so, often, are ReLU's outputs). Rows and columns past the
 * last whole block take the same sums one element at a time. Sums are kept in float64 and
 * rounded once when stored (the GPU rounds to float32 after every step; the two agree to
 * float32 tolerance).
 */
function gemm(
  rows: number,
  cols: number,
  inner: number,
  A: Floats,
  aRs: number,
  aPs: number,
  B: Floats,
  bPs: number,
  bCs: number,
  out: Floats,
  oRs: number,
  bias: Floats | null,
): void {
  const R4 = rows - (rows % 4),
    C4 = cols - (cols % 4);
  for (let r = 0; r < R4; r += 4) {
    for (let c = 0; c < C4; c += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let p = 0, ai = r * aRs, bi = c * bCs; p < inner; p++, ai += aPs, bi += bPs) {
        const a0 = A[ai],
          a1 = A[ai + aRs],
          a2 = A[ai + 2 * aRs],
          a3 = A[ai + 3 * aRs];
        if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
        const b0 = B[bi],
          b1 = B[bi + bCs],
          b2 = B[bi + 2 * bCs],
          b3 = B[bi + 3 * bCs];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s02 += a0 * b2;
        s03 += a0 * b3;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s12 += a1 * b2;
        s13 += a1 * b3;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s22 += a2 * b2;
        s23 += a2 * b3;
        s30 += a3 * b0;
        s31 += a3 * b1;
        s32 += a3 * b2;
        s33 += a3 * b3;
      }
      const i0 = bias ? bias[c] : 0,
        i1 = bias ? bias[c + 1] : 0,
        i2 = bias ? bias[c + 2] : 0,
        i3 = bias ? bias[c + 3] : 0;
      let o = r * oRs + c;
      out[o] = i0 + s00;
      out[o + 1] = i1 + s01;
      out[o + 2] = i2 + s02;
      out[o + 3] = i3 + s03;
      o += oRs;
      out[o] = i0 + s10;
      out[o + 1] = i1 + s11;
      out[o + 2] = i2 + s12;
      out[o + 3] = i3 + s13;
      o += oRs;
      out[o] = i0 + s20;
      out[o + 1] = i1 + s21;
      out[o + 2] = i2 + s22;
      out[o + 3] = i3 + s23;
      o += oRs;
      out[o] = i0 + s30;
      out[o + 1] = i1 + s31;
      out[o + 2] = i2 + s32;
      out[o + 3] = i3 + s33;
    }
  }
  // The rest: the last columns of the blocked rows, then every column of the last rows.
  for (let r = 0; r < rows; r++) {
    for (let c = r < R4 ? C4 : 0; c < cols; c++) {
      let s = 0;
      for (let p = 0, ai = r * aRs, bi = c * bCs; p < inner; p++, ai += aPs, bi += bPs) s += A[ai] * B[bi];
      out[r * oRs + c] = (bias ? bias[c] : 0) + s;
    }
  }
}

/** Z[M×N] = X[M×K] · W[K×N] + b[N]. */
export function matmulBias(M: number, K: number, N: number, X: Floats, W: Floats, b: Floats | null, Z: Floats): void {
  gemm(M, N, K, X, K, 1, W, N, 1, Z, N, b);
}

/** dX[M×K] = dZ[M×N] · W[K×N]ᵀ. */
export function matmulTransB(M: number, K: number, N: number, dZ: Floats, W: Floats, dX: Floats): void {
  gemm(M, K, N, dZ, N, 1, W, 1, N, dX, K, null);
}

/** dW[K×N] = X[M×K]ᵀ · dZ[M×N]; db[N] = column sums of dZ. */
export function matmulTransA(
  M: number,
  K: number,
  N: number,
  X: Floats,
  dZ: Floats,
  dW: Floats,
  db: Floats | null,
): void {
  gemm(K, N, M, X, 1, K, dZ, N, 1, dW, N, null);
  if (db) {
    db.fill(0, 0, N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) db[j] += dZ[i * N + j];
  }
}

/** A = f(Z) elementwise, or row-wise softmax (id 11). */
export function activate(id: number, alpha: number, rows: number, units: number, Z: Floats, A: Floats): void {
  if (id === 11) {
    for (let r = 0; r < rows; r++) softmaxRow(Z, r * units, units, A);
    return;
  }
  const n = rows * units;
  for (let i = 0; i < n; i++) A[i] = actForward(id, alpha, Z[i]);
}
