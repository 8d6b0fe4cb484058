/**
 * @file The CPU reference engine: the whole training step in plain TypeScript over
 * Float32Arrays, the same schedule, RNG, formulas and statistics as the GPU engine. It is the
 * oracle the GPU is tested against and the CPU side of speed comparisons.
 */
import { actDerivative } from '../core/activations';
import { activate, matmulBias, matmulTransA, matmulTransB } from '../core/cpu/ops';
import { applyUpdate } from '../core/cpu/optimizers';
import { ACTIVATION_ID, SATURATION_ID } from '../core/ids';
import {
  type LayerStats,
  layerStats,
  maxUnitDiff,
  normSlot,
  reduceSlot,
  SLOT_SIZE,
  SLOTS_PER_LAYER,
  saturationMode,
} from '../core/stats';
import type { Dataset, RunConfig } from '../core/types';
import { CpuEngineBase, type CpuLayer, checkCpuFits } from './cpu-base';
import type { Prediction } from './engine';
import { layerShapes } from './model';

interface LayerState extends CpuLayer {
  satMode: number;
  dW: Float32Array;
  db: Float32Array;
  /** Optimizer slots for W and b. */
  mW: Float32Array;
  vW: Float32Array;
  mb: Float32Array;
  vb: Float32Array;
}

export class CpuEngine extends CpuEngineBase<LayerState> {
  readonly adapter = 'CPU (TypeScript, Float32Array, one thread)';
  private readonly X: Float32Array;
  private readonly Y: Float32Array;
  private readonly stats: Float64Array;
  /** W − Wprev of the widest layer, reused by every record. */
  private readonly delta: Float32Array;

  constructor(cfg: RunConfig, data: Dataset) {
    const shapes = layerShapes(cfg);
    const B = Math.min(cfg.batch_size, data.n);
    checkCpuFits(shapes, B, data);
    const layers = shapes.map((shape, l): LayerState => {
      const k = shape.fanIn * shape.units,
        u = shape.units,
        act = cfg.layers[l].activation;
      return {
        shape,
        actId: ACTIVATION_ID[act.name],
        alpha: act.alpha,
        satMode: saturationMode(act),
        W: new Float32Array(k),
        b: new Float32Array(u),
        dW: new Float32Array(k),
        db: new Float32Array(u),
        mW: new Float32Array(k),
        vW: new Float32Array(k),
        mb: new Float32Array(u),
        vb: new Float32Array(u),
        Wprev: new Float32Array(k),
        Z: new Float32Array(B * u),
        A: new Float32Array(B * u),
        dA: new Float32Array(B * u),
        dZ: new Float32Array(B * u),
      };
    });
    super(cfg, data, layers);
    this.X = new Float32Array(B * this.inDim);
    this.Y = new Float32Array(B * this.outDim);
    this.stats = new Float64Array(shapes.length * SLOTS_PER_LAYER * SLOT_SIZE);
    this.delta = new Float32Array(Math.max(...layers.map((L) => L.W.length)));
  }

  async predict(x: Float32Array, n: number): Promise<Prediction> {
    const out = this.layers[this.layers.length - 1].shape.units;
    const z = new Float32Array(n * out),
      a = new Float32Array(n * out);
    // Row blocks of the batch size reuse no training buffers (training state is left untouched).
    const rowsPer = Math.max(1, Math.min(n, 1024));
    const bufs = this.layers.map((L) => ({
      Z: new Float32Array(rowsPer * L.shape.units),
      A: new Float32Array(rowsPer * L.shape.units),
    }));
    for (let r0 = 0; r0 < n; r0 += rowsPer) {
      const rows = Math.min(rowsPer, n - r0);
      let input = x.subarray(r0 * this.inDim, (r0 + rows) * this.inDim);
      this.layers.forEach((L, l) => {
        matmulBias(rows, L.shape.fanIn, L.shape.units, input, L.W, L.b, bufs[l].Z);
        activate(L.actId, L.alpha, rows, L.shape.units, bufs[l].Z, bufs[l].A);
        input = bufs[l].A;
      });
      const last = bufs[bufs.length - 1];
      z.set(last.Z.subarray(0, rows * out), r0 * out);
      a.set(last.A.subarray(0, rows * out), r0 * out);
    }
    return { z, a };
  }

  dispose(): void {}

  protected batchBuffers(): { X: Float32Array; Y: Float32Array } {
    return { X: this.X, Y: this.Y };
  }

  protected forward(rows: number): void {
    let input = this.X;
    for (const L of this.layers) {
      matmulBias(rows, L.shape.fanIn, L.shape.units, input, L.W, L.b, L.Z);
      activate(L.actId, L.alpha, rows, L.shape.units, L.Z, L.A);
      input = L.A;
    }
  }

  protected backward(rows: number): void {
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l];
      const u = L.shape.units,
        n = rows * u;
      if (l !== this.layers.length - 1) {
        for (let i = 0; i < n; i++) L.dZ[i] = L.dA[i] * actDerivative(L.actId, L.alpha, L.Z[i]);
      }
      const prevA = l === 0 ? this.X : this.layers[l - 1].A;
      matmulTransA(rows, L.shape.fanIn, u, prevA, L.dZ, L.dW, L.db);
      if (l > 0) matmulTransB(rows, L.shape.fanIn, u, L.dZ, L.W, this.layers[l - 1].dA);
    }
  }

  protected update(step: number): void {
    for (const L of this.layers) {
      applyUpdate(this.cfg.optimizer, step, L.W, L.dW, L.mW, L.vW);
      applyUpdate(this.cfg.optimizer, step, L.b, L.db, L.mb, L.vb);
    }
  }

  protected clearOptimizer(): void {
    for (const L of this.layers) for (const slot of [L.mW, L.vW, L.mb, L.vb]) slot.fill(0);
  }

  /** Reduces every layer's tensors into slots and names them. */
  protected reduceLayers(rows: number): LayerStats[] {
    return this.layers.map((L, l) => {
      const base = l * SLOTS_PER_LAYER * SLOT_SIZE;
      const n = rows * L.shape.units;
      reduceSlot(L.Z, n, SATURATION_ID.none, this.stats, base);
      reduceSlot(L.A, n, L.satMode, this.stats, base + SLOT_SIZE);
      reduceSlot(L.dA, n, SATURATION_ID.none, this.stats, base + 2 * SLOT_SIZE);
      reduceSlot(L.W, L.W.length, SATURATION_ID.none, this.stats, base + 3 * SLOT_SIZE);
      // Only the norms of dW and of the update are read (layerStats).
      normSlot(L.dW, L.dW.length, this.stats, base + 4 * SLOT_SIZE);
      for (let i = 0; i < L.W.length; i++) this.delta[i] = L.W[i] - L.Wprev[i];
      normSlot(this.delta, L.W.length, this.stats, base + 5 * SLOT_SIZE);
      return layerStats(this.stats, base, maxUnitDiff(L.W, L.shape.fanIn, L.shape.units));
    });
  }
}
