/**
 * @file Counts the GPU buffers alive on a device: wraps `device.createBuffer` and every created
 * buffer's `destroy`, so a test can ask which buffers nobody destroyed since it began tracking.
 * A destroyed device does not count as destroying its buffers: their owner must still do it.
 */

export interface BufferTracker {
  /** Labels of the buffers created since tracking began and not destroyed (unlabelled ones as '?'). */
  live(): string[];
  /** Puts `device.createBuffer` back. */
  stop(): void;
}

export function trackBuffers(device: GPUDevice): BufferTracker {
  const alive = new Set<GPUBuffer>();
  const create = device.createBuffer;
  device.createBuffer = function (this: GPUDevice, desc: GPUBufferDescriptor): GPUBuffer {
    const b = create.call(this, desc);
    alive.add(b);
    const destroy = b.destroy;
    b.destroy = function (this: GPUBuffer): undefined {
      alive.delete(b);
      return destroy.call(this);
    };
    return b;
  };
  return {
    live: () => [...alive].map((b) => b.label || '?').sort(),
    stop: () => {
      device.createBuffer = create;
    },
  };
}
