/**
 * @file Buffer bookkeeping for the atlas' GPU runs: every buffer a run creates (uniform buffers
 * of its bind groups included) is destroyed in one `dispose`, and WebGPU errors raised while a
 * run sets up or trains come back as rejections instead of console noise.
 */
import { type Kernel, packUniforms, writeArray } from '../gpu/kernel';

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class GpuScope {
  private readonly owned: GPUBuffer[] = [];
  constructor(readonly device: GPUDevice) {}

  buffer(label: string, bytes: number, usage = STORAGE()): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
    this.owned.push(b);
    return b;
  }

  upload(label: string, data: Float32Array | Uint32Array): GPUBuffer {
    const b = this.buffer(label, data.byteLength);
    writeArray(this.device, b, data);
    return b;
  }

  /** A bind group with its own uniform buffer (owned by this scope). */
  bindGroup(kernel: Kernel, buffers: GPUBuffer[], uniforms: Record<string, number>): GPUBindGroup {
    const data = packUniforms(kernel.desc, uniforms);
    const ub = this.buffer(
      `${kernel.desc.name}.params`,
      data.byteLength,
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    );
    this.device.queue.writeBuffer(ub, 0, data);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: ub } }];
    buffers.forEach((b, i) => {
      entries.push({ binding: i + 1, resource: { buffer: b } });
    });
    return this.device.createBindGroup({ label: kernel.desc.name, layout: kernel.layout, entries });
  }

  /** Copies `bytes` of `src` to a mappable buffer and returns them once mapped. */
  async read(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    const rb = this.device.createBuffer({
      label: 'readback',
      size,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(src, 0, rb, 0, size);
      this.device.queue.submit([enc.finish()]);
      await rb.mapAsync(GPUMapMode.READ);
      return rb.getMappedRange().slice(0, bytes);
    } finally {
      rb.destroy();
    }
  }

  dispose(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}

/**
 * Runs `fn` inside validation and out-of-memory error scopes and rethrows what they caught,
 * naming `what` (a bad dispatch or an allocation the device refuses becomes one clear error).
 */
export async function checked<T>(device: GPUDevice, what: string, fn: () => Promise<T> | T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const pop = async () => {
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    return validation ?? oom;
  };
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    await pop();
    throw e;
  }
  const err = await pop();
  if (err) throw new Error(`${what}: ${err.message}`);
  return result;
}

/** Workgroups for `n` invocations of a `wg`-wide 1-D kernel (folded into y past 65535). */
export function groupsFor(n: number, wg: number): [number, number, number] {
  const g = Math.max(1, Math.ceil(n / wg));
  if (g <= 65535) return [g, 1, 1];
  const y = Math.ceil(g / 65535);
  return [Math.ceil(g / y), y, 1];
}
