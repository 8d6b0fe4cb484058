/**
 * @file The CPU reference kernels over flat row-major Float32Arrays: the same operations as
 * shaders/*.wgsl, written for clarity first and cache-friendly loop order second (the inner loop
 * always walks contiguous memory). No allocation inside any function.
 */
import { actForward, softmaxRow } from '../activations';
import type { Floats } from '../types';

/** Z[M×N] = X[M×K] · W[K×N] + b[N]. i-k-j order: the inner loop streams a row of W and of Z. */
export function matmulBias(M: number, K: number, N: number, X: Floats, W: Floats, b: Floats | null, Z: Floats): void {
  for (let i = 0; i < M; i++) {
    const zo = i * N;
    if (b) for (let j = 0; j < N; j++) Z[zo + j] = b[j];
    else Z.fill(0, zo, zo + N);
    for (let k = 0; k < K; k++) {
      const x = X[i * K + k];
      if (x === 0) continue;
      const wo = k * N;
      for (let j = 0; j < N; j++) Z[zo + j] += x * W[wo + j];
    }
  }
}

/** dX[M×K] = dZ[M×N] · W[K×N]ᵀ. Each output is a dot product of two contiguous rows. */
export function matmulTransB(M: number, K: number, N: number, dZ: Floats, W: Floats, dX: Floats): void {
  for (let i = 0; i < M; i++) {
    const zo = i * N;
    for (let k = 0; k < K; k++) {
      const wo = k * N;
      let s = 0;
      for (let j = 0; j < N; j++) s += dZ[zo + j] * W[wo + j];
      dX[i * K + k] = s;
    }
  }
}

/** dW[K×N] = X[M×K]ᵀ · dZ[M×N]; db[N] = column sums of dZ. */
export function matmulTransA(M: number, K: number, N: number, X: Floats, dZ: Floats, dW: Floats, db: Floats | null): void {
  dW.fill(0, 0, K * N);
  for (let i = 0; i < M; i++) {
    const zo = i * N;
    for (let k = 0; k < K; k++) {
      const x = X[i * K + k];
      if (x === 0) continue;
      const wo = k * N;
      for (let j = 0; j < N; j++) dW[wo + j] += x * dZ[zo + j];
    }
  }
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
