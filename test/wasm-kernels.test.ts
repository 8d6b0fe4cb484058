/**
 * @file The WebAssembly kernels against the TypeScript reference (src/core/cpu/), on shapes that
 * leave partial register tiles, partial panels and partial chunks (1, 3, 17, 255, 513 …), on one
 * thread and on three (more than this machine's cores: chunks are claimed, not assigned).
 */
import { describe, expect, it } from 'vitest';
import { actDerivative } from '../src/core/activations';
import { activate, matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { applyUpdate } from '../src/core/cpu/optimizers';
import { ACTIVATION_ID } from '../src/core/ids';
import { layerStats, maxUnitDiff, normSlot, reduceSlot, SLOT_SIZE, SLOTS_PER_LAYER } from '../src/core/stats';
import type { ActivationName } from '../src/core/types';
import { Arena, optimizerCall, WasmKernels } from '../src/wasm/kernels';
import { RecordStats } from '../src/wasm/stats';
import { expectClose, OPTIMIZERS, randomArray } from './harness';

/** A kernels instance with room for `floats`, and a helper that places arrays in its memory. */
async function kernelsFor(sizes: number[], threads: number) {
  const arena = new Arena();
  const at = sizes.map((n) => arena.floats(n));
  const k = await WasmKernels.create(arena, { threads });
  const put = (i: number, data: Float32Array) => k.f32(at[i], data.length).set(data);
  const get = (i: number, n: number) => k.f32(at[i], n).slice();
  return { k, at, put, get };
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 3, 255],
  [4, 8, 1],
  [65, 129, 33],
  [255, 17, 513],
  [130, 260, 300],
];

/** Products of the size a float32 sum of `inner` terms in [-1, 1] can be trusted to. */
const tol = (inner: number) => 2e-6 * Math.sqrt(inner) + 1e-6;

for (const threads of [1, 3]) {
  describe(`WebAssembly kernels, ${threads} thread(s)`, () => {
    it('forward Z = X·W + b with every activation in the epilogue', async () => {
      for (const [M, K, N] of SHAPES) {
        const X = randomArray(M * K, -1, 1, M + K),
          W = randomArray(K * N, -1, 1, K * N),
          b = randomArray(N, -1, 1, N);
        const { k, at, put, get } = await kernelsFor([M * K, K * N, N, M * N, M * N], threads);
        expect(k.threads).toBe(threads);
        try {
          put(0, X);
          put(1, W);
          put(2, b);
          const acts = Object.keys(ACTIVATION_ID).filter((a) => a !== 'softmax') as ActivationName[];
          for (const act of acts) {
            const id = ACTIVATION_ID[act];
            k.f32(at[3], M * N).fill(NaN);
            k.f32(at[4], M * N).fill(NaN);
            k.gemm({
              ...{ rows: M, cols: N, inner: K, a: at[0], aRow: K, aStep: 1, b: at[1], bStep: N, bCol: 1 },
              ...{ c: at[3], cRow: N, bias: at[2], epilogue: 'forward', act: id, alpha: 0.3, out2: at[4] },
            });
            const Z = new Float32Array(M * N),
              A = new Float32Array(M * N);
            matmulBias(M, K, N, X, W, b, Z);
            activate(id, 0.3, M, N, Z, A);
            expectClose(get(3, M * N), Z, tol(K), 1e-6, `Z ${M}×${K}×${N} ${act}`);
            expectClose(get(4, M * N), A, tol(K) * 2, 1e-5, `A ${M}×${K}×${N} ${act}`);
          }
        } finally {
          k.dispose();
        }
      }
    });

    it('dX = dZ·Wᵀ with the derivative of the layer below in the epilogue', async () => {
      for (const [M, K, N] of SHAPES) {
        const dZ = randomArray(M * N, -1, 1, M + N),
          W = randomArray(K * N, -1, 1, K + 1),
          Zb = randomArray(M * K, -2, 2, M * K);
        const { k, at, put, get } = await kernelsFor([M * N, K * N, M * K, M * K, M * K], threads);
        try {
          put(0, dZ);
          put(1, W);
          put(2, Zb);
          for (const act of ['linear', 'relu', 'leaky_relu', 'tanh', 'gelu'] as ActivationName[]) {
            const id = ACTIVATION_ID[act];
            k.f32(at[3], M * K).fill(NaN);
            k.gemm({
              ...{ rows: M, cols: K, inner: N, a: at[0], aRow: N, aStep: 1, b: at[1], bStep: 1, bCol: N },
              ...{ c: at[3], cRow: K, epilogue: 'backward', act: id, alpha: 0.2, out2: at[4], z: at[2] },
            });
            const dA = new Float32Array(M * K);
            matmulTransB(M, K, N, dZ, W, dA);
            const dZb = dA.map((g, i) => g * actDerivative(id, 0.2, Zb[i]));
            expectClose(get(3, M * K), dA, tol(N), 1e-6, `dA ${M}×${K}×${N}`);
            expectClose(get(4, M * K), dZb, tol(N), 1e-5, `dZ below ${M}×${K}×${N} ${act}`);
          }
        } finally {
          k.dispose();
        }
      }
    });

    it('dW = Xᵀ·dZ with db, the column sums of dZ', async () => {
      for (const [M, K, N] of SHAPES) {
        const X = randomArray(M * K, -1, 1, 3 * M + K),
          dZ = randomArray(M * N, -1, 1, M + 5 * N);
        const { k, at, put, get } = await kernelsFor([M * K, M * N, K * N, N], threads);
        try {
          put(0, X);
          put(1, dZ);
          k.f32(at[2], K * N).fill(NaN);
          k.f32(at[3], N).fill(NaN);
          k.gemm({
            ...{ rows: K, cols: N, inner: M, a: at[0], aRow: 1, aStep: K, b: at[1], bStep: N, bCol: 1 },
            ...{ c: at[2], cRow: N, colsum: at[3] },
          });
          const dW = new Float32Array(K * N),
            db = new Float32Array(N);
          matmulTransA(M, K, N, X, dZ, dW, db);
          expectClose(get(2, K * N), dW, tol(M), 1e-6, `dW ${M}×${K}×${N}`);
          expectClose(get(3, N), db, tol(M), 1e-6, `db ${M}×${K}×${N}`);
        } finally {
          k.dispose();
        }
      }
    });

    it('optimizers: sgd, momentum, nesterov, adam, rmsprop over 3 steps', async () => {
      const opts = OPTIMIZERS;
      for (const n of [1, 3, 17, 16384 + 5, 40_001]) {
        for (const [i, o] of opts.entries()) {
          const { k, at, put, get } = await kernelsFor([n, n, n, n], threads);
          try {
            const w = randomArray(n, -1, 1, n),
              s1 = new Float32Array(n),
              s2 = new Float32Array(n);
            put(0, w);
            for (let t = 1; t <= 3; t++) {
              const g = randomArray(n, -1, 1, n * t + i);
              put(1, g);
              applyUpdate(o, t, w, g, s1, s2);
              const [kind, params] = optimizerCall(o, t);
              k.optimize(kind, n, at[0], at[1], at[2], at[3], params);
            }
            expectClose(get(0, n), w, 1e-6, 1e-5, `${o.name} n=${n} w`);
            expectClose(get(2, n), s1, 1e-6, 1e-5, `${o.name} n=${n} slot 1`);
            expectClose(get(3, n), s2, 1e-6, 1e-5, `${o.name} n=${n} slot 2`);
          } finally {
            k.dispose();
          }
        }
      }
    });
  });
}

