/**
 * @file The matrix products of a dense layer as benchmark workloads, one per engine:
 *   forward  Z(M×N) = X(M×K)·W(K×N) + b
 *   dX       dX(M×N) = dZ(M×K)·W(N×K)ᵀ
 *   dW       dW(M×N) = X(K×M)ᵀ·dZ(K×N)
 * Every engine takes the same `ProductCase` (form, shape and operands). Inputs are uploaded once
 * and stay on the device; an iteration is one product. Our GPU kernel is the variant the tuner
 * keeps for the shape (src/gpu/tuner.ts), dispatched back to back in one pass per submit; TF.js
 * gets the same shapes through `tf.matMul`'s transpose flags (and `tf.fused.matMul` with the bias
 * for the forward form, the op its Dense layer uses).
 */
import { checked } from '../gpu/device-health';
import type { PipelineCache } from '../gpu/kernel';
import { chosenPlan, type MatmulForm, matmulCalls, planName } from '../gpu/products';
import { GpuScope, readBuffer } from '../gpu/scope';
import { ProductTuner } from '../gpu/tuner';
import { Arena, type GemmArgs, WasmKernels } from '../wasm/kernels';
import { dispatchWorkload } from './ceiling';
import type { Workload } from './measure';
import { type TfBackend, type TfModule, useBackend } from './tf';

export interface ProductWorkload extends Workload {
  /** The kernel or op that does the work. */
  method: string;
  /** Compute dispatches per product (our GPU engine: transpositions and the product). */
  dispatches?: number;
  /** The output of the last iteration (for the cross-engine check). */
  read(): Promise<Float32Array>;
  dispose(): void;
}

/** Operand sizes of a form: A's rows×cols, B's rows×cols. */
function operandShapes(
  form: MatmulForm,
  M: number,
  N: number,
  K: number,
): { a: [number, number]; b: [number, number] } {
  switch (form) {
    case 'forward':
      return { a: [M, K], b: [K, N] };
    case 'dX':
      return { a: [M, K], b: [N, K] };
    case 'dW':
      return { a: [K, M], b: [K, N] };
  }
}

/** Inputs of one product: uniform values in [-1, 1) from a small LCG (independent of the engine's RNG). */
interface ProductInputs {
  a: Float32Array;
  b: Float32Array;
  bias: Float32Array;
}

function productInputs(form: MatmulForm, M: number, N: number, K: number, seed: number): ProductInputs {
  const s = operandShapes(form, M, N, K);
  let x = seed >>> 0 || 1;
  const fill = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      a[i] = x / 2147483648 - 1;
    }
    return a;
  };
  return { a: fill(s.a[0] * s.a[1]), b: fill(s.b[0] * s.b[1]), bias: fill(N) };
}

/** One product to time: its form, (M×K)·(K×N) shape and operands, the same for every engine. */
interface ProductCase {
  form: MatmulForm;
  M: number;
  N: number;
  K: number;
  inputs: ProductInputs;
}

/** The case of `form` at `shape`, its operands drawn from `seed`. */
export function productCase(form: MatmulForm, shape: { M: number; N: number; K: number }, seed: number): ProductCase {
  const { M, N, K } = shape;
  return { form, M, N, K, inputs: productInputs(form, M, N, K, seed) };
}

export async function oursGpuProduct(
  device: GPUDevice,
  cache: PipelineCache,
  c: ProductCase,
): Promise<ProductWorkload> {
  const { form, M, N, K, inputs } = c;
  const scope = new GpuScope(device);
  try {
    const A = scope.upload('A', inputs.a),
      B = scope.upload('B', inputs.b);
    const bias = form === 'forward' ? scope.upload('bias', inputs.bias) : scope.buffer('bias', 16);
    const out = scope.buffer('out', M * N * 4);
    // The variant the tuner keeps for this shape on this device, as the engine would run it.
    const tuner = ProductTuner.for(device);
    const plan = chosenPlan(await tuner.choices([{ form, m: M, n: N, k: K }]), tuner.caps, form, M, N, K);
    // The transposition the engine does before the product (dX) is part of the timed iteration.
    const scratch = {
      a: plan.transposeA ? scope.buffer('scratch.a', plan.transposeA.floats * 4) : null,
      b: plan.transposeB ? scope.buffer('scratch.b', plan.transposeB.floats * 4) : null,
    };
    const ks = await checked(device, plan.desc.name, () =>
      Promise.all(
        matmulCalls(plan, [A, B, bias, out], scratch).map(async (call) =>
          scope.bind(await cache.get(call.desc), call.buffers, call.groups, call.uniforms),
        ),
      ),
    );
    return {
      method: planName(plan),
      dispatches: ks.length,
      run: dispatchWorkload(device, ks),
      read: async () => new Float32Array(await readBuffer(device, out, M * N * 4)),
      dispose: () => scope.dispose(),
    };
  } catch (e) {
    scope.dispose();
    throw e;
  }
}

