/**
 * @file Every product variant, forced one by one (not left to the tuner), against the CPU
 * reference on awkward shapes with NaN-poisoned outputs and scratch buffers; their fused
 * epilogues against the product followed by the activation kernels; the statistics some
 * epilogues reduce against the CPU's slots.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { matmulBias, matmulTransA, matmulTransB } from '../src/core/cpu/ops';
import { ACTIVATION_ID } from '../src/core/ids';
import { SLOT_SIZE } from '../src/core/stats';
import { groups1d } from '../src/gpu/kernel';
import * as K from '../src/gpu/kernels';
import * as P from '../src/gpu/products';
import { testDevice } from './gpu-device';
import { expectClose, expectSlot, finalPass, KernelRunner, randomArray } from './harness';

const dev = await testDevice();
const R = dev ? new KernelRunner(dev.device) : (null as unknown as KernelRunner);
afterAll(() => R?.dispose());

const g1 = (n: number): [number, number, number] => [...groups1d(n), 1];
/** The test device's capabilities: the subgroup variants run where it has a fixed subgroup size. */
const caps: P.ProductCaps = dev ? P.productCapsOf(dev.device) : { subgroupSize: null };
const variants = P.PRODUCT_VARIANTS.filter((v) => caps.subgroupSize || !v.startsWith('sg'));

/** The plan of a variant that must take the shape. */
function plan(form: P.MatmulForm, M: number, N: number, K: number, variant: string, epi?: P.Epilogue): P.MatmulPlan {
  const p = P.matmulPlan(form, M, N, K, variant, caps, epi);
  if (!p) throw new Error(`${variant} does not take ${form} ${M}×${N}×${K}`);
  return p;
}

/** Runs a plan's dispatches; its scratch buffers poisoned, so the product reads only what the transpositions wrote. */
async function calls(p: P.MatmulPlan, bufs: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer], extra: GPUBuffer[] = []) {
  const poisoned = (t?: P.Transposition) => (t ? R.buffer(new Float32Array(t.floats).fill(NaN)) : null);
  const scratch = { a: poisoned(p.transposeA), b: poisoned(p.transposeB) };
  for (const c of P.matmulCalls(p, bufs, scratch, extra))
    await R.run(c.desc, c.buffers as GPUBuffer[], c.groups, c.uniforms);
}

