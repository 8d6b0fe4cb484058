/**
 * @file A network's weights read back from the GPU: every layer's W and b copied into one
 * mappable buffer in one submit, so a deep network costs one wait, not two per layer.
 */
import type { LayerWeights } from '../train/engine';
import type { LayerBuffers } from './slices';

export async function readWeights(device: GPUDevice, layers: readonly LayerBuffers[]): Promise<LayerWeights[]> {
  const total = layers.reduce((sum, L) => sum + L.W.size + L.b.size, 0);
  const rb = device.createBuffer({ size: total, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  let offset = 0;
  for (const L of layers) {
    for (const t of [L.W, L.b]) {
      enc.copyBufferToBuffer(t.buffer, t.offset, rb, offset, t.size);
      offset += t.size;
    }
  }
  device.queue.submit([enc.finish()]);
  try {
    await rb.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(rb.getMappedRange().slice(0));
    offset = 0;
    return layers.map((L) => {
      const kernel = all.slice(offset / 4, offset / 4 + L.shape.fanIn * L.shape.units);
      offset += L.W.size;
      const bias = all.slice(offset / 4, offset / 4 + L.shape.units);
      offset += L.b.size;
      return { kernel, bias };
    });
  } finally {
    rb.destroy();
  }
}
