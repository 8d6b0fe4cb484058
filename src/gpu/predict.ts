/**
 * @file The engine's forward passes for `predict` (decision boundaries, test metrics): forward-only
 * buffers and dispatches for a number of rows, built on first use per power-of-two bucket and
 * kept, their buffers in the engine's scope. Not part of training: a prediction waits for its own
 * read-back.
 */
import { ACTIVATION_ID } from '../core/ids';
import type { Activation } from '../core/types';
import type { Prediction } from '../train/engine';
import { bindCalls } from './compile';
import { type BoundKernel, dispatch, groups1d, type PipelineCache, writeArray } from './kernel';
import * as K from './kernels';
import { call, type PlanProduct, productCallsWith } from './layer-plan';
import type { KernelCall } from './products';
import type { GpuScope } from './scope';
import type { LayerBuffers } from './slices';

/**
 * Rows per pass at most: plans are built per power-of-two bucket from 256 up to this, so a
 * 64×64 boundary grid runs 4096 rows, not the largest bucket.
 */
const PREDICT_ROWS = 65536;

/** The buffers and dispatches of a forward pass over `rows` rows. */
interface ForwardPass {
  rows: number;
  X: GPUBuffer;
  /** The output layer's pre-activations and activations. */
  Z: GPUBuffer;
  A: GPUBuffer;
  kernels: BoundKernel[];
  readback: GPUBuffer;
}

export class Predictor {
  private readonly passes = new Map<number, Promise<ForwardPass>>();

  constructor(
    private readonly scope: GpuScope,
    private readonly cache: PipelineCache,
    private readonly layers: LayerBuffers[],
    private readonly activations: Activation[],
    private readonly inputDim: number,
    private readonly planProduct: PlanProduct,
  ) {}

  /** The output layer's Z and A for `n` rows of `x`, with the weights as they are. */
  async predict(x: Float32Array, n: number): Promise<Prediction> {
    const device = this.scope.device;
    const rowsWanted = Math.min(this.maxRows(), Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
    let pending = this.passes.get(rowsWanted);
    if (!pending) {
      pending = this.build(rowsWanted);
      this.passes.set(rowsWanted, pending);
    }
    const p = await pending;
    const out = this.layers[this.layers.length - 1].shape.units;
    const z = new Float32Array(n * out),
      a = new Float32Array(n * out);
    // Each pass computes p.rows rows (the kernels were bound for that); rows past n are never read.
    for (let r0 = 0; r0 < n; r0 += p.rows) {
      const rows = Math.min(p.rows, n - r0);
      writeArray(device, p.X, x.subarray(r0 * this.inputDim, (r0 + rows) * this.inputDim));
      const enc = device.createCommandEncoder({ label: 'predict' });
      const pass = enc.beginComputePass();
      for (const k of p.kernels) dispatch(pass, k);
      pass.end();
      const bytes = rows * out * 4;
      enc.copyBufferToBuffer(p.Z, 0, p.readback, 0, bytes);
      enc.copyBufferToBuffer(p.A, 0, p.readback, p.rows * out * 4, bytes);
      device.queue.submit([enc.finish()]);
      await p.readback.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(p.readback.getMappedRange());
      z.set(all.subarray(0, rows * out), r0 * out);
      a.set(all.subarray(p.rows * out, p.rows * out + rows * out), r0 * out);
      p.readback.unmap();
    }
    return { z, a };
  }

  /** The most rows one pass may take on this device (its widest activations in one binding). */
  private maxRows(): number {
    const lim = this.scope.device.limits;
    const widest = Math.max(...this.layers.map((L) => L.shape.units), this.inputDim);
    const bytes = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
    return Math.max(1, Math.min(PREDICT_ROWS, Math.floor(bytes / (4 * widest))));
  }

  private async build(rows: number): Promise<ForwardPass> {
    const { scope } = this;
    const X = scope.buffer('predict.X', rows * this.inputDim * 4);
    const widestInput = Math.max(...this.layers.map((L) => L.shape.fanIn));
    const productCalls = productCallsWith(scope, rows * widestInput, 0);
    const calls: KernelCall[] = [];
    let input = X,
      Z = X,
      A = X;
    for (const [l, L] of this.layers.entries()) {
      const act = this.activations[l],
        id = ACTIVATION_ID[act.name],
        { fanIn, units } = L.shape;
      Z = scope.buffer(`predict.Z${l}`, rows * units * 4);
      A = scope.buffer(`predict.A${l}`, rows * units * 4);
      calls.push(...productCalls(this.planProduct('forward', rows, units, fanIn), [input, L.W, L.b, Z]));
      calls.push(
        id === ACTIVATION_ID.softmax
          ? call(K.softmaxKernel(), [Z, A], [...groups1d(rows), 1], { rows, units })
          : call(K.actForwardKernel(id, act.alpha), [Z, A], [...groups1d(rows * units), 1], { n: rows * units }),
      );
      input = A;
    }
    const out = this.layers[this.layers.length - 1].shape.units;
    const readback = scope.buffer(
      'predict.readback',
      2 * rows * out * 4,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    return { rows, X, Z, A, kernels: await bindCalls(scope, this.cache, calls), readback };
  }
}
