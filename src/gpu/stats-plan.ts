/**
 * @file The statistics of a recorded step, planned once for a network. Every tensor a record
 * reads (per layer Z, A, dA, W, dW and the update: src/core/stats.ts) gets a slot, reduced in up
 * to three passes: pass 1 (sums, extremes, deviations) runs in a product's epilogue where the
 * product plan fuses it (Z and A in the forward product, dA in the dX product of the layer
 * above), in the recording optimizer (W, dW, the update), or as a pass of its own; pass 2, the
 * histogram, only where a record reads one (A, dA, W); pass 3 writes every slot in one dispatch.
 * Beside the slots, each layer's units' symmetry (maxUnitDiff, shaders/unit_diff.wgsl) goes
 * into a float of its own. This plan decides where each tensor's partials go, owns the partial
 * buffers, the slots and the pool of buffers records are read back through, and turns a
 * read-back into a record.
 */
import { SATURATION_ID } from '../core/ids';
import { layerStats, SLOT_SIZE, SLOTS_PER_LAYER, saturationMode } from '../core/stats';
import type { Activation } from '../core/types';
import type { StepRecord } from '../train/engine';
import { groups1d, type Slice } from './kernel';
import * as K from './kernels';
import type { KernelCall } from './products';
import { ReadbackPool } from './readback';
import type { GpuScope } from './scope';
import type { LayerBuffers } from './slices';

/** Mappable buffers for records in flight; a chunk of steps never holds more records than this. */
const READBACK_POOL = 8;

/** The slot of one tensor and where its passes run. */
interface SlotSource {
  /** Where the slot starts in `slots`, in floats. */
  slot: number;
  /** The tensor its own pass 1 and its histogram read (null where neither runs). */
  tensor: Slice | null;
  /** A fixed element count, or 0: this step's rows × `width`. */
  n: number;
  width: number;
  /** The saturation test of its own pass 1 (SATURATION_ID). */
  sat: number;
  /** Pass 1 runs as a pass of its own (else an epilogue or the recording optimizer runs it). */
  ownPass: boolean;
  hist: boolean;
  /** Where pass 1's partials start (and the histogram's), and how many pass 1 leaves. */
  part: number;
  parts: number;
  /** Workgroups of its own pass 1 and of its histogram. */
  groups: number;
}

/** Per layer, the workgroups of the recorded products whose epilogues run pass 1 (0: they do not). */
export interface EpilogueStats {
  /** The forward product's: Z's partials, then A's. */
  forward: number;
  /** The dX product's, which stores dA of the layer below. */
  dX: number;
}

/** The network whose statistics are planned. */
interface StatsNetwork {
  layers: LayerBuffers[];
  activations: Activation[];
  epilogues: EpilogueStats[];
  /** Rows per batch. */
  batch: number;
  /** Elements per workgroup of the passes over a tensor (K.statsGroups). */
  chunk: number;
}

export class StatsPlan {
  /** Pass 1's partials (K.STATS_PART1 floats each) and pass 2's (K.STATS_PART2), indexed alike. */
  readonly part1: GPUBuffer;
  readonly part2: GPUBuffer;
  /** Every layer's slots, SLOTS_PER_LAYER per layer, as pass 3 writes them. */
  readonly slots: GPUBuffer;
  readonly slotBytes: number;
  /** Each layer's maxUnitDiff as float bits (unit_diff.wgsl folds with atomicMax), zero between records. */
  readonly unitDiff: GPUBuffer;
  readonly readback: ReadbackPool;
  private readonly layers: LayerBuffers[];
  private readonly tasks: GPUBuffer;
  private readonly sources: SlotSource[][];
  private readonly forwardParts: number[] = [];
  private readonly dXParts: number[] = [];
  private readonly optimizerParts: { part: number; groups: number }[] = [];
  private used = 0;
  private readonly batch: number;
  private readonly chunk: number;