describe('WebAssembly row operations', () => {
  it('softmax rows', async () => {
    const rows = 5,
      units = 13;
    const Z = randomArray(rows * units, -30, 30, 9);
    const { k, at, put, get } = await kernelsFor([rows * units, rows * units], 1);
    try {
      put(0, Z);
      k.exports.softmaxRows(rows, units, at[0], at[1]);
      const A = new Float32Array(rows * units);
      activate(ACTIVATION_ID.softmax, 0, rows, units, Z, A);
      expectClose(get(1, rows * units), A, 1e-7, 1e-6, 'softmax');
    } finally {
      k.dispose();
    }
  });
});

describe('WebAssembly statistics', () => {
  it('are the reference slots to the last bit, for every saturation mode, on one thread and on three', async () => {
    for (const threads of [1, 3]) {
      for (const [rows, units, fanIn, satMode] of [
        [1, 1, 1, 0],
        [3, 17, 5, 1],
        [37, 255, 33, 2],
        [300, 513, 100, 3],
      ]) {
        const act = rows * units,
          kernel = fanIn * units;
        const arena = new Arena();
        const stats = new RecordStats(arena, 1);
        const at = [act, act, act, kernel, kernel, kernel].map((n) => arena.floats(n));
        const k = await WasmKernels.create(arena, { threads });
        try {
          stats.prepare(k);
          // Zeros, values past every saturation threshold, and a constant tensor (no spread: one bin).
          const Z = randomArray(act, -3, 3, rows).map((v, i) => (i % 7 === 0 ? 0 : v));
          const A = Z.map((v) => Math.tanh(v) * (satMode === 2 ? 0.5 : 1) + (satMode === 2 ? 0.5 : 0));
          const dA = new Float32Array(act).fill(0.25);
          const W = randomArray(kernel, -1, 1, units),
            dW = randomArray(kernel, -1e-3, 1e-3, fanIn),
            Wprev = W.map((v, i) => v + dW[i]);
          [Z, A, dA, W, dW, Wprev].forEach((x, i) => {
            k.f32(at[i], x.length).set(x);
          });
          const got = stats.reduce(
            k,
            [{ Z: at[0], A: at[1], dA: at[2], W: at[3], dW: at[4], Wprev: at[5], units, kernel, satMode }],
            rows,
          );
          const ref = new Float64Array(SLOTS_PER_LAYER * SLOT_SIZE);
          reduceSlot(Z, act, 0, ref, 0);
          reduceSlot(A, act, satMode, ref, SLOT_SIZE);
          reduceSlot(dA, act, 0, ref, 2 * SLOT_SIZE);
          reduceSlot(W, kernel, 0, ref, 3 * SLOT_SIZE);
          normSlot(dW, kernel, ref, 4 * SLOT_SIZE);
          normSlot(
            W.map((v, i) => v - Wprev[i]),
            kernel,
            ref,
            5 * SLOT_SIZE,
          );
          expect(got[0], `${rows}×${units} mode ${satMode}, ${threads} thread(s)`).toEqual(
            layerStats(ref, 0, maxUnitDiff(W, kernel / units, units)),
          );
        } finally {
          k.dispose();
        }
      }
    }
  });
});
