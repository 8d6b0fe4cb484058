/**
 * @file The order in which samples are seen, shared by both backends so that their
 * trajectories can be compared step by step. Keras' `fit` semantics: every epoch is a fresh
 * seeded permutation, cut into batches of `batch_size` rows, the last one possibly smaller.
 */
import { permutation, Stream } from '../core/rng';

export class Schedule {
  readonly batch: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  private permEpoch = -1;
  private perm: Uint32Array = new Uint32Array(0);

  constructor(
    readonly n: number,
    batchSize: number,
    epochs: number,
    readonly seed: number,
    readonly logEvery: number,
  ) {
    this.batch = Math.min(batchSize, n);
    this.stepsPerEpoch = Math.ceil(n / this.batch);
    this.totalSteps = this.stepsPerEpoch * epochs;
  }

  /** The permutation of epoch `e` (cached: consecutive steps share it). */
  epochPerm(e: number): Uint32Array {
    if (e !== this.permEpoch) {
      this.perm = permutation(this.n, this.seed, Stream.shuffle, e);
      this.permEpoch = e;
    }
    return this.perm;
  }

  /** The batch used by update number `s` (1-based; update 1 and the step-0 record use the first batch). */
  batchOf(s: number): { epoch: number; start: number; rows: number } {
    const i = Math.max(0, s - 1);
    const epoch = Math.floor(i / this.stepsPerEpoch);
    const j = i % this.stepsPerEpoch;
    const start = j * this.batch;
    return { epoch, start, rows: Math.min(this.batch, this.n - start) };
  }

  /** Row indices of update `s`'s batch. */
  rowsOf(s: number): Uint32Array {
    const b = this.batchOf(s);
    return this.epochPerm(b.epoch).subarray(b.start, b.start + b.rows);
  }

  /** Whether update `s` ends with a record (`runEnd` is the last update of the current call). */
  isRecorded(s: number, runEnd: number): boolean {
    return s % this.logEvery === 0 || s === this.totalSteps || s === runEnd;
  }

  epochAfter(s: number): number {
    return Math.floor(s / this.stepsPerEpoch);
  }
}
