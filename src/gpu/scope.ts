/**
 * @file GPU buffers with one owner: everything an engine, an atlas population or a SOM creates
 * (the uniform buffers of its bindings included) goes through a `GpuScope` and is destroyed by
 * its one `dispose`, so nothing is left on the device when the owner goes. Also the read-back of
 * a buffer range into memory, which every owner needs once in a while.
 */
import { type BoundKernel, bind, type Kernel, type Slice, sliceOf, vec4Bytes, writeArray } from './kernel';

/** Read at call time: in Node the GPU* globals exist only once a device has been acquired. */
const storageUsage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class GpuScope {
  private readonly owned: GPUBuffer[] = [];
  constructor(readonly device: GPUDevice) {}

  /** A buffer of at least `bytes`, in whole vec4s (see vec4Bytes). */
  buffer(label: string, bytes: number, usage = storageUsage()): GPUBuffer {
    const b = this.device.createBuffer({ label, size: vec4Bytes(bytes), usage });
    this.owned.push(b);
    return b;
  }

  upload(label: string, data: Float32Array | Uint32Array): GPUBuffer {
    const b = this.buffer(label, data.byteLength);
    writeArray(this.device, b, data);
    return b;
  }

  /** Binds a kernel (see kernel.ts' `bind`); its uniform buffer is this scope's. */
  bind(
    kernel: Kernel,
    buffers: (GPUBuffer | Slice)[],
    groups: [number, number, number],
    uniforms?: Record<string, number>,
  ): BoundKernel {
    const b = bind(this.device, kernel, buffers, groups, uniforms);
    if (b.params) this.owned.push(b.params);
    return b;
  }

  dispose(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}

/** Copies `bytes` of `src` into a mappable buffer and returns them once mapped; the copy is destroyed. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer | Slice, bytes: number): Promise<ArrayBuffer> {
  const { buffer, offset } = sliceOf(src);
  // copyBufferToBuffer moves whole words.
  const size = Math.ceil(bytes / 4) * 4;
  const rb = device.createBuffer({ label: 'readback', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder({ label: 'readback' });
    enc.copyBufferToBuffer(buffer, offset, rb, 0, size);
    device.queue.submit([enc.finish()]);
    await rb.mapAsync(GPUMapMode.READ);
    return rb.getMappedRange().slice(0, bytes);
  } finally {
    rb.destroy();
  }
}
