/**
 * @file The catalogue of kernels: one descriptor factory per WGSL file. Each says which shared
 * pieces the kernel needs, what specializes it, its uniforms and its bindings (in the order the
 * WGSL declares them).
 */
import accumulateWgsl from '../../shaders/accumulate.wgsl?raw';
import actBackwardWgsl from '../../shaders/act_backward.wgsl?raw';
import actForwardWgsl from '../../shaders/act_forward.wgsl?raw';
import activationsWgsl from '../../shaders/activations.wgsl?raw';
import colsumWgsl from '../../shaders/colsum.wgsl?raw';
import gatherWgsl from '../../shaders/gather.wgsl?raw';
import initWgsl from '../../shaders/init.wgsl?raw';
import initDrawWgsl from '../../shaders/init_draw.wgsl?raw';
import lossWgsl from '../../shaders/loss.wgsl?raw';
import lossMathWgsl from '../../shaders/loss_math.wgsl?raw';
import lossRowWgsl from '../../shaders/loss_row.wgsl?raw';
import optimizerWgsl from '../../shaders/optimizer.wgsl?raw';
import optimizerStepSource from '../../shaders/optimizer_step.wgsl?raw';
import optimizerUpdateWgsl from '../../shaders/optimizer_update.wgsl?raw';
import rngWgsl from '../../shaders/rng.wgsl?raw';
import softmaxWgsl from '../../shaders/softmax.wgsl?raw';
import softmaxRowWgsl from '../../shaders/softmax_row.wgsl?raw';
import statsCommonWgsl from '../../shaders/stats_common.wgsl?raw';
import statsFinalWgsl from '../../shaders/stats_final.wgsl?raw';
import statsHistWgsl from '../../shaders/stats_hist.wgsl?raw';
import statsOptimizerWgsl from '../../shaders/stats_optimizer.wgsl?raw';
import statsPartialWgsl from '../../shaders/stats_partial.wgsl?raw';
import statsReadWgsl from '../../shaders/stats_read.wgsl?raw';
import statsReduceWgsl from '../../shaders/stats_reduce.wgsl?raw';
import unitDiffWgsl from '../../shaders/unit_diff.wgsl?raw';
import { optimizerId, SATURATION_ID } from '../core/ids';
import { HIST_BINS } from '../core/stats';
import type { OptimizerConfig } from '../core/types';
import type { KernelDesc } from './kernel';

export function actForwardKernel(act: number, alpha: number): KernelDesc {
  return {
    name: 'act_forward',
    source: actForwardWgsl,
    includes: [activationsWgsl],
    constants: { ACT: ['u32', act], ALPHA: ['f32', alpha] },
    uniforms: { n: 'u32' },
    bindings: ['read', 'rw'],
  };
}

export function actBackwardKernel(act: number, alpha: number): KernelDesc {
  return {
    name: 'act_backward',
    source: actBackwardWgsl,
    includes: [activationsWgsl],
    constants: { ACT: ['u32', act], ALPHA: ['f32', alpha] },
    uniforms: { n: 'u32' },
    bindings: ['read', 'read', 'rw'],
  };
}

export function softmaxKernel(): KernelDesc {
  return {
    name: 'softmax',
    source: softmaxWgsl,
    includes: [softmaxRowWgsl],
    uniforms: { rows: 'u32', units: 'u32' },
    bindings: ['read', 'rw'],
  };
}

export function colsumKernel(): KernelDesc {
  return { name: 'colsum', source: colsumWgsl, uniforms: { rows: 'u32', cols: 'u32' }, bindings: ['read', 'rw'] };
}

/** maxUnitDiff of a (rows, cols) kernel into out[index] (an atomic u32 per layer, cleared before). */
export function unitDiffKernel(): KernelDesc {
  return {
    name: 'unit_diff',
    source: unitDiffWgsl,
    uniforms: { rows: 'u32', cols: 'u32', index: 'u32' },
    bindings: ['read', 'rw'],
  };
}