describe.skipIf(!dev)('product variants vs CPU reference', () => {
  // (batch M, fanIn Kd, units N): none a multiple of the tiles, most with widths of 4 (which most
  // variants need for their outputs), some across several 128-wide blocks with ragged edges.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 5],
    [17, 3, 255],
    [64, 64, 64],
    [255, 17, 513],
    [513, 255, 3],
    [1, 513, 17],
    [100, 33, 1],
    [4, 8, 12],
    [36, 20, 44],
    [513, 256, 64],
    [12, 1024, 4],
    [7, 12, 16],
    [33, 12, 7],
    [40, 516, 3],
    [3, 17, 8],
    [130, 36, 132],
    [255, 516, 20],
    [129, 12, 260],
  ];

  for (const variant of variants)
    for (const [M, Kd, N] of shapes) {
      const forms = P.FORMS.filter((f) => {
        const [rows, cols, inner] = f === 'forward' ? [M, N, Kd] : f === 'dX' ? [M, Kd, N] : [Kd, N, M];
        return P.matmulPlan(f, rows, cols, inner, variant, caps) !== null;
      });
      if (!forms.length) continue;
      it(`${variant}: ${forms.join(', ')} with batch ${M}, fanIn ${Kd}, units ${N}`, async () => {
        const X = randomArray(M * Kd, -1, 1, 1),
          W = randomArray(Kd * N, -1, 1, 2),
          b = randomArray(N, -1, 1, 3);
        const dZ = randomArray(M * N, -1, 1, 4);
        // One infinite input: it must reach only the outputs that depend on it (row 1 of Z, row 0
        // of dW), not those of its neighbours in memory, which a kernel reading past an edge would.
        if (M > 1) X[Kd] = Infinity;
        const tol = 2e-6 * Math.sqrt(Math.max(Kd, M, N)) * 4;
        if (forms.includes('forward')) {
          // Z(M×N) = X(M×K)·W(K×N) + b
          const Z = R.buffer(M * N);
          await calls(plan('forward', M, N, Kd, variant), [R.buffer(X), R.buffer(W), R.buffer(b), Z]);
          const ref = new Float64Array(M * N);
          matmulBias(M, Kd, N, Float64Array.from(X), Float64Array.from(W), Float64Array.from(b), ref);
          expectClose(await R.read(Z, M * N), ref, tol, 0, 'forward');
        }
        if (forms.includes('dX')) {
          // dX(M×K) = dZ(M×N)·Wᵀ
          const dX = R.buffer(M * Kd);
          await calls(plan('dX', M, Kd, N, variant), [R.buffer(dZ), R.buffer(W), R.buffer(4), dX]);
          const ref = new Float64Array(M * Kd);
          matmulTransB(M, Kd, N, Float64Array.from(dZ), Float64Array.from(W), ref);
          expectClose(await R.read(dX, M * Kd), ref, tol, 0, 'dX');
        }
        if (forms.includes('dW')) {
          // dW(K×N) = Xᵀ·dZ
          const dW = R.buffer(Kd * N);
          await calls(plan('dW', Kd, N, M, variant), [R.buffer(X), R.buffer(dZ), R.buffer(4), dW]);
          const ref = new Float64Array(Kd * N);
          matmulTransA(M, Kd, N, Float64Array.from(X), Float64Array.from(dZ), ref, null);
          expectClose(await R.read(dW, Kd * N), ref, tol, 0, 'dW');
        }
      });
    }

  it('every variant takes some product of a dense layer, and the general kernel every one', () => {
    for (const v of variants) {
      const takes = shapes.some(([M, Kd, N]) => P.FORMS.some((f) => P.matmulPlan(f, M, N, Kd, v, caps)));
      expect(takes, v).toBe(true);
    }
    for (const [M, Kd, N] of shapes)
      for (const f of P.FORMS) expect(P.productVariants(f, M, N, Kd, caps)).toContain('general');
  });

  it('says which variants can take a shape on which device', () => {
    const none: P.ProductCaps = { subgroupSize: null };
    const sg8: P.ProductCaps = { subgroupSize: 8 };
    const tiled = P.PRODUCT_VARIANTS.filter((v) => v.startsWith('tiled-'));
    expect(tiled.length).toBeGreaterThanOrEqual(4);
    // An output width of 7: only the general kernel.
    expect(P.productVariants('forward', 3, 7, 5, sg8)).toEqual(['general']);
    // dX on W as stored needs K % 4 == 0; dW's vec4 kernel M % 4 == 0; subgroups a fixed size.
    expect(P.productVariants('dX', 3, 7, 8, none)).toEqual(['general', 'vec4-nt']);
    expect(P.productVariants('forward', 3, 8, 5, none)).toEqual(['general', 'vec4', ...tiled]);
    expect(P.productVariants('forward', 3, 8, 5, sg8)).toEqual(['general', 'vec4', 'sg', 'sg-t', ...tiled]);
    expect(P.productVariants('dW', 6, 12, 3, sg8)).toEqual(['general', 'sg', ...tiled]);
    expect(P.productVariants('dW', 8, 12, 3, none)).toEqual(['general', 'vec4', ...tiled]);
    expect(() => P.matmulPlan('forward', 4, 4, 4, 'fastest', none)).toThrow(/unknown product variant "fastest"/);
    // Transpositions where a variant reads an operand in the other layout.
    const t = (f: P.MatmulForm, v: string) => {
      const p = P.matmulPlan(f, 32, 8, 5, v, sg8)!;
      return [p.transposeA?.floats ?? 0, p.transposeB?.floats ?? 0];
    };
    expect([t('forward', 'sg'), t('forward', 'sg-t'), t('dX', 'sg'), t('dX', 'sg-t'), t('dX', tiled[0])]).toEqual([
      [0, 0],
      [32 * 5, 0],
      [0, 8 * 5],
      [32 * 5, 8 * 5],
      [0, 0],
    ]);
    expect(P.PRODUCT_KERNELS_VERSION).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe.skipIf(!dev)('product epilogues', () => {
  const acts: [keyof typeof ACTIVATION_ID, number][] = [
    ['tanh', 0],
    ['relu', 0],
    ['gelu', 0],
    ['leaky_relu', 0.2],
  ];
  const withEpilogue = variants.filter((v) => P.matmulPlan('forward', 8, 8, 8, v, caps, act('tanh', 0))?.epilogue);
  function act(name: keyof typeof ACTIVATION_ID, alpha: number, kind: P.Epilogue['kind'] = 'act'): P.Epilogue {
    return { kind, act: ACTIVATION_ID[name], alpha };
  }

  it('fuse into every variant but the general kernel, each only after its own product', () => {
    expect(withEpilogue).toEqual(variants.filter((v) => v !== 'general' && v !== 'vec4-nt'));
    for (const v of variants) {
      expect(P.matmulPlan('dX', 64, 8, 8, v, caps, act('tanh', 0))?.epilogue ?? false, v).toBe(false);
      expect(P.matmulPlan('forward', 8, 8, 8, v, caps, act('tanh', 0, 'act_grad'))?.epilogue ?? false, v).toBe(false);
      expect(P.matmulPlan('dW', 8, 8, 8, v, caps, act('tanh', 0))?.epilogue ?? false, v).toBe(false);
    }
  });

  // The fused epilogues must give exactly what the product followed by the activation kernels gives.
  for (const [M, Kd, N] of [
    [64, 36, 20],
    [33, 12, 8],
    [40, 516, 8],
    [20, 12, 8],
    [130, 20, 12],
  ] as [number, number, number][])
    for (const variant of withEpilogue)
      it(`${variant}: forward + activation and dX + derivative, batch ${M}, fanIn ${Kd}, units ${N}`, async () => {
        const X = R.buffer(randomArray(M * Kd, -1, 1, 1)),
          W = R.buffer(randomArray(Kd * N, -1, 1, 2)),
          b = R.buffer(randomArray(N, -1, 1, 3));
        const dZ = R.buffer(randomArray(M * N, -1, 1, 4)),
          Zb = R.buffer(randomArray(M * Kd, -3, 3, 5));
        for (const [name, alpha] of acts) {
          const id = ACTIVATION_ID[name];
          const fused = plan('forward', M, N, Kd, variant, act(name, alpha));
          const [Z1, A1, Z2, A2] = [1, 2, 3, 4].map(() => R.buffer(M * N));
          await calls(fused, [X, W, b, Z1], [A1]);
          await calls(plan('forward', M, N, Kd, variant), [X, W, b, Z2]);
          await R.run(K.actForwardKernel(id, alpha), [Z2, A2], g1(M * N), { n: M * N });
          expect(await R.read(Z1, M * N), name).toEqual(await R.read(Z2, M * N));
          expect(await R.read(A1, M * N), name).toEqual(await R.read(A2, M * N));
          // dX(M×Kd) = dZ(M×N)·Wᵀ, then dZ of the layer below = dX ⊙ f'(Z below)
          const g = plan('dX', M, Kd, N, variant, act(name, alpha, 'act_grad'));
          expect(g.epilogue).toBe(true);
          const [dA1, dZb1, dA2, dZb2] = [1, 2, 3, 4].map(() => R.buffer(M * Kd));
          await calls(g, [dZ, W, R.buffer(4), dA1], [Zb, dZb1]);
          await calls(plan('dX', M, Kd, N, variant), [dZ, W, R.buffer(4), dA2]);
          await R.run(K.actBackwardKernel(id, alpha), [Zb, dA2, dZb2], g1(M * Kd), { n: M * Kd });
          expect(await R.read(dA1, M * Kd), name).toEqual(await R.read(dA2, M * Kd));
          expect(await R.read(dZb1, M * Kd), name).toEqual(await R.read(dZb2, M * Kd));
        }
      });

  it('take statistics only in the subgroup kernels', () => {
    const stats: P.Epilogue = { ...act('tanh', 0), stats: true, sat: 1 };
    const sg8: P.ProductCaps = { subgroupSize: 8 };
    for (const v of P.PRODUCT_VARIANTS) {
      const f = P.matmulPlan('forward', 64, 64, 64, v, sg8, stats);
      const d = P.matmulPlan('dX', 64, 64, 64, v, sg8, { ...stats, kind: 'act_grad' });
      const fused = v.startsWith('sg');
      for (const p of [f, d].filter((x) => x !== null))
        expect([p.stats, p.desc.name.includes('stats'), p.uniforms.groups !== undefined], v).toEqual([
          fused,
          fused,
          fused,
        ]);
    }
  });

  // On a recorded step the subgroup kernels' epilogues also write pass 1 of the statistics of
  // what they store (Z and A, or dA: shaders/mm_stats.wgsl). Finished by the histogram and final
  // passes, the slots must be those of this step's rows (rows < M: a short last batch, whose
  // other rows are computed but not counted), and the outputs those of the plain epilogue.
  for (const [M, Kd, N, rows] of [
    [64, 36, 20, 64],
    [33, 12, 8, 30],
    [40, 516, 8, 17],
  ] as const)
    for (const variant of variants.filter((v) => v.startsWith('sg')))
      it(`${variant}: statistics in the epilogues, batch ${M} (${rows} rows this step), fanIn ${Kd}, units ${N}`, async () => {
        const tanh = act('tanh', 0),
          sat = 1,
          stepInfo = R.stepInfo(rows);
        const X = R.buffer(randomArray(M * Kd, -1, 1, 6)),
          W = R.buffer(randomArray(Kd * N, -1, 1, 7)),
          b = R.buffer(randomArray(N, -1, 1, 8));
        const fwd = plan('forward', M, N, Kd, variant, { ...tanh, stats: true, sat });
        const dX = plan('dX', M, Kd, N, variant, { ...tanh, kind: 'act_grad', stats: true });
        expect([fwd.stats, dX.stats]).toEqual([true, true]);
        const fParts = fwd.uniforms.groups!,
          gParts = dX.uniforms.groups!;
        // Z's partials at 1, A's after them, dA's after those (each region large enough for its histogram's too).
        const zAt = 1,
          aAt = zAt + fParts,
          gAt = aAt + Math.max(fParts, 64),
          cap = gAt + Math.max(gParts, 64);
        const p1 = R.buffer(new Float32Array(cap * K.STATS_PART1).fill(NaN)),
          p2 = R.buffer(cap * K.STATS_PART2);
        const [Z1, A1, Z2, A2] = [1, 2, 3, 4].map(() => R.buffer(M * N));
        await calls({ ...fwd, uniforms: { ...fwd.uniforms, part: zAt } }, [X, W, b, Z1], [A1, stepInfo, p1]);
        await calls(plan('forward', M, N, Kd, variant, tanh), [X, W, b, Z2], [A2]);
        const z = await R.read(Z2, M * N),
          a = await R.read(A2, M * N);
        expect(await R.read(Z1, M * N)).toEqual(z);
        expect(await R.read(A1, M * N)).toEqual(a);
        const dZ = R.buffer(randomArray(M * N, -1, 1, 9)),
          Zb = R.buffer(randomArray(M * Kd, -3, 3, 10));
        const [dA1, dZb1, dA2, dZb2] = [1, 2, 3, 4].map(() => R.buffer(M * Kd));
        await calls(
          { ...dX, uniforms: { ...dX.uniforms, part: gAt } },
          [dZ, W, R.buffer(4), dA1],
          [Zb, dZb1, stepInfo, p1],
        );
        await calls(
          plan('dX', M, Kd, N, variant, { ...tanh, kind: 'act_grad' }),
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
          if (hist) await R.run(K.statsHistKernel(true), [x, stepInfo, p1, p2], [u.groups, 1, 1], { ...u, parts });
          await finalPass(R, [stepInfo, p1, p2, out], [{ ...u, slot: 0, hist, parts }]);
          return R.read(out, SLOT_SIZE);
        };
        expectSlot(await slot(Z1, N, zAt, fParts, false), z, rows * N, 0, false);
        expectSlot(await slot(A1, N, aAt, fParts, true), a, rows * N, sat, true);
        expectSlot(await slot(dA1, Kd, gAt, gParts, true), g, rows * Kd, 0, true);
      });
});
