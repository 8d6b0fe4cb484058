/**
 * @file The fused path for small networks: one workgroup runs whole training steps in one
 * dispatch (shaders/fused_step.wgsl), reaching every tensor through two arenas and an offsets
 * table. Small networks are dominated by per-dispatch overhead, not arithmetic.
 */
import fusedWgsl from '../../shaders/fused_step.wgsl?raw';
import { ACTIVATION_ID, LOSS_ID } from '../core/ids';
import { isFused } from '../core/losses';
import type { RunConfig } from '../core/types';
import type { LayerShape } from '../train/model';
import type { KernelDesc, Slice } from './kernel';
import { LOSS_INCLUDES, optimizerKind, optimizerStepWgsl } from './kernels';
import type { LayerBuffers } from './slices';

/**
 * Networks small enough for the fused one-workgroup step kernel: per-dispatch overhead, not
 * arithmetic, decides their speed. Bounded so one workgroup's loops stay short.
 */
export function fusedEligible(shapes: LayerShape[], batch: number, inputDim: number): boolean {
  const widest = Math.max(inputDim, ...shapes.map((s) => s.units));
  const params = shapes.reduce((n, s) => n + s.fanIn * s.units + s.units, 0);
  return shapes.length <= FUSED_MAX_LAYERS && batch * widest <= 4096 && params <= 4096;
}

const FUSED_MAX_LAYERS = 16;
/**
 * Workgroup size of the fused kernel: one SIMD group of a software adapter (lavapipe runs a
 * workgroup on one CPU thread, 8 lanes at a time), so a barrier never switches between lane
 * groups (faster than 16 or 4 on lavapipe: bench/REPORT.md history). On a GPU these networks
 * fill one subgroup either way.
 */
const FUSED_WG = 8;

export function fusedDesc(cfg: RunConfig): KernelDesc {
  const last = cfg.layers[cfg.layers.length - 1],
    outId = ACTIVATION_ID[last.activation.name];
  return {
    name: 'fused_step',
    source: fusedWgsl,
    includes: [...LOSS_INCLUDES, optimizerStepWgsl('f32')],
    constants: {
      WG: ['u32', FUSED_WG],
      LAYOUT_LEN: ['u32', 3 + 4 * FUSED_MAX_LAYERS],
      LOSS: ['u32', LOSS_ID[cfg.loss]],
      OUT_ACT: ['u32', outId],
      OUT_ALPHA: ['f32', last.activation.alpha],
      FUSED: ['u32', isFused(cfg.loss, outId) ? 1 : 0],
      OPT: ['u32', optimizerKind(cfg.optimizer).id],
    },
    bindings: ['uniform', 'read', 'read', 'read', 'read', 'read', 'rw', 'rw', 'rw'],
  };
}

/** The offsets table (layout documented in shaders/fused_step.wgsl), offsets in floats. */
export function fusedLayout(
  cfg: RunConfig,
  inputDim: number,
  batch: number,
  layers: LayerBuffers[],
  io: { Xb: Slice; Yb: Slice; rowOut: Slice },
): Uint32Array {
  const words = new Uint32Array(4 * (3 + 4 * FUSED_MAX_LAYERS));
  const fl = new Float32Array(words.buffer);
  const at = (sl: Slice) => sl.offset / 4;
  words.set([layers.length, inputDim, layers[layers.length - 1].shape.units, batch], 0);
  words.set([at(io.Xb), at(io.Yb), at(io.rowOut), 0], 4);
  const o = optimizerKind(cfg.optimizer).u;
  fl.set([o.lr, o.decay1, o.decay2, o.eps], 8);
  layers.forEach((L, l) => {
    const b = 12 + 16 * l,
      act = cfg.layers[l].activation;
    words.set([L.shape.fanIn, L.shape.units, ACTIVATION_ID[act.name], 0], b);
    fl[b + 3] = act.alpha;
    words.set([at(L.W), at(L.b), at(L.dW), at(L.db)], b + 4);
    words.set([at(L.sW1), at(L.sW2), at(L.sb1), at(L.sb2)], b + 8);
    words.set([at(L.Z), at(L.A), at(L.dA), at(L.dZ)], b + 12);
  });
  return words;
}
