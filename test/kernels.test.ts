/**
 * @file Every WGSL kernel against the CPU reference on random inputs, with awkward shapes (1, 3,
 * 17, 255, 513: none a multiple of the tiles) and NaN-poisoned outputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { actDerivative, actForward } from '../src/core/activations';
import { activate } from '../src/core/cpu/ops';
import { adamAlpha, applyUpdate } from '../src/core/cpu/optimizers';
import { ACTIVATION_ID, LOSS_ID } from '../src/core/ids';
import { resolveSampler } from '../src/core/initializers';
import { isFused, lossForwardBackward } from '../src/core/losses';
import { seedKey } from '../src/core/rng';
import { drawKindId, drawParams, sampleCpu } from '../src/core/sampling';
import { HIST_BINS, normSlot, reduceSlot, SLOT, SLOT_SIZE } from '../src/core/stats';
import type { Initializer, LossName, OptimizerConfig } from '../src/core/types';
import { groups1d } from '../src/gpu/kernel';
import * as K from '../src/gpu/kernels';
import { testDevice } from './gpu-device';
import { expectClose, expectSlot, finalPass, KernelRunner, OPTIMIZERS, randomArray } from './harness';

const dev = await testDevice();
const R = dev ? new KernelRunner(dev.device) : (null as unknown as KernelRunner);
afterAll(() => R?.dispose());

const g1 = (n: number): [number, number, number] => [...groups1d(n), 1];

describe.skipIf(!dev)('kernels vs CPU reference', () => {
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
    const opts = OPTIMIZERS;
    const uniformsOf = (o: OptimizerConfig) => K.optimizerKind(o).u;
    // Tensors of whole vec4s, as the engine sizes them; the padding holds zeros (as the engine's
    // zero-initialized buffers do) and must stay zero.
    const vec4s = (a: Float32Array) => {
      const p = new Float32Array(Math.ceil(a.length / 4) * 4);
      p.set(a);
      return p;
    };
    opts.forEach((o) => {
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
            K.optimizerKernel(K.optimizerKind(o).id),
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
        const stepInfo = R.stepInfo(1, 0, t, o.name === 'adam' ? adamAlpha(o, t) : 0);
        await R.run(
          K.statsOptimizerKernel(K.optimizerKind(o).id, apply),
          [W, R.buffer(vec4s(g)), S1, S2, stepInfo, p1],
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
          if (hist)
            await R.run(K.statsHistKernel(false), [W, stepInfo, p1, p2], [groups, 1, 1], { ...u, parts: groups });
          await finalPass(R, [stepInfo, p1, p2, out], [{ ...u, slot: 0, hist, parts: groups }]);
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
            stepInfo = R.stepInfo(rows);
          // One workgroup, or several at a partial offset other than 0 with an uneven last chunk.
          const groups = multi ? Math.max(2, K.statsGroups(c.n)) : 1,
            part = multi ? 3 : 0;
          const u = { n: n0, width, groups, part };
          const p1 = R.buffer((part + groups) * K.STATS_PART1),
            p2 = R.buffer((part + groups) * K.STATS_PART2);
          await R.run(K.statsPartialKernel(c.sat, !!c.perRow), [xb, stepInfo, p1], [groups, 1, 1], u);
          await R.run(K.statsHistKernel(!!c.perRow), [xb, stepInfo, p1, p2], [groups, 1, 1], { ...u, parts: groups });
          // Pass 3 for two slots in one dispatch: this one, and an empty tensor's in the first slot.
          await finalPass(
            R,
            [stepInfo, p1, p2, out],
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
      stepInfo = R.stepInfo(1);
    for (const need of ['spread', 'norm'] as const) {
      const out = R.buffer(SLOT_SIZE),
        p1 = R.buffer(groups * K.STATS_PART1),
        p2 = R.buffer(groups * K.STATS_PART2);
      await R.run(K.statsPartialKernel(0, false, need === 'spread'), [xb, stepInfo, p1], [groups, 1, 1], u);
      await finalPass(R, [stepInfo, p1, p2, out], [{ ...u, slot: 0, hist: false, parts: groups }]);
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
