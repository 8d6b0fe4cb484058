/**
 * @file Where a tensor lives on the GPU: its own buffer, or an aligned range of an arena buffer
 * shared with the other tensors of a small network (so that one fused kernel reaches them all).
 */
import type { LayerShape } from '../train/model';
import { type Slice, sliceOf, vec4Bytes } from './kernel';

/** Offsets inside a storage binding must be multiples of this (WebGPU's default minStorageBufferOffsetAlignment). */
const SLICE_ALIGN = 256;

/**
 * Hands out slices: each its own buffer, or (pooled) consecutive aligned ranges of one arena
 * buffer created by `finish`, so a single kernel can reach every tensor of a small network.
 */
class SlicePlanner {
  private readonly pending: Slice[] = [];
  private end = 0;
  constructor(
    private readonly make: (label: string, bytes: number) => GPUBuffer,
    private readonly label: string,
    private readonly pooled: boolean,
  ) {}

  add(name: string, bytes: number): Slice {
    const size = vec4Bytes(bytes);
    if (!this.pooled) return sliceOf(this.make(name, size));
    const slice = { buffer: null as unknown as GPUBuffer, offset: this.end, size };
    this.end = Math.ceil((this.end + size) / SLICE_ALIGN) * SLICE_ALIGN;
    this.pending.push(slice);
    return slice;
  }

  /** The arena (pooled) or null. Every slice handed out is usable after this. */
  finish(): GPUBuffer | null {
    if (!this.pooled) return null;
    const b = this.make(this.label, Math.max(16, this.end));
    for (const sl of this.pending) sl.buffer = b;
    return b;
  }
}

/** Every tensor of one dense layer. */
export interface LayerBuffers {
  shape: LayerShape;
  W: Slice;
  b: Slice;
  dW: Slice;
  db: Slice;
  sW1: Slice;
  sW2: Slice;
  sb1: Slice;
  sb2: Slice;
  Z: Slice;
  A: Slice;
  dA: Slice;
  dZ: Slice;
}

/** The batch a step works on: its inputs and targets, and each row's (loss, correct) from the loss kernel. */
interface BatchBuffers {
  Xb: Slice;
  Yb: Slice;
  rowOut: Slice;
}

/** Every tensor of a network for batches of `batch` rows; `arenas` when pooled (the fused kernel's). */
export interface NetworkTensors {
  layers: LayerBuffers[];
  batch: BatchBuffers;
  arenas: { state: GPUBuffer; activations: GPUBuffer } | null;
}

/**
 * Allocates every tensor through `make`: parameters, gradients and optimizer slots in one planner
 * ('state'), the batch and each layer's Z, A, dA, dZ in another ('activations'); `pooled` puts
 * each planner's tensors in one arena buffer.
 */
export function allocateTensors(
  make: (label: string, bytes: number) => GPUBuffer,
  shapes: LayerShape[],
  batch: number,
  inputDim: number,
  pooled: boolean,
): NetworkTensors {
  const state = new SlicePlanner(make, 'state', pooled);
  const activations = new SlicePlanner(make, 'activations', pooled);
  const f = 4;
  const outDim = shapes[shapes.length - 1].units;
  const io = {
    Xb: activations.add('Xb', batch * inputDim * f),
    Yb: activations.add('Yb', batch * outDim * f),
    rowOut: activations.add('rowOut', batch * 8),
  };
  const layers = shapes.map((shape, l): LayerBuffers => {
    const kernel = shape.fanIn * shape.units * f,
      bias = shape.units * f,
      rows = batch * shape.units * f;
    const param = (name: string, bytes: number) => state.add(`layer${l}.${name}`, bytes);
    const activation = (name: string) => activations.add(`layer${l}.${name}`, rows);
    return {
      shape,
      W: param('W', kernel),
      b: param('b', bias),
      dW: param('dW', kernel),
      db: param('db', bias),
      sW1: param('sW1', kernel),
      sW2: param('sW2', kernel),
      sb1: param('sb1', bias),
      sb2: param('sb2', bias),
      Z: activation('Z'),
      A: activation('A'),
      dA: activation('dA'),
      dZ: activation('dZ'),
    };
  });
  const stateArena = state.finish(),
    activationsArena = activations.finish();
  const arenas = stateArena && activationsArena ? { state: stateArena, activations: activationsArena } : null;
  return { layers, batch: io, arenas };
}
