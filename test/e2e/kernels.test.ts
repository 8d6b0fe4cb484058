/**
 * @file The product variants in the browser's WebGPU (SwiftShader in headless Chromium), each
 * forced in turn, against the CPU reference. SwiftShader has fixed subgroups of 4 (lavapipe,
 * under the Node tests, has 8), so this is where the subgroup kernels meet a second subgroup
 * size. The modules are imported from the Vite dev server into the page.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_ID } from '../../src/core/ids';
import { browserSession, HAVE_CHROMIUM } from './harness';

const session = browserSession(true);

describe.skipIf(!HAVE_CHROMIUM)('product kernels in the browser', () => {
  it("keeps the tuner's choices in localStorage, so a reloaded page does not time them again", async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.url}test/fixtures/blank.html`);
    const tuneOnce = () =>
      page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: modules imported inside the page have no types here
        const imp = new Function('p', 'return import(p)') as (p: string) => Promise<Record<string, any>>;
        const { acquireBrowserDevice } = await imp('/src/gpu/browser-device.ts');
        const { ProductTuner } = await imp('/src/gpu/tuner.ts');
        const got = await acquireBrowserDevice();
        if (!got.device) return { error: got.unavailable ?? 'no device' };
        let trials = 0;
        const choices = await ProductTuner.for(got.device).choices([{ form: 'forward', m: 32, n: 16, k: 8 }], {
          onTrials: (t: unknown[]) => {
            trials += t.length;
          },
        });
        got.device.destroy();
        return {
          trials,
          variant: choices.variantFor('forward', 32, 16, 8),
          kept: localStorage.getItem('mlp-playground.tune'),
        };
      });
    await page.evaluate(() => localStorage.removeItem('mlp-playground.tune'));
    const first = await tuneOnce();
    expect(first.error).toBeUndefined();
    expect(first.trials).toBeGreaterThan(1);
    expect(first.kept).toContain(`"forward 32x16x8"`);
    await page.goto(`${session.url}test/fixtures/blank.html?again`);
    const second = await tuneOnce();
    expect([second.trials, second.variant]).toEqual([0, first.variant]);
    await page.close();
  }, 300_000);

  it('forward (with its activation epilogue), dX (with the derivative) and dW match the CPU reference', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.url}test/fixtures/blank.html`);
    const out = await page.evaluate(async (tanh: number) => {
      // Built from a string: the test file's own transform would rewrite a literal import().
      // biome-ignore lint/suspicious/noExplicitAny: modules imported inside the page have no types here
      const imp = new Function('p', 'return import(p)') as (p: string) => Promise<Record<string, any>>;
      const { acquireBrowserDevice } = await imp('/src/gpu/browser-device.ts');
      const { PipelineCache, bind, dispatch } = await imp('/src/gpu/kernel.ts');
      const K = await imp('/src/gpu/products.ts');
      const { subgroupSizeOf, productCapsOf, PRODUCT_VARIANTS } = K;
      const { matmulBias, matmulTransA, matmulTransB } = await imp('/src/core/cpu/ops.ts');
      const got = await acquireBrowserDevice();
      if (!got.device) return { error: got.unavailable ?? 'no device' };
      const device: GPUDevice = got.device;
      const sg = subgroupSizeOf(device);
      const caps = productCapsOf(device);
      const cache = new PipelineCache(device);
      let seed = 7;
      const rand = (n: number) =>
        Float32Array.from({ length: n }, () => {
          seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
          return seed / 2 ** 31 - 1;
        });
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
      const up = (a: Float32Array | number) => {
        const n = typeof a === 'number' ? a : a.length;
        const b = device.createBuffer({ size: Math.max(16, n * 4), usage });
        if (typeof a !== 'number') device.queue.writeBuffer(b, 0, a as Float32Array<ArrayBuffer>);
        return b;
      };
      const read = async (b: GPUBuffer, n: number) => {
        const rb = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        const e = device.createCommandEncoder();
        e.copyBufferToBuffer(b, 0, rb, 0, n * 4);
        device.queue.submit([e.finish()]);
        await rb.mapAsync(GPUMapMode.READ);
        return new Float32Array(rb.getMappedRange().slice(0));
      };
      // biome-ignore lint/suspicious/noExplicitAny: a MatmulPlan from the page's module
      const run = async (plan: any, bufs: GPUBuffer[], extra: GPUBuffer[]) => {
        const scratch = {
          a: plan.transposeA ? up(plan.transposeA.floats) : null,
          b: plan.transposeB ? up(plan.transposeB.floats) : null,
        };
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        for (const c of K.matmulCalls(plan, bufs, scratch, extra))
          dispatch(pass, bind(device, await cache.get(c.desc), c.buffers, c.groups, c.uniforms));
        pass.end();
        device.queue.submit([enc.finish()]);
      };
      const results: { name: string; err: number }[] = [];
      // Every variant the device can run, forced, on a shape of ragged edges: rows and k that no
      // tile divides, and outputs wider than a 64-column block.
      for (const variant of PRODUCT_VARIANTS)
        for (const [M, Kd, N] of [[37, 20, 68]]) {
          const X = rand(M * Kd),
            W = rand(Kd * N),
            b = rand(N),
            dZ = rand(M * N),
            Zb = rand(M * Kd);
          const fwd = K.matmulPlan('forward', M, N, Kd, variant, caps, { kind: 'act', act: tanh, alpha: 0 });
          if (fwd) {
            const Z = up(M * N),
              A = up(M * N);
            await run(fwd, [up(X), up(W), up(b), Z], [A]);
            const Zref = new Float64Array(M * N);
            matmulBias(M, Kd, N, X, W, b, Zref);
            const z = await read(Z, M * N),
              a = await read(A, M * N);
            let e = 0;
            for (let i = 0; i < M * N; i++)
              e = Math.max(
                e,
                Math.abs(z[i] - Zref[i]),
                Math.abs((fwd.epilogue ? a[i] : Math.tanh(z[i])) - Math.tanh(Zref[i])),
              );
            results.push({ name: `${variant} forward`, err: e });
          }
          const g = K.matmulPlan('dX', M, Kd, N, variant, caps, { kind: 'act_grad', act: tanh, alpha: 0 });
          if (g) {
            const dA = up(M * Kd),
              dZb = up(M * Kd);
            await run(g, [up(dZ), up(W), up(4), dA], [up(Zb), dZb]);
            const dXref = new Float64Array(M * Kd);
            matmulTransB(M, Kd, N, dZ, W, dXref);
            const da = await read(dA, M * Kd),
              dz = g.epilogue ? await read(dZb, M * Kd) : null;
            let e = 0;
            for (let i = 0; i < M * Kd; i++) {
              const t = Math.tanh(Zb[i]);
              e = Math.max(e, Math.abs(da[i] - dXref[i]), dz ? Math.abs(dz[i] - dXref[i] * (1 - t * t)) : 0);
            }
            results.push({ name: `${variant} dX`, err: e });
          }
          // dW = Xᵀ·dZ (Kd×N).
          const gw = K.matmulPlan('dW', Kd, N, M, variant, caps);
          if (gw) {
            const dW = up(Kd * N);
            await run(gw, [up(X), up(dZ), up(4), dW], []);
            const dWref = new Float64Array(Kd * N);
            matmulTransA(M, Kd, N, X, dZ, dWref, null);
            const dw = await read(dW, Kd * N);
            let e = 0;
            for (let i = 0; i < Kd * N; i++) e = Math.max(e, Math.abs(dw[i] - dWref[i]));
            results.push({ name: `${variant} dW`, err: e });
          }
        }
      // A recorded step's forward: Z's and A's statistics in the subgroup kernel's epilogue
      // (shaders/mm_stats.wgsl, merged across a subgroup of 4 here), for the 30 rows of a short
      // batch of 37. The partials, merged here as pass 3 merges them, against Z and A read back.
      const stats: { name: string; err: number }[] = [];
      if (sg)
        for (const variant of ['sg', 'sg-t']) {
          const [M, Kd, N, rows] = [37, 20, 12, 30];
          const plan = K.matmulPlan('forward', M, N, Kd, variant, caps, {
            kind: 'act',
            act: tanh,
            alpha: 0,
            stats: true,
            sat: 1,
          });
          const parts = plan.uniforms.groups,
            Z = up(M * N),
            A = up(M * N),
            p1 = up(2 * parts * 8);
          const cur = device.createBuffer({ size: 16, usage });
          device.queue.writeBuffer(cur, 0, new Uint32Array([rows, 0, 1, 0]));
          await run(
            { ...plan, uniforms: { ...plan.uniforms, part: 0 } },
            [up(rand(M * Kd)), up(rand(Kd * N)), up(rand(N)), Z],
            [A, cur, p1],
          );
          const raw = await read(p1, 2 * parts * 8),
            counts = new Uint32Array(raw.buffer);
          for (const [t, x] of [
            [0, await read(Z, M * N)],
            [1, await read(A, M * N)],
          ] as [number, Float32Array][]) {
            const v = Array.from(x.subarray(0, rows * N)),
              n = v.length,
              mean = v.reduce((s, y) => s + y, 0) / n;
            const std = Math.sqrt(v.reduce((s, y) => s + (y - mean) ** 2, 0) / n);
            let cnt = 0,
              sum = 0,
              sq = 0,
              mn = Infinity,
              mx = -Infinity,
              sat = 0;
            for (let g = 0; g < parts; g++) {
              const o = (t * parts + g) * 8;
              cnt += counts[o + 7];
              sum += raw[o];
              sq += raw[o + 1];
              mn = Math.min(mn, raw[o + 2]);
              mx = Math.max(mx, raw[o + 3]);
              sat += raw[o + 5];
            }
            let m2 = 0;
            for (let g = 0; g < parts; g++) {
              const o = (t * parts + g) * 8,
                ng = counts[o + 7];
              if (ng > 0) m2 += raw[o + 6] + ng * (raw[o] / ng - sum / cnt) ** 2;
            }
            const err = Math.max(
              cnt === n ? 0 : 1,
              Math.abs(sum / cnt - mean),
              Math.abs(Math.sqrt(m2 / cnt) - std),
              Math.abs(Math.sqrt(sq) - Math.sqrt(v.reduce((s, y) => s + y * y, 0))),
              mn === Math.min(...v) && mx === Math.max(...v) ? 0 : 1,
              t === 1 && sat !== v.filter((y) => Math.abs(y) > 0.99).length ? 1 : 0,
            );
            stats.push({ name: `${plan.desc.name} ${t === 0 ? 'Z' : 'A'}`, err });
          }
        }
      return { subgroupSize: sg, variants: PRODUCT_VARIANTS as string[], results, stats };
    }, ACTIVATION_ID.tanh);
    expect(out.error).toBeUndefined();
    // Every variant ran (the subgroup ones where the adapter has a fixed subgroup size), each form it takes.
    const ran = new Set(out.results!.map((r) => r.name.split(' ')[0]));
    expect([...ran]).toEqual(out.variants!.filter((v) => out.subgroupSize || !v.startsWith('sg')));
    for (const r of out.results!) expect(r.err, r.name).toBeLessThan(1e-4);
    if (out.subgroupSize)
      expect(out.stats!.map((r) => r.name)).toEqual([
        'matmul_nn_sg+act+stats Z',
        'matmul_nn_sg+act+stats A',
        'matmul_tn_sg+act+stats Z',
        'matmul_tn_sg+act+stats A',
      ]);
    for (const r of out.stats!) expect(r.err, r.name).toBeLessThan(1e-5);
    console.log(
      `browser products: subgroups of ${out.subgroupSize}, ${out.results!.map((r) => `${r.name} ${r.err.toExponential(1)}`).join(', ')}`,
    );
    await page.close();
  }, 300_000);
});
