/**
 * @file A record's statistics in WebAssembly: every slot of every layer (src/core/stats.ts) is
 * one chunk of one job, reduced by assembly/stats.ts with the reference's formulas, layout and
 * thresholds (written into the engine's memory here, never restated in the kernel), then named
 * by the reference's layerStats; the units' symmetry (maxUnitDiff) is the reference's function
 * over the kernel in memory.
 */
import {
  HIST_BINS,
  type LayerStats,
  layerStats,
  maxUnitDiff,
  SAT_THRESHOLDS,
  SLOT,
  SLOT_SIZE,
  SLOTS_PER_LAYER,
} from '../core/stats';
import type { Arena, WasmKernels } from './kernels';

/** Byte offsets of one layer's tensors, as the slots read them (in TENSORS order: Z, A, dA, W, dW, W − Wprev). */
export interface SlotSources {
  Z: number;
  A: number;
  dA: number;
  W: number;
  dW: number;
  Wprev: number;
  /** Elements of Z, A and dA per batch row, and of W. */
  units: number;
  kernel: number;
  satMode: number;
}

/** Fields of one task row (assembly/stats.ts SLOT_TASK): tensor, length, kind, output, subtracted tensor, unused. */
const TASK_FIELDS = 6;

export class RecordStats {
  private readonly tasks: number;
  private readonly layout: number;
  private readonly slots: number;

  constructor(
    arena: Arena,
    private readonly layers: number,
  ) {
    this.tasks = arena.take(layers * SLOTS_PER_LAYER * TASK_FIELDS * 4);
    this.layout = arena.take(72);
    this.slots = arena.take(layers * SLOTS_PER_LAYER * SLOT_SIZE * 8);
  }

  /** Writes the reference's layout and thresholds where the kernel reads them; once, after the memory exists. */
  prepare(k: WasmKernels): void {
    if ((k.exports.SLOT_TASK.value as number) !== TASK_FIELDS) throw new Error('stats task layout mismatch');
    const fields = [
      ...[SLOT.count, SLOT.mean, SLOT.std, SLOT.min, SLOT.max, SLOT.zeros, SLOT.saturated, SLOT.norm, SLOT.hist],
      ...[SLOT_SIZE, HIST_BINS],
    ];
    new Int32Array(k.memory.buffer, this.layout, fields.length).set(fields);
    new Float64Array(k.memory.buffer, this.layout + 48, 3).set([
      SAT_THRESHOLDS.tanh,
      SAT_THRESHOLDS.sigmoidLow,
      SAT_THRESHOLDS.softsign,
    ]);
  }

  /** The statistics of every layer for a batch of `rows` rows. */
  reduce(k: WasmKernels, sources: SlotSources[], rows: number): LayerStats[] {
    const table = new Int32Array(k.memory.buffer, this.tasks, this.layers * SLOTS_PER_LAYER * TASK_FIELDS);
    const norm = k.exports.KIND_NORM.value as number,
      deltaNorm = k.exports.KIND_DELTA_NORM.value as number;
    let elements = 0;
    sources.forEach((s, l) => {
      const act = rows * s.units;
      const rowsOf: [number, number, number, number][] = [
        [s.Z, act, 0, 0],
        [s.A, act, s.satMode, 0],
        [s.dA, act, 0, 0],
        [s.W, s.kernel, 0, 0],
        [s.dW, s.kernel, norm, 0],
        [s.W, s.kernel, deltaNorm, s.Wprev],
      ];
      rowsOf.forEach(([x, n, kind, y], t) => {
        const slot = l * SLOTS_PER_LAYER + t;
        table.set([x, n, kind, this.slots + slot * SLOT_SIZE * 8, y, 0], slot * TASK_FIELDS);
        elements += n;
      });
    });
    k.reduceSlots(this.tasks, this.layers * SLOTS_PER_LAYER, this.layout, elements);
    const raw = new Float64Array(k.memory.buffer, this.slots, this.layers * SLOTS_PER_LAYER * SLOT_SIZE);
    return sources.map((s, l) => {
      const W = new Float32Array(k.memory.buffer, s.W, s.kernel);
      return layerStats(raw, l * SLOTS_PER_LAYER * SLOT_SIZE, maxUnitDiff(W, s.kernel / s.units, s.units));
    });
  }
}
