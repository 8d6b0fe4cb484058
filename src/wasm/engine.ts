/**
 * @file The CPU engine in WebAssembly: the TypeScript reference's training step (src/train/
 * cpu-engine.ts) with its products, activation epilogues and optimizer updates in SIMD kernels
 * (assembly/), on every hardware thread where memory can be shared. Same schedule, initial
 * weights, loss and statistics code as the reference, so trajectories agree to float32 rounding.
 */

import { ACTIVATION_ID } from '../core/ids';
import { type LayerStats, saturationMode } from '../core/stats';
import type { Dataset, RunConfig } from '../core/types';
import { CpuEngineBase, type CpuLayer, checkCpuFits } from '../train/cpu-base';
import type { Prediction } from '../train/engine';
import { layerShapes } from '../train/model';
import { Arena, optimizerCall, type ThreadOptions, WasmKernels } from './kernels';
import { RecordStats, type SlotSources } from './stats';

/** Rows per block of `predict` (its buffers are its own: training state is left untouched). */
const PREDICT_ROWS = 256;
const SOFTMAX = ACTIVATION_ID.softmax;

/** Byte offsets of one layer's tensors in the engine's memory. */
interface LayerBuffers {
  W: number;
  b: number;
  dW: number;
  db: number;
  mW: number;
  vW: number;
  mb: number;
  vb: number;
  Wprev: number;
  Z: number;
  A: number;
  dA: number;
  dZ: number;
}

interface LayerState extends CpuLayer {
  satMode: number;
  at: LayerBuffers;
  /** Views of the tensors the host reads or writes (weights, statistics, loss). */
  dW: Float32Array;
}

export class WasmEngine extends CpuEngineBase<LayerState> {
  readonly adapter: string;
  private readonly sources: SlotSources[];

  private constructor(
    cfg: RunConfig,
    data: Dataset,
    private readonly k: WasmKernels,
    layers: LayerState[],
    private readonly io: { X: number; Y: number; pX: number; pZ: number; pA: [number, number] },
    private readonly stats: RecordStats,
  ) {
    super(cfg, data, layers);
    this.sources = layers.map(({ at, shape, satMode }) => ({
      ...{ Z: at.Z, A: at.A, dA: at.dA, W: at.W, dW: at.dW, Wprev: at.Wprev },
      ...{ units: shape.units, kernel: shape.fanIn * shape.units, satMode },
    }));
    this.adapter =
      k.threads > 1
        ? `CPU (WebAssembly SIMD, ${k.threads} threads)`
        : `CPU (WebAssembly SIMD, one thread: ${k.oneThreadReason})`;
  }

  static async create(cfg: RunConfig, data: Dataset, opts: ThreadOptions = {}): Promise<WasmEngine> {
    const shapes = layerShapes(cfg);
    const B = Math.min(cfg.batch_size, data.n);
    const outDim = shapes[shapes.length - 1].units;
    checkCpuFits(shapes, B, data);
    const arena = new Arena();
    const widest = Math.max(...shapes.map((s) => s.units));
    const io = {
      X: arena.floats(B * data.inputDim),
      Y: arena.floats(B * outDim),
      pX: arena.floats(PREDICT_ROWS * data.inputDim),
      pZ: arena.floats(PREDICT_ROWS * widest),
      pA: [arena.floats(PREDICT_ROWS * widest), arena.floats(PREDICT_ROWS * widest)] as [number, number],
    };
    const at = shapes.map((s): LayerBuffers => {
      const kernel = s.fanIn * s.units,
        act = B * s.units;
      const [W, dW, mW, vW, Wprev] = [0, 1, 2, 3, 4].map(() => arena.floats(kernel));
      const [b, db, mb, vb] = [0, 1, 2, 3].map(() => arena.floats(s.units));
      const [Z, A, dA, dZ] = [0, 1, 2, 3].map(() => arena.floats(act));
      return { W, b, dW, db, mW, vW, mb, vb, Wprev, Z, A, dA, dZ };
    });
    const stats = new RecordStats(arena, shapes.length);
    const k = await WasmKernels.create(arena, opts);
    stats.prepare(k);
    const layers = shapes.map((shape, l): LayerState => {
      const act = cfg.layers[l].activation,
        kernel = shape.fanIn * shape.units,
        n = B * shape.units,
        p = at[l];
      return {
        shape,
        actId: ACTIVATION_ID[act.name],
        alpha: act.alpha,
        satMode: saturationMode(act),
        at: p,
        W: k.f32(p.W, kernel),
        b: k.f32(p.b, shape.units),
        dW: k.f32(p.dW, kernel),
        Wprev: k.f32(p.Wprev, kernel),
        Z: k.f32(p.Z, n),
        A: k.f32(p.A, n),
        dA: k.f32(p.dA, n),
        dZ: k.f32(p.dZ, n),
      };
    });
    return new WasmEngine(cfg, data, k, layers, io, stats);
  }