  /** @param onReadbackError receives a read-back that failed (a lost device). */
  constructor(
    scope: GpuScope,
    private readonly stepInfo: GPUBuffer,
    network: StatsNetwork,
    onReadbackError: (e: Error) => void,
  ) {
    const { layers, activations, epilogues } = network;
    this.layers = layers;
    this.batch = network.batch;
    this.chunk = network.chunk;
    this.sources = layers.map((L, l) =>
      this.layoutLayer(L, l, saturationMode(activations[l]), epilogues[l], epilogues[l + 1]?.dX ?? 0),
    );
    this.part1 = scope.buffer('stats.part1', this.used * K.STATS_PART1 * 4);
    this.part2 = scope.buffer('stats.part2', this.used * K.STATS_PART2 * 4);
    this.slotBytes = layers.length * SLOTS_PER_LAYER * SLOT_SIZE * 4;
    this.slots = scope.buffer('stats', this.slotBytes);
    this.unitDiff = scope.buffer('stats.unitDiff', layers.length * 4);
    this.tasks = scope.upload('stats.tasks', K.statsTasks(this.sources.flat()));
    this.readback = new ReadbackPool(
      (bytes) => scope.buffer('readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST),
      this.slotBytes + 16 + layers.length * 4,
      READBACK_POOL,
      onReadbackError,
    );
  }

  /** Where layer l's recorded forward product writes Z's partials, then A's (its `part` uniform). */
  forwardPart(l: number): number {
    return this.forwardParts[l];
  }

  /** Where layer l's recorded dX product writes the partials of dA of layer l − 1. */
  dXPart(l: number): number {
    return this.dXParts[l];
  }

  /** Where layer l's recording optimizer writes the partials of W, dW and the update, and their workgroups each. */
  optimizerPart(l: number): { part: number; groups: number } {
    return this.optimizerParts[l];
  }

  /**
   * Passes 1 and 2 of layer l's slots that neither an epilogue nor the optimizer ran, in order,
   * then the layer's maxUnitDiff.
   */
  passes(l: number): KernelCall[] {
    const { fanIn, units } = this.layers[l].shape;
    const unitDiff: KernelCall = {
      desc: K.unitDiffKernel(),
      buffers: [this.layers[l].W, this.unitDiff],
      groups: [...groups1d(fanIn), 1],
      uniforms: { rows: fanIn, cols: units, index: l },
    };
    return this.sources[l]
      .flatMap((s) => {
        const uniforms = { n: s.n, width: s.width, groups: s.groups, part: s.part };
        const perRow = s.n === 0;
        const calls: KernelCall[] = [];
        if (s.ownPass && s.tensor) {
          const desc = K.statsPartialKernel(s.sat, perRow);
          calls.push({ desc, buffers: [s.tensor, this.stepInfo, this.part1], groups: [s.groups, 1, 1], uniforms });
        }
        if (s.hist && s.tensor) {
          const desc = K.statsHistKernel(perRow);
          const buffers = [s.tensor, this.stepInfo, this.part1, this.part2];
          calls.push({ desc, buffers, groups: [s.groups, 1, 1], uniforms: { ...uniforms, parts: s.parts } });
        }
        return calls;
      })
      .concat(unitDiff);
  }

  /** Pass 3 of every slot of the network, after every layer's passes. */
  finalPass(): KernelCall {
    const buffers = [this.stepInfo, this.part1, this.part2, this.tasks, this.slots];
    return { desc: K.statsFinalKernel(), buffers, groups: [this.sources.flat().length, 1, 1], uniforms: {} };
  }

  /**
   * Copies the slots, the loss totals and the units' symmetry into `rb` (then clears the totals
   * and the symmetry for the next record).
   */
  encodeReadback(enc: GPUCommandEncoder, totals: GPUBuffer, rb: GPUBuffer): void {
    enc.copyBufferToBuffer(this.slots, 0, rb, 0, this.slotBytes);
    enc.copyBufferToBuffer(totals, 0, rb, this.slotBytes, 16);
    enc.copyBufferToBuffer(this.unitDiff, 0, rb, this.slotBytes + 16, this.layers.length * 4);
    enc.clearBuffer(totals);
    enc.clearBuffer(this.unitDiff);
  }

  /**
   * A record from a read-back: the layers' slots, the loss totals (summed loss, correct, rows),
   * the layers' maxUnitDiff.
   */
  parse(raw: Float32Array): Pick<StepRecord, 'loss' | 'accuracy' | 'layers'> {
    const totals = raw.subarray(this.slotBytes / 4);
    const unitDiff = totals.subarray(4);
    const rows = totals[2];
    return {
      loss: rows > 0 ? totals[0] / rows : NaN,
      accuracy: rows > 0 ? totals[1] / rows : NaN,
      layers: this.sources.map((_, l) => layerStats(raw, l * SLOTS_PER_LAYER * SLOT_SIZE, unitDiff[l])),
    };
  }

  /** The index of `count` consecutive partials. */
  private reserve(count: number): number {
    const at = this.used;
    this.used += count;
    return at;
  }

  /** Workgroups of the passes over a tensor of `n` elements (0: this step's rows × `width`). */
  private groupsFor(n: number, width: number): number {
    return K.statsGroups(n === 0 ? this.batch * width : n, this.chunk);
  }

  /**
   * Layer l's six slots in TENSORS order (src/core/stats.ts): only what layerStats reads is
   * computed, the histograms of A, dA and W, the spread of Z, the norms of dW and the update.
   * A region of partials that a histogram follows holds as many as the larger of the two.
   */
  private layoutLayer(L: LayerBuffers, l: number, sat: number, epi: EpilogueStats, dAParts: number): SlotSource[] {
    const { fanIn, units } = L.shape;
    const slot = (i: number) => (l * SLOTS_PER_LAYER + i) * SLOT_SIZE;
    const rowGroups = this.groupsFor(0, units);
    const own = (i: number, tensor: Slice, tensorSat: number, hist: boolean): SlotSource => {
      if (tensor.size % 16 !== 0) throw new Error(`statistics: a tensor of ${tensor.size} bytes is not whole vec4s`);
      const part = this.reserve(rowGroups);
      const at = { part, parts: rowGroups, groups: rowGroups };
      return { slot: slot(i), tensor, n: 0, width: units, sat: tensorSat, ownPass: true, hist, ...at };
    };
    const ranElsewhere = (i: number, histOf: Slice | null, n: number, width: number, part: number, parts: number) => ({
      slot: slot(i),
      tensor: histOf,
      n,
      width,
      sat: SATURATION_ID.none,
      ownPass: false,
      hist: histOf !== null,
      part,
      parts,
      groups: this.groupsFor(n, width),
    });
    const sources: SlotSource[] = [];
    this.forwardParts[l] = epi.forward ? this.reserve(epi.forward + Math.max(epi.forward, rowGroups)) : -1;
    if (epi.forward) {
      const at = this.forwardParts[l];
      sources.push(ranElsewhere(0, null, 0, units, at, epi.forward));
      sources.push(ranElsewhere(1, L.A, 0, units, at + epi.forward, epi.forward));
    } else {
      sources.push(own(0, L.Z, SATURATION_ID.none, false), own(1, L.A, sat, true));
    }
    if (dAParts) {
      sources.push(ranElsewhere(2, L.dA, 0, units, this.reserve(Math.max(dAParts, rowGroups)), dAParts));
    } else {
      sources.push(own(2, L.dA, SATURATION_ID.none, true));
    }
    this.dXParts[l + 1] = dAParts ? sources[2].part : -1;
    const k = fanIn * units,
      kernelGroups = this.groupsFor(k, 0);
    const at = this.reserve(3 * kernelGroups);
    this.optimizerParts[l] = { part: at, groups: kernelGroups };
    sources.push(
      ranElsewhere(3, L.W, k, 0, at, kernelGroups),
      ranElsewhere(4, null, k, 0, at + kernelGroups, kernelGroups),
      ranElsewhere(5, null, k, 0, at + 2 * kernelGroups, kernelGroups),
    );
    return sources;
  }
}
