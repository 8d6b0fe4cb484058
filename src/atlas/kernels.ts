/**
 * @file Descriptors of the atlas kernels, in the engine's `KernelDesc` form (src/gpu/kernel.ts):
 * the static WGSL under shaders/, the shared pieces, the generated constants and uniforms.
 */
import initWgsl from '../../shaders/population_init.wgsl?raw';
import trainWgsl from '../../shaders/population_train.wgsl?raw';
import somAccumulateWgsl from '../../shaders/som_accumulate.wgsl?raw';
import somBmuWgsl from '../../shaders/som_bmu.wgsl?raw';
import somUpdateWgsl from '../../shaders/som_update.wgsl?raw';
import { CRITERION_ID, optimizerId } from '../core/ids';
import type { KernelDesc } from '../gpu/kernel';
import { INIT_DRAW_INCLUDES, LOSS_MATH_INCLUDES, optimizerStepWgsl } from '../gpu/kernels';
import type { AtlasData } from './data';
import type { AtlasConfig, NetShape } from './types';
import { invSamples, networkWgsl } from './wgsl-net';

/** Invocations per workgroup of the training kernel: one network each, no shared memory. */
export const TRAIN_WG = 64;

/**
 * The training kernel of one network shape, loss, optimizer kind and dataset (small sets are
 * compiled in). The learning rate, momentum, tolerance and the epoch window are uniforms (no
 * recompiling for them).
 */
export function trainKernel(cfg: AtlasConfig, shape: NetShape, data: AtlasData): KernelDesc {
  const net = networkWgsl(cfg, shape, data);
  const samples = data.samples;
  return {
    // The generated source is part of the name, hence of the pipeline cache key.
    name: `population_train:${hash(net)}`,
    source: `${trainWgsl}\n${net}`,
    includes: [...LOSS_MATH_INCLUDES, optimizerStepWgsl('f32')],
    constants: {
      WG: ['u32', TRAIN_WG],
      SAMPLES: ['u32', samples],
      ROW: ['u32', shape.inputDim + 1],
      INV: ['f32', invSamples(samples)],
      CRITERION: ['u32', CRITERION_ID[cfg.criterion.kind]],
      OPT: ['u32', optimizerId(cfg.optimizer)],
    },
    uniforms: { count: 'u32', t0: 'u32', t1: 'u32', epochs: 'u32', lr: 'f32', mu: 'f32', tol: 'f32' },
    bindings: ['read', 'rw', 'rw'],
  };
}

/** Invocations per workgroup of the init kernel: one (element, network) each. */
export const INIT_WG = 64;

export function initKernel(): KernelDesc {
  return {
    name: 'population_init',
    source: initWgsl,
    includes: INIT_DRAW_INCLUDES,
    constants: { WG: ['u32', INIT_WG] },
    uniforms: {
      count: 'u32',
      first: 'u32',
      networks: 'u32',
      size: 'u32',
      row: 'u32',
      seed_lo: 'u32',
      seed_hi: 'u32',
      layer: 'u32',
      stream: 'u32',
      kind: 'u32',
      a: 'f32',
      b: 'f32',
      zero: 'u32', // always 0 (see add_product in shaders/rng.wgsl)
    },
    bindings: ['rw'],
  };
}

const SOM = {
  bmu: { source: somBmuWgsl, bindings: ['read', 'read', 'rw'] },
  accumulate: { source: somAccumulateWgsl, bindings: ['read', 'read', 'rw'] },
  update: { source: somUpdateWgsl, bindings: ['read', 'rw'] },
} as const;

/** Invocations per workgroup of the SOM kernels. */
export const SOM_WG = 64;

/** The three batch-SOM kernels, specialized on the vector length. */
export function somKernel(stage: keyof typeof SOM, dim: number): KernelDesc {
  return {
    name: `som_${stage}`,
    source: SOM[stage].source,
    constants: { DIM: ['u32', dim], WG: ['u32', SOM_WG] },
    uniforms: { n: 'u32', units: 'u32', cols: 'u32', chunk: 'u32', chunks: 'u32', inv2s2: 'f32' },
    bindings: [...SOM[stage].bindings],
  };
}

/** FNV-1a, to name generated sources in cache keys and error messages. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
