/**
 * @file A network's initial weights on the GPU: each tensor drawn by the init kernel where the
 * initializer is one of its draws (shaders/init_draw.wgsl: the CPU's draws, bit for bit or to
 * float32 rounding), computed on the CPU and uploaded where it is not (orthogonal, identity),
 * or given; the optimizer slots cleared.
 */
import { resolveSampler } from '../core/initializers';
import { Stream, seedKey } from '../core/rng';
import { drawKindId, drawParams, sampleCpu } from '../core/sampling';
import type { RunConfig } from '../core/types';
import type { LayerWeights } from '../train/engine';
import { dispatch, groups1d, type PipelineCache, type Slice, writeArray } from './kernel';
import * as K from './kernels';
import { GpuScope } from './scope';
import type { LayerBuffers } from './slices';

type InitializerKey = 'kernel_initializer' | 'bias_initializer';

/** Draws (or writes `weights` into) every layer's W and b, and clears its optimizer slots. */
export async function initializeWeights(
  device: GPUDevice,
  cache: PipelineCache,
  cfg: RunConfig,
  layers: LayerBuffers[],
  weights?: LayerWeights[],
): Promise<void> {
  const enc = device.createCommandEncoder({ label: 'init' });
  // The draws' uniform buffers, destroyed once the draws are submitted.
  const uniforms = new GpuScope(device);
  try {
    for (const [l, L] of layers.entries()) {
      const { fanIn, units } = L.shape;
      const tensors: [Slice, [number] | [number, number], number, InitializerKey][] = [
        [L.W, [fanIn, units], Stream.kernel, 'kernel_initializer'],
        [L.b, [units], Stream.bias, 'bias_initializer'],
      ];
      for (const [buf, shape, stream, key] of tensors) {
        if (weights) {
          writeArray(device, buf, stream === Stream.kernel ? weights[l].kernel : weights[l].bias);
          continue;
        }
        const sampler = resolveSampler(cfg.layers[l][key], shape, `layers[${l}].${key}`);
        const kind = drawKindId(sampler);
        if (kind === null) {
          writeArray(device, buf, sampleCpu(sampler, shape, cfg.seed, l, stream));
          continue;
        }
        const n = shape.reduce((a, b) => a * b, 1);
        const [a, b] = drawParams(sampler);
        const [seedLo, seedHi] = seedKey(cfg.seed);
        const draw = uniforms.bind(await cache.get(K.initKernel(kind)), [buf], [...groups1d(n), 1], {
          n,
          seed_lo: seedLo,
          seed_hi: seedHi,
          layer: l,
          stream,
          a,
          b,
          zero: 0,
        });
        const pass = enc.beginComputePass();
        dispatch(pass, draw);
        pass.end();
      }
      for (const s of [L.sW1, L.sW2, L.sb1, L.sb2]) enc.clearBuffer(s.buffer, s.offset, s.size);
    }
    device.queue.submit([enc.finish()]);
  } finally {
    uniforms.dispose();
  }
}