export function gatherKernel(): KernelDesc {
  return {
    name: 'gather',
    source: gatherWgsl,
    uniforms: { batch: 'u32', width: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/** The shared pieces of an initializer's draw (shaders/init_draw.wgsl), for this kernel and the atlas's. */
export const INIT_DRAW_INCLUDES = [rngWgsl, initDrawWgsl];

/** `kind`: the draw (INIT_ID, src/core/initializers.ts drawKindId). */
export function initKernel(kind: number): KernelDesc {
  return {
    name: 'init',
    source: initWgsl,
    includes: INIT_DRAW_INCLUDES,
    constants: { KIND: ['u32', kind] },
    // zero: always 0 (see add_product in shaders/rng.wgsl).
    uniforms: {
      n: 'u32',
      seed_lo: 'u32',
      seed_hi: 'u32',
      layer: 'u32',
      stream: 'u32',
      a: 'f32',
      b: 'f32',
      zero: 'u32',
    },
    bindings: ['rw'],
  };
}

/** The loss over values (shaders/loss_math.wgsl) and what it calls: the atlas's generated code uses these. */
export const LOSS_MATH_INCLUDES = [activationsWgsl, lossMathWgsl];
/** The loss over a row of the output layer (shaders/loss_row.wgsl): the loss kernel's and the fused step's. */
export const LOSS_INCLUDES = [...LOSS_MATH_INCLUDES, softmaxRowWgsl, lossRowWgsl];

export function lossKernel(loss: number, act: number, alpha: number, fused: boolean): KernelDesc {
  return {
    name: 'loss',
    source: lossWgsl,
    includes: LOSS_INCLUDES,
    constants: { LOSS: ['u32', loss], ACT: ['u32', act], ALPHA: ['f32', alpha], FUSED: ['u32', fused ? 1 : 0] },
    uniforms: { batch: 'u32', units: 'u32' },
    bindings: ['read', 'read', 'read', 'read', 'rw', 'rw', 'rw'],
  };
}

export function accumulateKernel(): KernelDesc {
  return { name: 'accumulate', source: accumulateWgsl, bindings: ['read', 'read', 'rw'] };
}

/**
 * The optimizer update's shared piece (shaders/optimizer_step.wgsl) over values of `valueType`:
 * vec4<f32> for the optimizer kernels, f32 for the fused step and the atlas.
 */
export function optimizerStepWgsl(valueType: 'f32' | 'vec4<f32>'): string {
  return `alias OptValue = ${valueType};\n${optimizerStepSource}`;
}

/**
 * The update (`OPT`) and hyperparameter uniforms of a configured optimizer (OptHyper in
 * shaders/optimizer_step.wgsl).
 */
export function optimizerKind(o: OptimizerConfig): { id: number; u: Record<keyof typeof OPTIMIZER_UNIFORMS, number> } {
  const id = optimizerId(o);
  switch (o.name) {
    case 'sgd':
      return { id, u: { lr: o.learning_rate, decay1: o.momentum, decay2: 0, eps: 0 } };
    case 'adam':
      return { id, u: { lr: o.learning_rate, decay1: o.beta_1, decay2: o.beta_2, eps: o.epsilon } };
    case 'rmsprop':
      return { id, u: { lr: o.learning_rate, decay1: 0, decay2: o.rho, eps: o.epsilon } };
  }
}

const OPTIMIZER_UNIFORMS = { lr: 'f32', decay1: 'f32', decay2: 'f32', eps: 'f32' } as const;

/** Four elements per invocation: dispatch ceil(n / 4) invocations, over tensors of whole vec4s. */
export function optimizerKernel(opt: number): KernelDesc {
  return {
    name: 'optimizer',
    source: optimizerWgsl,
    includes: [optimizerStepWgsl('vec4<f32>'), optimizerUpdateWgsl],
    constants: { OPT: ['u32', opt] },
    uniforms: { n: 'u32', ...OPTIMIZER_UNIFORMS },
    bindings: ['rw', 'read', 'rw', 'rw', 'read'],
  };
}

/**
 * Workgroup size of the statistics kernels (at least HIST_BINS). A software adapter runs a
 * workgroup's lane groups as coroutines on one thread, and every barrier of the tree reductions
 * switches through all of them, so smaller workgroups reduce faster there, down to 64 (32 no
 * faster: bench/REPORT.md history). 64 is also a common reduction size on GPUs.
 */
const STATS_WG = 64;

/** Uniforms shared by every statistics kernel. */
const STATS_UNIFORMS = { n: 'u32', width: 'u32', groups: 'u32', part: 'u32' } as const;

function statsConstants(sat: number, perRow: boolean): KernelDesc['constants'] {
  return {
    WG: ['u32', STATS_WG],
    SAT: ['u32', sat],
    PER_ROW: ['u32', perRow ? 1 : 0],
  };
}

/**
 * Statistics in up to three passes: partial sums and deviations per workgroup, the histogram
 * (only where it is read), then the slot. `full` = false: the norm only (tensors of which only
 * the norm is read; the slot's other fields are 0).
 */
export function statsPartialKernel(sat: number, perRow: boolean, full = true): KernelDesc {
  return {
    name: 'stats_partial',
    source: statsPartialWgsl,
    includes: [statsCommonWgsl, statsReadWgsl, statsReduceWgsl],
    constants: { ...statsConstants(sat, perRow), FULL: ['u32', full ? 1 : 0] },
    uniforms: STATS_UNIFORMS,
    bindings: ['read', 'read', 'rw'],
  };
}

/**
 * `parts`: how many partials pass 1 left from `part` (its `groups`, or a product's workgroups:
 * shaders/mm_stats.wgsl).
 */
export function statsHistKernel(perRow: boolean): KernelDesc {
  return {
    name: 'stats_hist',
    source: statsHistWgsl,
    includes: [statsCommonWgsl, statsReadWgsl],
    constants: statsConstants(SATURATION_ID.none, perRow),
    uniforms: { ...STATS_UNIFORMS, parts: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/**
 * The optimizer of a kernel on a recorded step, with pass 1 of the statistics of the new kernel,
 * its gradient and the update (three partials of `groups` each from `part`); `apply` = false
 * leaves the kernel as it is (the record before the first step). Dispatch statsGroups(n).
 */
export function statsOptimizerKernel(opt: number, apply: boolean): KernelDesc {
  return {
    name: 'stats_optimizer',
    source: statsOptimizerWgsl,
    includes: [optimizerStepWgsl('vec4<f32>'), optimizerUpdateWgsl, statsCommonWgsl, statsReduceWgsl],
    constants: { ...statsConstants(SATURATION_ID.none, false), OPT: ['u32', opt], APPLY: ['u32', apply ? 1 : 0] },
    uniforms: { ...STATS_UNIFORMS, ...OPTIMIZER_UNIFORMS },
    bindings: ['rw', 'read', 'rw', 'rw', 'read', 'rw'],
  };
}

/**
 * Pass 3 for every slot of a record in one dispatch of `tasks.length` workgroups; its buffers:
 * [stepInfo, part1, part2, the tasks (statsTasks), the slots].
 */
export function statsFinalKernel(): KernelDesc {
  return {
    name: 'stats_final',
    source: statsFinalWgsl,
    constants: statsConstants(SATURATION_ID.none, false),
    bindings: ['read', 'read', 'read', 'read', 'rw'],
  };
}

/**
 * One slot of a record for statsFinalKernel: n = 0 counts this step's rows × width; `parts`
 * partials of pass 1 and `groups` of pass 2 (where `hist`), both from `part`.
 */
export interface SlotTask {
  n: number;
  width: number;
  slot: number;
  groups: number;
  part: number;
  hist: boolean;
  parts: number;
}

/** The tasks as statsFinalKernel reads them (struct SlotTask in stats_final.wgsl). */
export function statsTasks(tasks: readonly SlotTask[]): Uint32Array {
  return Uint32Array.from(tasks.flatMap((t) => [t.n, t.width, t.slot, t.groups, t.part, t.hist ? 1 : 0, t.parts]));
}

/**
 * Elements per workgroup above which a tensor's statistics are split over several workgroups:
 * the candidates the tuner times on the device (stats-chunk.ts). Few large workgroups suit an
 * adapter with a couple of threads, where per-workgroup costs dominate (the barrier tree, pass
 * 2's serial read of every partial); many small ones a GPU, where each invocation's loads wait
 * on memory one after another. STATS_CHUNKS[0] serves where nothing was measured (kernel tests).
 */
export const STATS_CHUNKS = [32768, 16384, 8192, 4096, 2048] as const;
/** Most workgroups one tensor's statistics use (passes 2 and 3 sum their partials serially). */
export const STATS_MAX_GROUPS = 64;
/** Floats per pass-1 and pass-2 partial. */
export const STATS_PART1 = 8;
export const STATS_PART2 = HIST_BINS;

/** Workgroups for the statistics of a tensor of `maxCount` elements, `chunk` elements each (STATS_CHUNKS). */
export function statsGroups(maxCount: number, chunk: number = STATS_CHUNKS[0]): number {
  return Math.min(STATS_MAX_GROUPS, Math.max(1, Math.ceil(maxCount / chunk)));
}
