/**
 * @file Every WGSL kernel against the CPU reference on random inputs, with awkward shapes (1, 3,
 * 17, 255, 513: none a multiple of the tiles) and NaN-poisoned outputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { actDerivative, actForward } from '../src/core/activations';
import { activate, matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { adamAlpha, applyUpdate } from '../src/core/cpu/optimizers';
import { ACTIVATION_ID, LOSS_ID } from '../src/core/ids';
import { drawKindId, drawParams, resolveSampler, sampleCpu } from '../src/core/initializers';
import { isFused, lossForwardBackward } from '../src/core/losses';
import { seedKey } from '../src/core/rng';
import { HIST_BINS, normSlot, reduceSlot, SLOT, SLOT_SIZE } from '../src/core/stats';
import type { Initializer, LossName, OptimizerConfig } from '../src/core/types';
import { groups1d } from '../src/gpu/kernel';
import * as K from '../src/gpu/kernels';
import * as P from '../src/gpu/products';
import { subgroupSizeOf } from '../src/gpu/products';
import { testDevice } from './gpu-device';
import { expectClose, KernelRunner, randomArray } from './harness';

const dev = await testDevice();
const R = dev ? new KernelRunner(dev.device) : (null as unknown as KernelRunner);
afterAll(() => R?.dispose());

const g1 = (n: number): [number, number, number] => [...groups1d(n), 1];
// The product kernels without subgroups, and with them where the test device has a fixed size.
const sgSize = dev ? subgroupSizeOf(dev.device) : null;
const NO_SUBGROUPS: P.MatmulTarget = { subgroupSize: null };
// With subgroups twice: the default plans, and every forward and dX of 32 rows or more through
// a transposition (by default only large products take it).
// And the workgroup-tiled kernels of hardware GPUs (they run on any adapter).
const TILES: P.MatmulTarget = { subgroupSize: null, tiles: true };
const targets: P.MatmulTarget[] = [
  NO_SUBGROUPS,
  TILES,
  ...(sgSize ? [{ subgroupSize: sgSize }, { subgroupSize: sgSize, transposeMinWork: 0 }] : []),
];

describe.skipIf(!dev)('kernels vs CPU reference', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 5],
    [17, 3, 255],
    [64, 64, 64],
    [255, 17, 513],
    [513, 255, 3],
    [1, 513, 17],
    [100, 33, 1],
  ];

  describe('matmul', () => {
    // Shapes hit both the vec4 kernels (dimensions multiples of 4) and the general kernel.
    const all: [number, number, number][] = [
      ...shapes,
      [4, 8, 12],
      [36, 20, 44],
      [513, 256, 64],
      [12, 1024, 4],
      [7, 12, 16],
      [33, 12, 7],
      [40, 516, 3],
    ];
    for (const [M, Kd, N] of all)
      for (const target of targets) {
        it(`Z = X·W + b, dX = dZ·Wᵀ, dW = Xᵀ·dZ with batch ${M}, fanIn ${Kd}, units ${N}${target.subgroupSize ? `, subgroups of ${target.subgroupSize}` : ''}${target.transposeMinWork === 0 ? ', always transposed' : ''}${target.tiles ? ', tiled' : ''}`, async () => {
          const X = randomArray(M * Kd, -1, 1, 1),
            W = randomArray(Kd * N, -1, 1, 2),
            b = randomArray(N, -1, 1, 3);
          const dZ = randomArray(M * N, -1, 1, 4);
          const tol = 2e-6 * Math.sqrt(Math.max(Kd, M, N)) * 4;
          const run = async (
            form: P.MatmulForm,
            rows: number,
            cols: number,
            inner: number,
            bufs: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer],
          ) => {
            const plan = P.matmulPlan(form, rows, cols, inner, target);
            // A poisoned scratch: the product must read only what the transposition wrote.
            const poisoned = (t?: P.Transposition) => (t ? R.buffer(new Float32Array(t.floats).fill(NaN)) : null);
            const scratch = { a: poisoned(plan.transposeA), b: poisoned(plan.transposeB) };
            for (const c of P.matmulCalls(plan, bufs, scratch))
              await R.run(c.desc, c.buffers as GPUBuffer[], c.groups, c.uniforms);
            return plan.transposeA || plan.transposeB ? `transpose + ${plan.desc.name}` : plan.desc.name;
          };
          // forward: Z(M×N) = X(M×K)·W(K×N) + b
          const Z = R.buffer(M * N);
          const k1 = await run('forward', M, N, Kd, [R.buffer(X), R.buffer(W), R.buffer(b), Z]);
          const Zref = new Float64Array(M * N);
          matmulBias(M, Kd, N, Float64Array.from(X), Float64Array.from(W), Float64Array.from(b), Zref);
          expectClose(await R.read(Z, M * N), Zref, tol, 0, `forward (${k1})`);
          // dX(M×K) = dZ(M×N)·Wᵀ
          const dX = R.buffer(M * Kd);
          const k2 = await run('dX', M, Kd, N, [R.buffer(dZ), R.buffer(W), R.buffer(4), dX]);
          const dXref = new Float64Array(M * Kd);
          matmulTransB(M, Kd, N, Float64Array.from(dZ), Float64Array.from(W), dXref);
          expectClose(await R.read(dX, M * Kd), dXref, tol, 0, `dX (${k2})`);
          // dW(K×N) = Xᵀ·dZ
          const dW = R.buffer(Kd * N);
          const k3 = await run('dW', Kd, N, M, [R.buffer(X), R.buffer(dZ), R.buffer(4), dW]);
          const dWref = new Float64Array(Kd * N);
          matmulTransA(M, Kd, N, Float64Array.from(X), Float64Array.from(dZ), dWref, null);
          expectClose(await R.read(dW, Kd * N), dWref, tol, 0, `dW (${k3})`);
        });
      }
    it('uses the vec4 kernels where the shapes allow and the general kernel elsewhere', () => {
      expect(P.matmulPlan('forward', 3, 8, 5, NO_SUBGROUPS).desc.name).toBe('matmul_nn_vec4');
      expect(P.matmulPlan('forward', 3, 7, 5, NO_SUBGROUPS).desc.name).toBe('matmul');
      expect(P.matmulPlan('dX', 3, 7, 8, NO_SUBGROUPS).desc.name).toBe('matmul_nt_vec4');
      expect(P.matmulPlan('dX', 15, 8, 8, NO_SUBGROUPS).desc.name).toBe('matmul_nt_vec4');
      const t = P.matmulPlan('dX', 16, 8, 5, NO_SUBGROUPS);
      expect([t.desc.name, t.transposeB?.desc.name, t.transposeB?.floats]).toEqual(['matmul_nn_vec4', 'transpose', 40]);
      expect(P.matmulPlan('dX', 16, 8, 8, NO_SUBGROUPS).transposeB).toBeDefined();
      expect(P.matmulPlan('dW', 8, 12, 3, NO_SUBGROUPS).desc.name).toBe('matmul_tn_vec4');
      expect(P.matmulPlan('dW', 6, 12, 3, NO_SUBGROUPS).desc.name).toBe('matmul');
      expect(P.matmulPlan('dX', 3, 7, 5, NO_SUBGROUPS).desc.name).toBe('matmul');
      const sg8 = { subgroupSize: 8 };
      expect(P.matmulPlan('forward', 3, 8, 5, sg8).desc.name).toBe('matmul_nn_sg');
      expect(P.matmulPlan('forward', 3, 8, 5, sg8).desc.enables).toEqual(['subgroups']);
      expect(P.matmulPlan('dX', 16, 8, 5, sg8).desc.name).toBe('matmul_nn_sg');
      // From a block of rows and 256³ multiply-adds on, X (dZ) is read transposed.
      const f = P.matmulPlan('forward', 32, 8, 5, { ...sg8, transposeMinWork: 0 }),
        d = P.matmulPlan('dX', 32, 8, 5, { ...sg8, transposeMinWork: 0 });
      expect([f.desc.name, f.transposeA?.floats, f.transposeB]).toEqual(['matmul_tn_sg', 32 * 5, undefined]);
      expect([d.desc.name, d.transposeA?.floats, d.transposeB?.floats]).toEqual(['matmul_tn_sg', 32 * 5, 8 * 5]);
      expect(P.matmulPlan('forward', 256, 256, 256, sg8).transposeA).toBeDefined();
      expect(P.matmulPlan('forward', 256, 256, 255, sg8).transposeA).toBeUndefined();
      expect(P.matmulPlan('forward', 16, 4096, 4096, sg8).transposeA).toBeUndefined();
      expect(P.matmulPlan('dX', 256, 256, 256, sg8).transposeA).toBeDefined();
      expect(P.matmulPlan('dX', 128, 128, 128, sg8).transposeA).toBeUndefined();
      expect(P.matmulPlan('dW', 8, 12, 3, sg8).desc.name).toBe('matmul_tn_sg');
      // A hardware GPU: the tiled kernel for every 4-aligned product, dX on Wᵀ, dW on Xᵀ.
      const tf = P.matmulPlan('forward', 64, 8, 5, TILES),
        td = P.matmulPlan('dX', 64, 8, 5, TILES),
        tw = P.matmulPlan('dW', 8, 12, 3, TILES);
      expect([tf.desc.name, tf.transposeA, tf.transposeB]).toEqual(['matmul_tiled', undefined, undefined]);
      expect([td.desc.name, td.transposeA, td.transposeB?.floats]).toEqual(['matmul_tiled', undefined, 8 * 5]);
      expect([tw.desc.name, tw.transposeA?.floats, tw.transposeB]).toEqual(['matmul_tiled', 3 * 8, undefined]);
      expect(P.matmulPlan('forward', 64, 7, 5, TILES).desc.name).toBe('matmul');
      expect(P.matmulPlan('dW', 8, 10, 3, sg8).desc.name).toBe('matmul');
    });

    it('splits statistics into more workgroups on a hardware GPU than on a software adapter', () => {
      expect([K.statsGroups(512 * 512), K.statsGroups(512 * 512, true)]).toEqual([8, 64]);
      expect([K.statsGroups(4096, true), K.statsGroups(4097, true), K.statsGroups(1 << 30, true)]).toEqual([
        1,
        2,
        K.STATS_MAX_GROUPS,
      ]);
    });
  });

  describe('matmul epilogues', () => {
    // The fused epilogues must give exactly what the product followed by the activation kernels gives.
    const calls = async (
      plan: P.MatmulPlan,
      bufs: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer],
      extra: GPUBuffer[] = [],
    ) => {
      const scratch = {
        a: plan.transposeA ? R.buffer(plan.transposeA.floats) : null,
        b: plan.transposeB ? R.buffer(plan.transposeB.floats) : null,
      };
      for (const c of P.matmulCalls(plan, bufs, scratch, extra))
        await R.run(c.desc, c.buffers as GPUBuffer[], c.groups, c.uniforms);
    };
    const acts: [keyof typeof ACTIVATION_ID, number][] = [
      ['tanh', 0],
      ['relu', 0],
      ['gelu', 0],
      ['leaky_relu', 0.2],
    ];
    for (const [M, Kd, N] of [
      [64, 36, 20],
      [33, 12, 8],
      [40, 516, 8],
      [20, 12, 8],
    ] as [number, number, number][]) {
      for (const [name, alpha] of acts)
        for (const target of targets) {
          // With subgroups, from a block of rows on (and here, small as these products are, only
          // where the target transposes everything), X (dZ) is read transposed: the tn kernel.
          const sgName = target.tiles
            ? 'tiled'
            : !target.subgroupSize
              ? 'nn_vec4'
              : M >= P.SG_TILE_TN.TM && target.transposeMinWork === 0
                ? 'tn_sg'
                : 'nn_sg';
          it(`${name}: forward + activation and dX + derivative, batch ${M}, fanIn ${Kd}, units ${N}, ${sgName} kernel${target.transposeMinWork === 0 ? ' (always transposed)' : ''}`, async () => {
            const id = ACTIVATION_ID[name];
            const X = R.buffer(randomArray(M * Kd, -1, 1, 1)),
              W = R.buffer(randomArray(Kd * N, -1, 1, 2)),
              b = R.buffer(randomArray(N, -1, 1, 3));
            // forward: Z(M×N) and A = f(Z)
            const fused = P.matmulPlan('forward', M, N, Kd, target, { kind: 'act', act: id, alpha });
            expect([fused.desc.name, fused.epilogue]).toEqual([`matmul_${sgName}+act`, true]);
            const Z1 = R.buffer(M * N),
              A1 = R.buffer(M * N),
              Z2 = R.buffer(M * N),
              A2 = R.buffer(M * N);
            await calls(fused, [X, W, b, Z1], [A1]);
            await calls(P.matmulPlan('forward', M, N, Kd, target), [X, W, b, Z2]);
            await R.run(K.actForwardKernel(id, alpha), [Z2, A2], g1(M * N), { n: M * N });
            expect(await R.read(Z1, M * N)).toEqual(await R.read(Z2, M * N));
            expect(await R.read(A1, M * N)).toEqual(await R.read(A2, M * N));
            // dX(M×Kd) = dZ(M×N)·Wᵀ, then dZ of the layer below = dX ⊙ f'(Z below)
            const dZ = R.buffer(randomArray(M * N, -1, 1, 4)),
              Zb = R.buffer(randomArray(M * Kd, -3, 3, 5));
            const g = P.matmulPlan('dX', M, Kd, N, target, { kind: 'act_grad', act: id, alpha });
            expect([g.desc.name, g.epilogue, !!g.transposeB]).toEqual([`matmul_${sgName}+act_grad`, true, true]);
            const dA1 = R.buffer(M * Kd),
              dZb1 = R.buffer(M * Kd),
              dA2 = R.buffer(M * Kd),
              dZb2 = R.buffer(M * Kd);
            await calls(g, [dZ, W, R.buffer(4), dA1], [Zb, dZb1]);
            await calls(P.matmulPlan('dX', M, Kd, N, target), [dZ, W, R.buffer(4), dA2]);
            await R.run(K.actBackwardKernel(id, alpha), [Zb, dA2, dZb2], g1(M * Kd), { n: M * Kd });
            expect(await R.read(dA1, M * Kd)).toEqual(await R.read(dA2, M * Kd));
            expect(await R.read(dZb1, M * Kd)).toEqual(await R.read(dZb2, M * Kd));
          });
        }
    }
    // On a recorded step the subgroup kernels' epilogues also write pass 1 of the statistics of
    // what they store (Z and A, or dA: shaders/mm_stats.wgsl). Finished by the histogram and
    // final passes, the slots must be those of this step's rows (rows < M: a short last batch,
    // whose other rows are computed but not counted), and the outputs those of the plain epilogue.
    for (const [M, Kd, N, rows] of [
      [64, 36, 20, 64],
      [33, 12, 8, 30],
      [40, 516, 8, 17],
    ] as const) {
      for (const target of targets.filter((t) => t.subgroupSize)) {
        it(`statistics in the epilogues: batch ${M} (${rows} rows this step), fanIn ${Kd}, units ${N}${target.transposeMinWork === 0 ? ' (always transposed)' : ''}`, async () => {
          const act = ACTIVATION_ID.tanh,
            sat = 1,
            cur = R.stepInfo(rows);
          const X = R.buffer(randomArray(M * Kd, -1, 1, 6)),
            W = R.buffer(randomArray(Kd * N, -1, 1, 7)),
            b = R.buffer(randomArray(N, -1, 1, 8));
          const fwd = P.matmulPlan('forward', M, N, Kd, target, { kind: 'act', act, alpha: 0, stats: true, sat });
          const dX = P.matmulPlan('dX', M, Kd, N, target, { kind: 'act_grad', act, alpha: 0, stats: true });
          expect([
            fwd.desc.name.endsWith('+act+stats'),
            fwd.stats,
            dX.desc.name.endsWith('+act_grad+stats'),
            dX.stats,
          ]).toEqual([true, true, true, true]);
          const fParts = fwd.uniforms.groups!,
            gParts = dX.uniforms.groups!;
          // Z's partials at 1, A's after them, dA's after those (each region large enough for its histogram's too).
          const zAt = 1,
            aAt = zAt + fParts,
            gAt = aAt + Math.max(fParts, 64),
            cap = gAt + Math.max(gParts, 64);
          const p1 = R.buffer(new Float32Array(cap * K.STATS_PART1).fill(NaN)),
            p2 = R.buffer(cap * K.STATS_PART2);
          const Z1 = R.buffer(M * N),
            A1 = R.buffer(M * N),
            Z2 = R.buffer(M * N),
            A2 = R.buffer(M * N);
          await calls({ ...fwd, uniforms: { ...fwd.uniforms, part: zAt } }, [X, W, b, Z1], [A1, cur, p1]);
          await calls(P.matmulPlan('forward', M, N, Kd, target, { kind: 'act', act, alpha: 0 }), [X, W, b, Z2], [A2]);
          const z = await R.read(Z2, M * N),
            a = await R.read(A2, M * N);
          expect(await R.read(Z1, M * N)).toEqual(z);
          expect(await R.read(A1, M * N)).toEqual(a);
          const dZ = R.buffer(randomArray(M * N, -1, 1, 9)),
            Zb = R.buffer(randomArray(M * Kd, -3, 3, 10));
          const dA1 = R.buffer(M * Kd),
            dZb1 = R.buffer(M * Kd),
            dA2 = R.buffer(M * Kd),
            dZb2 = R.buffer(M * Kd);
          await calls(
            { ...dX, uniforms: { ...dX.uniforms, part: gAt } },
            [dZ, W, R.buffer(4), dA1],
            [Zb, dZb1, cur, p1],
          );
          await calls(
            P.matmulPlan('dX', M, Kd, N, target, { kind: 'act_grad', act, alpha: 0 }),
            [dZ, W, R.buffer(4), dA2],
            [Zb, dZb2],
          );
          const g = await R.read(dA2, M * Kd);
          expect(await R.read(dA1, M * Kd)).toEqual(g);
          expect(await R.read(dZb1, M * Kd)).toEqual(await R.read(dZb2, M * Kd));
          // Passes 2 and 3 as the engine runs them (the tensor's count: this step's rows × width).
          const slot = async (x: GPUBuffer, width: number, part: number, parts: number, hist: boolean) => {
            const out = R.buffer(SLOT_SIZE),
              u = { n: 0, width, groups: K.statsGroups(rows * width), part };
            if (hist) await R.run(K.statsHistKernel(true), [x, cur, p1, p2], [u.groups, 1, 1], { ...u, parts });
            await finalPass([cur, p1, p2, out], [{ ...u, slot: 0, hist, parts }]);
            return R.read(out, SLOT_SIZE);
          };
          expectSlot(await slot(Z1, N, zAt, fParts, false), z, rows * N, 0, false);
          expectSlot(await slot(A1, N, aAt, fParts, true), a, rows * N, sat, true);
          expectSlot(await slot(dA1, Kd, gAt, gParts, true), g, rows * Kd, 0, true);
        });
      }
    }
    it("statistics fuse only into the subgroup kernels' epilogues", () => {
      const act: P.Epilogue = { kind: 'act', act: ACTIVATION_ID.tanh, alpha: 0, stats: true, sat: 1 };
      for (const target of [NO_SUBGROUPS, TILES]) {
        const p = P.matmulPlan('forward', 64, 64, 64, target, act);
        expect([p.epilogue, !!p.stats, p.desc.name.includes('stats')]).toEqual([true, false, false]);
      }
      expect(P.matmulPlan('forward', 64, 64, 64, { subgroupSize: 8 }, act).stats).toBe(true);
      expect(P.matmulPlan('dX', 64, 64, 64, { subgroupSize: 8 }, { ...act, kind: 'act_grad' }).stats).toBe(true);
    });
    it('only the forward kernel takes epilogues, each only after its own product', () => {
      const act: P.Epilogue = { kind: 'act', act: ACTIVATION_ID.tanh, alpha: 0 };
      expect(P.matmulPlan('forward', 8, 7, 8, NO_SUBGROUPS, act).epilogue).toBe(false); // N % 4 != 0: the general kernel
      expect(P.matmulPlan('dX', 8, 8, 8, NO_SUBGROUPS, { ...act, kind: 'act_grad' }).epilogue).toBe(false); // batch < 16: nt kernel
      expect(P.matmulPlan('dX', 64, 8, 8, NO_SUBGROUPS, act).epilogue).toBe(false); // a forward epilogue after dX
      expect(P.matmulPlan('forward', 8, 8, 8, NO_SUBGROUPS, { ...act, kind: 'act_grad' }).epilogue).toBe(false);
    });
  });

  describe('activations', () => {
    const names = Object.keys(ACTIVATION_ID).filter((n) => n !== 'softmax') as (keyof typeof ACTIVATION_ID)[];
    const z = randomArray(1027, -9, 9, 5);
    z[0] = 0;
    z[1] = -0;
    z[2] = 1e-8;
    z[3] = 40;
    z[4] = -40;
    for (const name of names) {
      for (const alpha of name === 'leaky_relu' || name === 'elu' ? [0.2, 1] : [0]) {
        it(`${name}(alpha=${alpha}) forward and derivative`, async () => {
          const id = ACTIVATION_ID[name],
            n = z.length;
          const A = R.buffer(n),
            dZ = R.buffer(n),
            dA = randomArray(n, -1, 1, 6);
          const Zb = R.buffer(z);
          await R.run(K.actForwardKernel(id, alpha), [Zb, A], g1(n), { n });
          await R.run(K.actBackwardKernel(id, alpha), [Zb, R.buffer(dA), dZ], g1(n), { n });
          const fRef = Array.from(z, (v) => actForward(id, alpha, v));
          const dRef = Array.from(z, (v, i) => dA[i] * actDerivative(id, alpha, v));
          // float32 transcendental functions: a few ulps, relative; plus an absolute floor near 0.
          expectClose(await R.read(A, n), fRef, 1e-6, 4e-6, `${name} forward`);
          expectClose(await R.read(dZ, n), dRef, 1e-6, 4e-6, `${name} backward`);
        });
      }
    }

    for (const units of [1, 3, 10, 513]) {
      it(`softmax rows of ${units}`, async () => {
        const rows = 17,
          zz = randomArray(rows * units, -20, 20, units);
        const A = R.buffer(rows * units);
        await R.run(K.softmaxKernel(), [R.buffer(zz), A], g1(rows), { rows, units });
        const ref = new Float64Array(rows * units);
        activate(ACTIVATION_ID.softmax, 0, rows, units, Float64Array.from(zz), ref);
        expectClose(await R.read(A, rows * units), ref, 1e-7, 2e-6, 'softmax');
      });
    }
  });

  it('column sums for db', async () => {
    const rows = 33,
      cols = 255,
      dZ = randomArray(rows * cols, -1, 1, 7);
    const db = R.buffer(cols);
    await R.run(K.colsumKernel(), [R.buffer(dZ), db], g1(cols), { rows, cols });
    const ref = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) ref[j] += dZ[r * cols + j];
    expectClose(await R.read(db, cols), ref, 1e-5, 0, 'colsum');
  });

  it('gather copies permuted rows and zeroes rows past a short batch', async () => {
    const n = 50,
      width = 17,
      batch = 8,
      rows = 5,
      off = 3;
    const src = randomArray(n * width, -1, 1, 8);
    const perm = new Uint32Array(20).map((_, i) => (i * 7 + 3) % n);
    const dst = R.buffer(batch * width);
    await R.run(K.gatherKernel(), [R.buffer(src), R.buffer(perm), R.stepInfo(rows, off), dst], g1(batch * width), {
      batch,
      width,
    });
    const got = await R.read(dst, batch * width);
    const ref = new Float32Array(batch * width);
    for (let r = 0; r < rows; r++) ref.set(src.subarray(perm[off + r] * width, (perm[off + r] + 1) * width), r * width);
    expect(Array.from(got)).toEqual(Array.from(ref));
  });

  describe('loss, accuracy and output gradients', () => {
    const cases: [LossName, keyof typeof ACTIVATION_ID, number][] = [
      ['mse', 'linear', 1],
      ['mse', 'sigmoid', 3],
      ['mse', 'tanh', 4],
      ['mse', 'softmax', 5],
      ['binary_crossentropy', 'sigmoid', 1],
      ['binary_crossentropy', 'sigmoid', 3],
      ['binary_crossentropy', 'softmax', 4],
      ['categorical_crossentropy', 'softmax', 3],
      ['categorical_crossentropy', 'softmax', 10],
    ];
    for (const [loss, act, units] of cases) {
      it(`${loss} after ${act} with ${units} units, short batch`, async () => {
        const batch = 19,
          rows = 13,
          id = ACTIVATION_ID[act],
          n = batch * units;
        const z = randomArray(n, -6, 6, units + id);
        const a = new Float32Array(n);
        activate(id, 0, batch, units, z, a);
        const y = new Float32Array(n);
        for (let r = 0; r < batch; r++) {
          if (units === 1) y[r] = r % 2;
          else if (loss === 'mse') for (let j = 0; j < units; j++) y[r * units + j] = ((r + j) % 3) / 2;
          else y[r * units + ((r * 7) % units)] = 1;
        }
        const dA = R.buffer(n),
          dZ = R.buffer(n),
          rowOut = R.buffer(batch * 2);
        await R.run(
          K.lossKernel(LOSS_ID[loss], id, 0, isFused(loss, id)),
          [R.buffer(z), R.buffer(a), R.buffer(y), R.stepInfo(rows), dA, dZ, rowOut],
          g1(batch),
          { batch, units },
        );
        const rdA = new Float32Array(n),
          rdZ = new Float32Array(n);
        const res = lossForwardBackward(loss, id, 0, rows, units, z, a, y, rdA, rdZ);
        const m = rows * units;
        const gdA = await R.read(dA, n),
          gdZ = await R.read(dZ, n),
          out = await R.read(rowOut, batch * 2);
        expectClose(gdA.subarray(0, m), rdA.subarray(0, m), 1e-7, 1e-5, 'dA');
        expectClose(gdZ.subarray(0, m), rdZ.subarray(0, m), 1e-7, 1e-5, 'dZ');
        expect(Array.from(gdA.subarray(m))).toEqual(new Array(n - m).fill(0));
        expect(Array.from(gdZ.subarray(m))).toEqual(new Array(n - m).fill(0));
        let lossSum = 0,
          correct = 0;
        for (let r = 0; r < rows; r++) {
          lossSum += out[2 * r];
          correct += out[2 * r + 1];
        }
        expect(lossSum).toBeCloseTo(res.lossSum, 4);
        expect(correct).toBe(res.correct);
      });
    }
  });

  it('accumulate adds the batch totals', async () => {
    const rows = 300,
      rowOut = randomArray(512 * 2, 0, 2, 9);
    const totals = R.buffer(new Float32Array([1, 2, 3, 0]));
    await R.run(K.accumulateKernel(), [R.buffer(rowOut), R.stepInfo(rows), totals], [1, 1, 1]);
    let l = 1,
      c = 2;
    for (let r = 0; r < rows; r++) {
      l += rowOut[2 * r];
      c += rowOut[2 * r + 1];
    }
    expectClose(Array.from(await R.read(totals, 3)), [l, c, 3 + rows], 1e-4, 1e-6, 'totals');
  });

  describe('optimizers', () => {
    const opts: OptimizerConfig[] = [
      { name: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false },
      { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false },
      { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true },
      { name: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      { name: 'rmsprop', learning_rate: 0.01, rho: 0.9, epsilon: 1e-7 },
    ];
    const kinds = [0, 1, 2, 3, 4];
    const uniformsOf = (o: OptimizerConfig) => K.optimizerKind(o).u;
    // Tensors of whole vec4s, as the engine sizes them; the padding holds zeros (as the engine's
    // zero-initialized buffers do) and must stay zero.
    const vec4s = (a: Float32Array) => {
      const p = new Float32Array(Math.ceil(a.length / 4) * 4);
      p.set(a);
      return p;
    };
    opts.forEach((o, i) => {
      it(`${o.name} ${JSON.stringify(o)}: three updates`, async () => {
        const n = 1001;
        const w = randomArray(n, -1, 1, 10),
          s1 = new Float32Array(n),
          s2 = new Float32Array(n);
        const W = R.buffer(vec4s(w)),
          S1 = R.buffer(vec4s(s1)),
          S2 = R.buffer(vec4s(s2));
        for (let t = 1; t <= 3; t++) {
          const g = randomArray(n, -1, 1, 20 + t);
          const alpha = o.name === 'adam' ? adamAlpha(o, t) : 0;
          await R.run(
            K.optimizerKernel(kinds[i]),
            [W, R.buffer(vec4s(g)), S1, S2, R.stepInfo(1, 0, t, alpha)],
            g1(Math.ceil(n / 4)),
            { n, ...uniformsOf(o) },
          );
          applyUpdate(o, t, w, g, s1, s2);
        }
        const all = await R.read(W, Math.ceil(n / 4) * 4);
        expectClose(all.subarray(0, n), w, 1e-6, 1e-5, 'weights');
        expect(Array.from(all.subarray(n)), 'padding').toEqual([0, 0, 0]);
        if (o.name !== 'rmsprop' && !(o.name === 'sgd' && o.momentum === 0))
          expectClose(await R.read(S1, n), s1, 1e-6, 1e-5, 'slot 1');
      });
    });

    // The recording optimizer: the same update, and pass 1 of the new W's, dW's and the update's
    // slots (finished here by the histogram and final passes, as the engine does).
    for (const [o, n, multi, apply] of [
      [opts[3], 70_001, true, true],
      [opts[1], 1001, false, true],
      [opts[0], 999, true, false],
    ] as const) {
      it(`${o.name} with statistics: n=${n} ${multi ? 'several workgroups' : 'one workgroup'}${apply ? '' : ', no update'}`, async () => {
        const w = randomArray(n, -1, 1, 14),
          s1 = new Float32Array(n),
          s2 = new Float32Array(n);
        const W = R.buffer(vec4s(w)),
          S1 = R.buffer(vec4s(s1)),
          S2 = R.buffer(vec4s(s2));
        const g = randomArray(n, -0.5, 0.5, 15),
          t = 1;
        const old = w.slice();
        if (apply) applyUpdate(o, t, w, g, s1, s2);
        const groups = multi ? Math.max(2, K.statsGroups(n)) : 1,
          part = multi ? 2 : 0;
        const p1 = R.buffer((part + 3 * groups) * K.STATS_PART1),
          p2 = R.buffer((part + 3 * groups) * K.STATS_PART2);
        const cur = R.stepInfo(1, 0, t, o.name === 'adam' ? adamAlpha(o, t) : 0);
        await R.run(
          K.statsOptimizerKernel(K.optimizerKind(o).id, apply),
          [W, R.buffer(vec4s(g)), S1, S2, cur, p1],
          [groups, 1, 1],
          { n, width: 0, groups, part, ...uniformsOf(o) },
        );
        const all = await R.read(W, Math.ceil(n / 4) * 4);
        expectClose(all.subarray(0, n), w, 1e-6, 1e-5, 'weights');
        expect(
          Array.from(all.subarray(n)).every((v) => v === 0),
          'padding',
        ).toBe(true);
        const slot = async (k: number, hist: boolean) => {
          const out = R.buffer(SLOT_SIZE),
            u = { n, width: 0, groups, part: part + k * groups };
          if (hist) await R.run(K.statsHistKernel(false), [W, cur, p1, p2], [groups, 1, 1], { ...u, parts: groups });
          await finalPass([cur, p1, p2, out], [{ ...u, slot: 0, hist, parts: groups }]);
          return R.read(out, SLOT_SIZE);
        };
        // The slots describe the weights the kernel wrote (Adam's may differ from the CPU's in the last bit).
        const got = all.slice(0, n);
        expectSlot(await slot(0, true), got, n, 0, true);
        expectNorm(await slot(1, false), g, n);
        expectNorm(
          await slot(2, false),
          got.map((v, i) => v - old[i]),
          n,
        );
      });
    }
  });

  /** Pass 3 of `tasks` in one dispatch, as the engine runs it for a record. */
  async function finalPass([cur, p1, p2, out]: GPUBuffer[], tasks: K.SlotTask[]): Promise<void> {
    await R.run(K.statsFinalKernel(), [cur, p1, p2, R.buffer(K.statsTasks(tasks)), out], [tasks.length, 1, 1]);
  }

  /** A GPU slot against the float64 reference of the first n values of v. */
  function expectSlot(got: Float32Array, v: Float32Array, n: number, sat: number, hist: boolean): void {
    const ref = new Float64Array(SLOT_SIZE);
    reduceSlot(v, n, sat, ref, 0);
    const f = (k: keyof typeof SLOT) => [got[SLOT[k]], ref[SLOT[k]]];
    for (const k of ['count', 'zeros', 'saturated', 'min', 'max'] as const) expect(f(k)[0], k).toBe(f(k)[1]);
    for (const k of ['mean', 'std', 'norm'] as const)
      expect(Math.abs(f(k)[0] - f(k)[1]), k).toBeLessThan(2e-6 * Math.max(1, Math.abs(f(k)[1])) * Math.log2(n + 2));
    expect(Math.abs(f('std')[0] - f('std')[1]) / Math.max(f('std')[1], 1e-30), 'std, relative').toBeLessThan(1e-3);
    if (!hist) return;
    let histDiff = 0,
      histSum = 0;
    for (let i = 0; i < HIST_BINS; i++) {
      histDiff += Math.abs(got[SLOT.hist + i] - ref[SLOT.hist + i]);
      histSum += got[SLOT.hist + i];
    }
    expect(histSum).toBe(n);
    expect(histDiff).toBeLessThanOrEqual(2); // a value on a bin edge may round into its neighbour
  }

  /** A norm-only slot: the norm, the count, 0 elsewhere (no histogram), as the CPU's normSlot. */
  function expectNorm(got: Float32Array, v: Float32Array, n: number): void {
    const ref = new Float64Array(SLOT_SIZE);
    normSlot(v, n, ref, 0);
    expect(got[SLOT.count]).toBe(n);
    for (let i = 0; i < SLOT_SIZE; i++) if (i !== SLOT.norm) expect(got[i], `field ${i}`).toBe(ref[i]);
    expect(Math.abs(got[SLOT.norm] - ref[SLOT.norm])).toBeLessThan(
      2e-6 * Math.max(1, ref[SLOT.norm]) * Math.log2(n + 2),
    );
    expect(Array.from(got.subarray(SLOT.hist))).toEqual(new Array(HIST_BINS).fill(0));
  }

  describe('statistics slots', () => {
    const cases: {
      n: number;
      sat: number;
      perRow?: [number, number];
      zeros?: boolean;
      shift?: number;
      peaked?: boolean;
    }[] = [
      { n: 1, sat: 0 },
      { n: 1000, sat: 0, zeros: true },
      { n: 70_001, sat: 1 },
      // Nearly every value in one bin: each invocation counts hundreds into it, past an 8-bit counter.
      { n: 70_001, sat: 0, peaked: true },
      { n: 5000, sat: 2 },
      { n: 777, sat: 3 },
      { n: 4096, sat: 0 },
      { n: 19 * 7, sat: 1, perRow: [13, 7] },
      // A mean far from zero against a small spread: the one-pass deviations must stay stable.
      { n: 50_000, sat: 0, shift: 100 },
    ];
    for (const c of cases)
      for (const multi of [false, true]) {
        it(`n=${c.n} sat=${c.sat} perRow=${c.perRow ?? '-'} ${multi ? 'several workgroups' : 'one workgroup'}`, async () => {
          const x = c.sat === 2 ? randomArray(c.n, 0, 1, 11) : randomArray(c.n, -1.2, 1.2, 11);
          if (c.zeros) for (let i = 0; i < c.n; i += 3) x[i] = 0;
          if (c.shift) for (let i = 0; i < c.n; i++) x[i] = c.shift + x[i] * 0.5;
          if (c.peaked) for (let i = 0; i < c.n; i++) if (i % 97 !== 0) x[i] = 0.25;
          const out = R.buffer(SLOT_SIZE * 2);
          const slot = SLOT_SIZE; // write the second slot: the offset must be honoured
          const rows = c.perRow ? c.perRow[0] : 1;
          const n0 = c.perRow ? 0 : c.n;
          const width = c.perRow ? c.perRow[1] : 0;
          // Tensors are read as vec4s from buffers of whole vec4s (as the engine sizes them), padded
          // here with NaN: an element past n that reached a statistic would show.
          const padded = new Float32Array(Math.ceil(c.n / 4) * 4).fill(NaN);
          padded.set(x);
          const xb = R.buffer(padded),
            cur = R.stepInfo(rows);
          // One workgroup, or several at a partial offset other than 0 with an uneven last chunk.
          const groups = multi ? Math.max(2, K.statsGroups(c.n)) : 1,
            part = multi ? 3 : 0;
          const u = { n: n0, width, groups, part };
          const p1 = R.buffer((part + groups) * K.STATS_PART1),
            p2 = R.buffer((part + groups) * K.STATS_PART2);
          await R.run(K.statsPartialKernel(c.sat, !!c.perRow), [xb, cur, p1], [groups, 1, 1], u);
          await R.run(K.statsHistKernel(!!c.perRow), [xb, cur, p1, p2], [groups, 1, 1], { ...u, parts: groups });
          // Pass 3 for two slots in one dispatch: this one, and an empty tensor's in the first slot.
          await finalPass(
            [cur, p1, p2, out],
            [
              { n: 0, width: 0, slot: 0, groups: 0, part: 0, hist: false, parts: 0 },
              { ...u, slot, hist: true, parts: groups },
            ],
          );
          const empty = await R.read(out, SLOT_SIZE);
          expect([empty[SLOT.count], empty[SLOT.norm], empty[SLOT.min], empty[SLOT.max]]).toEqual([0, 0, 0, 0]);
          const got = (await R.read(out, 2 * SLOT_SIZE)).subarray(slot);
          expectSlot(got, x, c.perRow ? c.perRow[0] * c.perRow[1] : c.n, c.sat, true);
        });
      }
  });

  it('statistics without histogram, and norm only, when that is all a tensor needs', async () => {
    const n = 9001,
      x = randomArray(n, -1, 1, 13);
    for (let i = 0; i < n; i += 5) x[i] = 0;
    const ref = new Float64Array(SLOT_SIZE);
    reduceSlot(x, n, 0, ref, 0);
    const groups = K.statsGroups(n),
      u = { n, width: 0, groups, part: 0 };
    const xb = R.buffer(x),
      cur = R.stepInfo(1);
    for (const need of ['spread', 'norm'] as const) {
      const out = R.buffer(SLOT_SIZE),
        p1 = R.buffer(groups * K.STATS_PART1),
        p2 = R.buffer(groups * K.STATS_PART2);
      await R.run(K.statsPartialKernel(0, false, need === 'spread'), [xb, cur, p1], [groups, 1, 1], u);
      await finalPass([cur, p1, p2, out], [{ ...u, slot: 0, hist: false, parts: groups }]);
      const got = await R.read(out, SLOT_SIZE);
      expect(got[SLOT.count]).toBe(n);
      expect(got[SLOT.norm]).toBeCloseTo(ref[SLOT.norm], 3);
      if (need === 'spread') {
        for (const k of ['mean', 'std', 'min', 'max', 'zeros'] as const)
          expect(got[SLOT[k]], k).toBeCloseTo(ref[SLOT[k]], 5);
      } else {
        // The norm only: every other field 0.
        expect([
          got[SLOT.mean],
          got[SLOT.std],
          got[SLOT.min],
          got[SLOT.max],
          got[SLOT.zeros],
          got[SLOT.saturated],
        ]).toEqual([0, 0, 0, 0, 0, 0]);
      }
      expect(Array.from(got.subarray(SLOT.hist))).toEqual(new Array(HIST_BINS).fill(0));
    }
  });

  describe('initializer sampling', () => {
    const [lo, hi] = seedKey(12345);
    const cases: [string, Initializer, [number, number]][] = [
      ['uniform [0,1)', { name: 'random_uniform', minval: 0, maxval: 1 }, [300, 257]],
      ['uniform [-0.3, 0.7)', { name: 'random_uniform', minval: -0.3, maxval: 0.7 }, [3, 17]],
      ['glorot_uniform', { name: 'glorot_uniform', scale: 1, mode: 'fan_avg', distribution: 'uniform' }, [513, 255]],
      ['random_normal', { name: 'random_normal', mean: 0.5, stddev: 2 }, [255, 17]],
      [
        'he_normal (truncated)',
        { name: 'he_normal', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
        [513, 300],
      ],
    ];
    for (const [label, init, shape] of cases) {
      it(label, async () => {
        const n = shape[0] * shape[1];
        const s = resolveSampler(init, shape);
        const ref = sampleCpu(s, shape, 12345, 3, 0);
        const out = R.buffer(n);
        const [a, b] = drawParams(s);
        await R.run(K.initKernel(drawKindId(s)!), [out], g1(n), {
          n,
          seed_lo: lo,
          seed_hi: hi,
          layer: 3,
          stream: 0,
          a,
          b,
          zero: 0,
        });
        const got = await R.read(out, n);
        if (s.kind === 'uniform') {
          // Uniform draws, min + (max - min)·u: bit-identical on every adapter (the product is
          // kept from fusing with the add, add_product in shaders/rng.wgsl).
          expect(Buffer.from(got.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
        } else {
          // Normal draws within 1e-6 in units of the standard normal (before scaling by stddev).
          expectClose(
            got,
            ref,
            1e-6 * (s.kind === 'normal' || s.kind === 'truncated_normal' ? s.stddev : 1),
            1e-6,
            label,
          );
        }
      });
    }
  });
});