/**
 * Our CPU engine's product (src/wasm/): the WebAssembly kernel on every thread, operands in the
 * engine's memory, called as the engine calls it (the forward product with its bias and a linear
 * activation's epilogue, which also stores A, as a dense layer does).
 */
export async function oursCpuProduct(c: ProductCase): Promise<ProductWorkload> {
  const { form, M, N, K, inputs } = c;
  const arena = new Arena();
  const [a, b, bias, out, act] = [inputs.a.length, inputs.b.length, N, M * N, M * N].map((n) => arena.floats(n));
  const k = await WasmKernels.create(arena);
  k.f32(a, inputs.a.length).set(inputs.a);
  k.f32(b, inputs.b.length).set(inputs.b);
  k.f32(bias, N).set(inputs.bias);
  const shape = { rows: M, cols: N, inner: K, c: out, cRow: N };
  // Operands as operandShapes lays them out: forward a M×K, b K×N; dX a M×K, b N×K; dW a K×M, b K×N.
  const args: GemmArgs =
    form === 'forward'
      ? { ...shape, a, aRow: K, aStep: 1, b, bStep: N, bCol: 1, bias, epilogue: 'forward', act: 0, out2: act }
      : form === 'dX'
        ? { ...shape, a, aRow: K, aStep: 1, b, bStep: 1, bCol: K }
        : { ...shape, a, aRow: 1, aStep: M, b, bStep: N, bCol: 1 };
  return {
    method: `WebAssembly SIMD gemm, ${k.threads} thread${k.threads > 1 ? 's' : ''}`,
    async run(iters) {
      for (let i = 0; i < iters; i++) k.gemm(args);
    },
    async read() {
      return k.f32(out, M * N).slice();
    },
    dispose() {
      k.dispose();
    },
  };
}

/**
 * A TF.js product on `backend`: operands are uploaded (and, on webgpu, moved to the device by
 * the warm-up); `run` issues `iters` products and synchronizes once by reading the last result.
 */
export async function tfProduct(tf: TfModule, backend: TfBackend, c: ProductCase): Promise<ProductWorkload> {
  const { form, M, N, K, inputs } = c;
  await useBackend(tf, backend);
  const s = operandShapes(form, M, N, K);
  const a = tf.tensor2d(inputs.a, s.a),
    b = tf.tensor2d(inputs.b, s.b);
  const bias = form === 'forward' ? tf.tensor1d(inputs.bias) : null;
  let last: ReturnType<TfModule['matMul']> | null = null;
  const once = () =>
    form === 'forward'
      ? tf.fused.matMul({ a, b, bias: bias! })
      : form === 'dX'
        ? tf.matMul(a, b, false, true)
        : tf.matMul(a, b, true, false);
  return {
    method:
      form === 'forward' ? 'tf.fused.matMul(+bias)' : form === 'dX' ? 'tf.matMul(transposeB)' : 'tf.matMul(transposeA)',
    activate: () => useBackend(tf, backend),
    async run(iters) {
      for (let i = 0; i < iters; i++) {
        const r = once();
        last?.dispose();
        last = r;
      }
      await last!.data();
    },
    async read() {
      return (await last!.data()) as Float32Array;
    },
    dispose() {
      last?.dispose();
      a.dispose();
      b.dispose();
      bias?.dispose();
      last = null;
    },
  };
}

/** Largest |x - ref| / (1 + |ref|) over all elements. */
export function maxRelError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (x.length !== ref.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(x[i] - ref[i]) / (1 + Math.abs(ref[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}
