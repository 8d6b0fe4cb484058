/**
 * @file The CPU engine's three products (src/core/cpu/ops.ts) against their definition, written
 * out as plain triple loops. Shapes straddle the 4×4 blocks (edge rows and columns), and the left
 * operand has zero runs so that the skipped steps are exercised. Each output is the float64 sum
 * of its products in order of the inner index, rounded once on store: the blocked loops must give
 * exactly that, in float64 and in float32 outputs.
 */
import { describe, expect, it } from 'vitest';
import { matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import type { Floats } from '../src/core/types';

/** Values in [-1, 1) from a small LCG, with every third run of 5 set to zero. */
function operand(n: number, seed: number, zeros = true): Float64Array {
  const a = new Float64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    a[i] = zeros && Math.floor(i / 5) % 3 === 1 ? 0 : x / 2147483648 - 1;
  }
  return a;
}

/** out[r·C + c] = (bias[c] or 0) + Σ_p a(r, p)·b(p, c), summed in order of p. */
function definition(
  R: number,
  C: number,
  P: number,
  a: (r: number, p: number) => number,
  b: (p: number, c: number) => number,
  bias: Floats | null,
): Float64Array {
  const out = new Float64Array(R * C);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += a(r, p) * b(p, c);
      out[r * C + c] = (bias ? bias[c] : 0) + s;
    }
  }
  return out;
}

/** Largest |x − y|: 0 when equal, with +0 and −0 counted equal. */
const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
};

describe('CPU products vs their definition', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [5, 9, 6],
    [8, 3, 12],
    [13, 17, 11],
    [16, 64, 20],
  ];
  for (const [M, K, N] of shapes) {
    it(`batch ${M}, fanIn ${K}, units ${N}`, () => {
      const X = operand(M * K, 1),
        W = operand(K * N, 2, false),
        b = operand(N, 3, false),
        dZ = operand(M * N, 4);
      // forward: Z = X·W + b
      const Z = definition(
        M,
        N,
        K,
        (i, k) => X[i * K + k],
        (k, j) => W[k * N + j],
        b,
      );
      const z64 = new Float64Array(M * N),
        z32 = new Float32Array(M * N);
      matmulBias(M, K, N, X, W, b, z64);
      matmulBias(M, K, N, X, W, b, z32);
      expect(maxDiff(z64, Z)).toBe(0);
      expect(maxDiff(z32, Float32Array.from(Z))).toBe(0);
      const noBias = new Float64Array(M * N);
      matmulBias(M, K, N, X, W, null, noBias);
      expect(
        maxDiff(
          noBias,
          definition(
            M,
            N,
            K,
            (i, k) => X[i * K + k],
            (k, j) => W[k * N + j],
            null,
          ),
        ),
      ).toBe(0);
      // dX = dZ·Wᵀ
      const dX = new Float64Array(M * K);
      matmulTransB(M, K, N, dZ, W, dX);
      expect(
        maxDiff(
          dX,
          definition(
            M,
            K,
            N,
            (i, j) => dZ[i * N + j],
            (j, k) => W[k * N + j],
            null,
          ),
        ),
      ).toBe(0);
      // dW = Xᵀ·dZ and db = column sums of dZ; what the outputs held before must not leak in.
      const dW = new Float64Array(K * N).fill(7),
        db = new Float64Array(N).fill(7);
      matmulTransA(M, K, N, X, dZ, dW, db);
      expect(
        maxDiff(
          dW,
          definition(
            K,
            N,
            M,
            (k, i) => X[i * K + k],
            (i, j) => dZ[i * N + j],
            null,
          ),
        ),
      ).toBe(0);
      expect(
        maxDiff(
          db,
          definition(
            1,
            N,
            M,
            () => 1,
            (i, j) => dZ[i * N + j],
            null,
          ),
        ),
      ).toBe(0);
    });
  }

  it('a wrong product is caught (the check can fail)', () => {
    const M = 5,
      K = 6,
      N = 7;
    const X = operand(M * K, 1),
      W = operand(K * N, 2, false);
    const Z = new Float64Array(M * N);
    matmulBias(M, K, N, X, W, null, Z);
    const transposedW = definition(
      M,
      N,
      K,
      (i, k) => X[i * K + k],
      (k, j) => W[j * K + k],
      null,
    );
    expect(maxDiff(Z, transposedW)).toBeGreaterThan(0.01);
  });
});
