/**
 * @file What the two CPU engines (the TypeScript reference, cpu-engine.ts, and the WebAssembly
 * one, src/wasm/engine.ts) share: the schedule, the training loop, the step-0 record, the batch's
 * rows and targets, the loss window and the record. They differ only in where their tensors live
 * and what computes the products, the activations, the updates and the statistics: the abstract
 * methods. Both must keep this order of work, or their trajectories stop agreeing.
 */
import { targetsFor } from '../core/datasets';
import { lossForwardBackward } from '../core/losses';
import type { LayerStats } from '../core/stats';
import type { Dataset, RunConfig } from '../core/types';
import type { Engine, LayerWeights, Prediction, StepRecord } from './engine';
import { checkFits, checkWeights, initialWeightsCpu, type LayerShape, layerShapes } from './model';
import { Schedule } from './schedule';

/** Memory the CPU backend allows itself before refusing a model. */
export const CPU_BUDGET_BYTES = 2 * 1024 ** 3;

/** Refuses a network whose tensors for batches of `batch` rows would not fit the CPU's budget. */
export function checkCpuFits(shapes: LayerShape[], batch: number, data: Dataset): void {
  const outDim = shapes[shapes.length - 1].units;
  checkFits(shapes, batch, data.n, data.inputDim, outDim, {
    maxBinding: CPU_BUDGET_BYTES,
    maxTotal: CPU_BUDGET_BYTES,
    where: 'the CPU backend',
  });
}

/** The views of one layer's tensors the shared loop reads or writes. */
export interface CpuLayer {
  shape: LayerShape;
  actId: number;
  alpha: number;
  W: Float32Array;
  b: Float32Array;
  /** W before the last recorded update, for update_ratio. */
  Wprev: Float32Array;
  Z: Float32Array;
  A: Float32Array;
  dA: Float32Array;
  dZ: Float32Array;
}

export abstract class CpuEngineBase<L extends CpuLayer> implements Engine {
  readonly backend = 'cpu' as const;
  abstract readonly adapter: string;
  step = 0;
  protected readonly sched: Schedule;
  protected readonly inDim: number;
  protected readonly outDim: number;
  private readonly targets: Float32Array;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  constructor(
    readonly cfg: RunConfig,
    readonly data: Dataset,
    protected readonly layers: L[],
  ) {
    this.sched = new Schedule(data.n, cfg.batch_size, cfg.epochs, cfg.seed, cfg.log_every);
    this.inDim = data.inputDim;
    this.outDim = layers[layers.length - 1].shape.units;
    this.targets = targetsFor(data.labels, this.outDim);
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
    });
    this.clearOptimizer();
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
      this.update(s);
      this.step = s;
      if (recorded) onRecord(this.record(s));
    }
  }

  async weights(): Promise<LayerWeights[]> {
    return this.layers.map((L) => ({ kernel: L.W.slice(), bias: L.b.slice() }));
  }

  abstract predict(x: Float32Array, n: number): Promise<Prediction>;
  abstract dispose(): void;

  /** Where the batch's `rows` inputs and one-hot targets go (row-major, at least that many rows). */
  protected abstract batchBuffers(rows: number): { X: Float32Array; Y: Float32Array };
  /** Every layer's Z and A from the batch's inputs. */
  protected abstract forward(rows: number): void;
  /** From the output layer's dZ down: every layer's dW and db, and dA and dZ below the output. */
  protected abstract backward(rows: number): void;
  /** Update number `step` of every W and b from its gradient. */
  protected abstract update(step: number): void;
  /** Zeroes the optimizer's slots. */
  protected abstract clearOptimizer(): void;
  /** Every layer's statistics for a batch of `rows` (see core/stats.ts). */
  protected abstract reduceLayers(rows: number): LayerStats[];

  /** Forward and backward pass over the rows `idx`; adds the batch's loss to the accumulators. */
  private forwardBackward(idx: Uint32Array): void {
    const rows = idx.length,
      inD = this.inDim,
      outD = this.outDim;
    const { X, Y } = this.batchBuffers(rows);
    for (let r = 0; r < rows; r++) {
      const i = idx[r];
      X.set(this.data.x.subarray(i * inD, (i + 1) * inD), r * inD);
      Y.set(this.targets.subarray(i * outD, (i + 1) * outD), r * outD);
    }
    this.forward(rows);
    const last = this.layers[this.layers.length - 1];
    const res = lossForwardBackward(
      this.cfg.loss,
      last.actId,
      last.alpha,
      rows,
      outD,
      last.Z,
      last.A,
      Y,
      last.dA,
      last.dZ,
    );
    this.lossSum += res.lossSum;
    this.correct += res.correct;
    this.seen += rows;
    this.backward(rows);
  }

  private resetAccumulators(): void {
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
  }

  /** Reduces every layer's tensors into statistics, then starts a new loss window. */
  private record(s: number): StepRecord {
    const rec: StepRecord = {
      step: s,
      epoch: this.sched.epochAfter(s),
      loss: this.seen ? this.lossSum / this.seen : NaN,
      accuracy: this.seen ? this.correct / this.seen : NaN,
      layers: this.reduceLayers(this.sched.batchOf(Math.max(1, s)).rows),
    };
    this.resetAccumulators();
    return rec;
  }
}
