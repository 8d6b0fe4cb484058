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
export class SlicePlanner {
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