  async predict(x: Float32Array, n: number): Promise<Prediction> {
    const out = this.outDim,
      io = this.io;
    const z = new Float32Array(n * out),
      a = new Float32Array(n * out);
    for (let r0 = 0; r0 < n; r0 += PREDICT_ROWS) {
      const rows = Math.min(PREDICT_ROWS, n - r0);
      this.k.f32(io.pX, rows * this.inDim).set(x.subarray(r0 * this.inDim, (r0 + rows) * this.inDim));
      let input = io.pX;
      this.layers.forEach((L, l) => {
        const A = io.pA[l % 2];
        this.forwardLayer(L, rows, input, io.pZ, A);
        input = A;
      });
      z.set(this.k.f32(io.pZ, rows * out), r0 * out);
      a.set(this.k.f32(input, rows * out), r0 * out);
    }
    return { z, a };
  }

  dispose(): void {
    this.k.dispose();
  }

  /** Z = input·W + b and A = f(Z) for `rows` rows. */
  private forwardLayer(L: LayerState, rows: number, input: number, Z: number, A: number): void {
    const { fanIn, units } = L.shape;
    this.k.gemm({
      rows,
      cols: units,
      inner: fanIn,
      a: input,
      aRow: fanIn,
      aStep: 1,
      b: L.at.W,
      bStep: units,
      bCol: 1,
      c: Z,
      cRow: units,
      bias: L.at.b,
      epilogue: 'forward',
      act: L.actId,
      alpha: L.alpha,
      out2: A,
    });
    if (L.actId === SOFTMAX) this.k.exports.softmaxRows(rows, units, Z, A);
  }

  protected batchBuffers(rows: number): { X: Float32Array; Y: Float32Array } {
    return { X: this.k.f32(this.io.X, rows * this.inDim), Y: this.k.f32(this.io.Y, rows * this.outDim) };
  }

  protected forward(rows: number): void {
    let input = this.io.X;
    for (const L of this.layers) {
      this.forwardLayer(L, rows, input, L.at.Z, L.at.A);
      input = L.at.A;
    }
  }

  protected backward(rows: number): void {
    for (let l = this.layers.length - 1; l >= 0; l--) this.backwardLayer(l, rows);
  }

  protected update(step: number): void {
    const [kind, params] = optimizerCall(this.cfg.optimizer, step);
    for (const L of this.layers) {
      const p = L.at;
      this.k.optimize(kind, L.W.length, p.W, p.dW, p.mW, p.vW, params);
      this.k.optimize(kind, L.b.length, p.b, p.db, p.mb, p.vb, params);
    }
  }

  protected clearOptimizer(): void {
    for (const L of this.layers) {
      const { mW, vW, mb, vb } = L.at;
      for (const [at, n] of [
        [mW, L.W.length],
        [vW, L.W.length],
        [mb, L.b.length],
        [vb, L.b.length],
      ])
        this.k.f32(at, n).fill(0);
    }
  }

  protected reduceLayers(rows: number): LayerStats[] {
    return this.stats.reduce(this.k, this.sources, rows);
  }

  /** dW and db of layer l from its dZ; then dA and dZ of the layer below (dZ in dX's epilogue). */
  private backwardLayer(l: number, rows: number): void {
    const L = this.layers[l];
    const { fanIn, units } = L.shape;
    const input = l === 0 ? this.io.X : this.layers[l - 1].at.A;
    this.k.gemm({
      rows: fanIn,
      cols: units,
      inner: rows,
      a: input,
      aRow: 1,
      aStep: fanIn,
      b: L.at.dZ,
      bStep: units,
      bCol: 1,
      c: L.at.dW,
      cRow: units,
      colsum: L.at.db,
    });
    if (l === 0) return;
    const below = this.layers[l - 1];
    this.k.gemm({
      rows,
      cols: fanIn,
      inner: units,
      a: L.at.dZ,
      aRow: units,
      aStep: 1,
      b: L.at.W,
      bStep: 1,
      bCol: units,
      c: below.at.dA,
      cRow: fanIn,
      epilogue: 'backward',
      act: below.actId,
      alpha: below.alpha,
      out2: below.at.dZ,
      z: below.at.Z,
    });
  }
}
