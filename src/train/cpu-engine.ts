/**
 * @file The CPU reference engine: the whole training step in plain TypeScript over
 * Float32Arrays, the same schedule, RNG, formulas and statistics as the GPU engine. It is the
 * oracle the GPU is tested against and the CPU side of speed comparisons.
 */
import { actDerivative } from '../core/activations';
import { activate, matmulBias, matmulTransA, matmulTransB } from '../core/cpu/ops';
import { applyUpdate } from '../core/cpu/optimizers';
import { targetsFor } from '../core/datasets';
import { ACTIVATION_ID, SATURATION_ID } from '../core/ids';
import { lossForwardBackward } from '../core/losses';
import {
  layerStats,
  maxUnitDiff,
  normSlot,
  reduceSlot,
  SLOT_SIZE,
  SLOTS_PER_LAYER,
  saturationMode,
} from '../core/stats';
import type { Dataset, RunConfig } from '../core/types';
import type { Engine, LayerWeights, Prediction, StepRecord } from './engine';
import { checkFits, checkWeights, initialWeightsCpu, type LayerShape, layerShapes } from './model';
import { Schedule } from './schedule';

/** Memory the CPU backend allows itself before refusing a model. */
export const CPU_BUDGET_BYTES = 2 * 1024 ** 3;

interface LayerState {
  shape: LayerShape;
  actId: number;
  alpha: number;
  satMode: number;
  W: Float32Array;
  b: Float32Array;
  dW: Float32Array;
  db: Float32Array;
  /** Optimizer slots for W and b. */
  mW: Float32Array;
  vW: Float32Array;
  mb: Float32Array;
  vb: Float32Array;
  /** W before the last recorded update, for update_ratio. */
  Wprev: Float32Array;
  Z: Float32Array;
  A: Float32Array;
  dA: Float32Array;
  dZ: Float32Array;
}

export class CpuEngine implements Engine {
  readonly backend = 'cpu' as const;
  readonly adapter = 'CPU (TypeScript, Float32Array, one thread)';
  step = 0;
  private readonly sched: Schedule;
  private readonly layers: LayerState[];
  private readonly X: Float32Array;
  private readonly Y: Float32Array;
  private readonly targets: Float32Array;
  private readonly inDim: number;
  private readonly outDim: number;
  private readonly stats: Float64Array;
  /** W − Wprev of the widest layer, reused by every record. */
  private readonly delta: Float32Array;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  constructor(
    readonly cfg: RunConfig,
    readonly data: Dataset,
  ) {
    const shapes = layerShapes(cfg);
    this.sched = new Schedule(data.n, cfg.batch_size, cfg.epochs, cfg.seed, cfg.log_every);
    const B = this.sched.batch;
    this.inDim = data.inputDim;
    this.outDim = shapes[shapes.length - 1].units;
    checkFits(shapes, B, data.n, this.inDim, this.outDim, {
      maxBinding: CPU_BUDGET_BYTES,
      maxTotal: CPU_BUDGET_BYTES,
      where: 'the CPU backend',
    });
    this.targets = targetsFor(data.labels, this.outDim);
    this.X = new Float32Array(B * this.inDim);
    this.Y = new Float32Array(B * this.outDim);
    this.layers = shapes.map((shape, l) => {
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
    this.stats = new Float64Array(shapes.length * SLOTS_PER_LAYER * SLOT_SIZE);
    this.delta = new Float32Array(Math.max(...this.layers.map((L) => L.W.length)));
  }

  get totalSteps(): number {
    return this.sched.totalSteps;
  }

  async init(weights?: LayerWeights[]): Promise<StepRecord> {
    const w = weights ?? initialWeightsCpu(this.cfg);
    checkWeights(layerShapes(this.cfg), w);
    this.layers.forEach((L, l) => {
      L.W.set(w[l].kernel);
      L.b.set(w[l].bias);
      L.Wprev.set(w[l].kernel);
      L.mW.fill(0);
      L.vW.fill(0);
      L.mb.fill(0);
      L.vb.fill(0);
    });
    this.step = 0;
    this.resetAccumulators();
    this.forwardBackward(this.sched.rowsOf(1));
    return this.record(0);
  }

  async run(steps: number, onRecord: (r: StepRecord) => void, signal?: AbortSignal): Promise<void> {
    const end = this.step + steps;
    while (this.step < end) {
      if (signal?.aborted) return;
      const s = this.step + 1;
      this.forwardBackward(this.sched.rowsOf(s));
      const recorded = this.sched.isRecorded(s, end);
      if (recorded) for (const L of this.layers) L.Wprev.set(L.W);
      for (const L of this.layers) {
        applyUpdate(this.cfg.optimizer, s, L.W, L.dW, L.mW, L.vW);
        applyUpdate(this.cfg.optimizer, s, L.b, L.db, L.mb, L.vb);
      }
      this.step = s;
      if (recorded) onRecord(this.record(s));
    }
  }

  async weights(): Promise<LayerWeights[]> {
    return this.layers.map((L) => ({ kernel: L.W.slice(), bias: L.b.slice() }));
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

  /** Forward and backward pass over the rows `idx`; adds the batch's loss to the accumulators. */
  private forwardBackward(idx: Uint32Array): void {
    const rows = idx.length,
      inD = this.inDim,
      outD = this.outDim;
    for (let r = 0; r < rows; r++) {
      const i = idx[r];
      this.X.set(this.data.x.subarray(i * inD, (i + 1) * inD), r * inD);
      this.Y.set(this.targets.subarray(i * outD, (i + 1) * outD), r * outD);
    }
    let input = this.X;
    for (const L of this.layers) {
      matmulBias(rows, L.shape.fanIn, L.shape.units, input, L.W, L.b, L.Z);
      activate(L.actId, L.alpha, rows, L.shape.units, L.Z, L.A);
      input = L.A;
    }
    const last = this.layers[this.layers.length - 1];
    const res = lossForwardBackward(
      this.cfg.loss,
      last.actId,
      last.alpha,
      rows,
      outD,
      last.Z,
      last.A,
      this.Y,
      last.dA,
      last.dZ,
    );
    this.lossSum += res.lossSum;
    this.correct += res.correct;
    this.seen += rows;
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

  private resetAccumulators(): void {
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
  }

  /** Reduces every layer's tensors into slots and names them, then starts a new loss window. */
  private record(s: number): StepRecord {
    const rows = this.sched.batchOf(Math.max(1, s)).rows;
    const layers = this.layers.map((L, l) => {
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
    const rec: StepRecord = {
      step: s,
      epoch: this.sched.epochAfter(s),
      loss: this.seen ? this.lossSum / this.seen : NaN,
      accuracy: this.seen ? this.correct / this.seen : NaN,
      layers,
    };
    this.resetAccumulators();
    return rec;
  }
}
