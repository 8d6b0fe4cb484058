/**
 * @file What changes from step to step inside one command buffer: this step's rows and where its
 * indices start in the permutation, the iteration, Adam's step size (a StepInfo, shaders/step.wgsl).
 * A chunk's StepInfos and permutation indices are uploaded together before it is encoded; the
 * encoder copies a step's StepInfo into `stepInfo`, which every kernel of the step reads.
 */
import { adamAlpha } from '../core/cpu/optimizers';
import type { OptimizerConfig } from '../core/types';
import type { Schedule } from '../train/schedule';
import { writeArray } from './kernel';
import type { GpuScope } from './scope';

/** Bytes of one StepInfo. */
const STEP_INFO_BYTES = 16;

/** One part of a chunk: a step of its own (`at`: its index in the chunk), or a fused run of steps (`at`: its range). */
interface ChunkPart {
  fused: boolean;
  at: number;
}

export class StepTable {
  /** This step's StepInfo. */
  readonly stepInfo: GPUBuffer;
  /** The chunk's permutation indices. */
  readonly perm: GPUBuffer;
  /** `capacity` StepInfos, then (for the fused kernel) one (first, count) range per fused run. */
  readonly table: GPUBuffer;

  constructor(
    scope: GpuScope,
    private readonly sched: Schedule,
    private readonly optimizer: OptimizerConfig,
    /** Steps one chunk holds at most. */
    readonly capacity: number,
  ) {
    this.stepInfo = scope.buffer('step info', STEP_INFO_BYTES);
    this.table = scope.buffer('steps', 2 * capacity * STEP_INFO_BYTES);
    this.perm = scope.buffer('perm', capacity * sched.batch * 4);
  }

  /**
   * The parts of a chunk of `count` steps after step `from`, in a run ending at `end`: with a
   * fused kernel, each run of unrecorded steps is one part (one dispatch); the rest, and every
   * step without one, a part each. `ranges`: each fused run's (first, count).
   */
  plan(from: number, count: number, end: number, fused: boolean): { parts: ChunkPart[]; ranges: [number, number][] } {
    const parts: ChunkPart[] = [];
    const ranges: [number, number][] = [];
    const recorded = (k: number) => this.sched.isRecorded(from + 1 + k, end);
    for (let k = 0; k < count; ) {
      if (fused && !recorded(k)) {
        let j = k;
        while (j < count && !recorded(j)) j++;
        parts.push({ fused: true, at: ranges.length });
        ranges.push([k, j - k]);
        k = j;
      } else {
        parts.push({ fused: false, at: k++ });
      }
    }
    return { parts, ranges };
  }

  /**
   * Uploads the StepInfos and permutation indices of updates from+1 .. from+count (count 0: the
   * step-0 record, on the first batch, without update), and the fused runs' `ranges` after them.
   */
  write(device: GPUDevice, from: number, count: number, ranges: [number, number][] = []): void {
    const B = this.sched.batch;
    const steps = Math.max(1, count);
    const table = new ArrayBuffer((this.capacity + ranges.length) * STEP_INFO_BYTES);
    const words = new Uint32Array(table),
      floats = new Float32Array(table);
    const perm = new Uint32Array(steps * B);
    for (let k = 0; k < steps; k++) {
      const s = count === 0 ? 1 : from + 1 + k;
      const rows = this.sched.rowsOf(s);
      perm.set(rows, k * B);
      words.set([rows.length, k * B, count === 0 ? 0 : s], k * 4);
      floats[k * 4 + 3] = this.optimizer.name === 'adam' && count > 0 ? adamAlpha(this.optimizer, s) : 0;
    }
    ranges.forEach(([first, len], i) => {
      words.set([first, len, 0, 0], (this.capacity + i) * 4);
    });
    device.queue.writeBuffer(this.table, 0, table);
    writeArray(device, this.perm, perm);
  }

  /** Makes step `local` of the chunk the current one. */
  selectStep(enc: GPUCommandEncoder, local: number): void {
    enc.copyBufferToBuffer(this.table, local * STEP_INFO_BYTES, this.stepInfo, 0, STEP_INFO_BYTES);
  }

  /** Makes fused run `range` of the chunk the current one (the fused kernel reads its range from `stepInfo`). */
  selectRange(enc: GPUCommandEncoder, range: number): void {
    enc.copyBufferToBuffer(this.table, (this.capacity + range) * STEP_INFO_BYTES, this.stepInfo, 0, STEP_INFO_BYTES);
  }
}
