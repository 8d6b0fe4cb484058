/**
 * @file Descriptors of the trainable-depth population's kernels (shaders/deep_*.wgsl), in the
 * engine's KernelDesc form: a dense layer of many networks forward, its backward in two halves
 * (the gradient passed down, then SGD on [W; b] in place), the softmax output, the draws.
 */
import activationsWgsl from '../../../shaders/activations.wgsl?raw';
import backInputWgsl from '../../../shaders/deep_backward_input.wgsl?raw';
import backUpdateWgsl from '../../../shaders/deep_backward_update.wgsl?raw';
import dzWgsl from '../../../shaders/deep_dz.wgsl?raw';
import forwardWgsl from '../../../shaders/deep_forward.wgsl?raw';
import initWgsl from '../../../shaders/deep_init.wgsl?raw';
import softmaxWgsl from '../../../shaders/deep_softmax.wgsl?raw';
import { ACTIVATION_ID } from '../../core/ids';
import { Stream } from '../../core/rng';
import type { Activation } from '../../core/types';
import type { KernelDesc } from '../../gpu/kernel';
import { INIT_DRAW_INCLUDES, LOSS_INCLUDES, optimizerStepWgsl } from '../../gpu/kernels';

/** Output tile side of the product kernels (workgroups of TILE × TILE). */
export const TILE = 16;

function actConstants(act: Activation): KernelDesc['constants'] {
  return { TILE: ['u32', TILE], ACT: ['u32', ACTIVATION_ID[act.name]], ALPHA: ['f32', act.alpha] };
}

export function forwardKernel(act: Activation, inputIsData: boolean): KernelDesc {
  return {
    name: 'deep_forward',
    source: forwardWgsl,
    includes: [activationsWgsl],
    constants: { ...actConstants(act), IN_X: ['u32', inputIsData ? 1 : 0] },
    uniforms: { k: 'u32', n: 'u32', table_base: 'u32' },
    bindings: ['read', 'rw', 'read', 'read', 'read', 'read'],
  };
}

export function backInputKernel(act: Activation, dzGiven: boolean): KernelDesc {
  return {
    name: 'deep_backward_input',
    source: backInputWgsl,
    includes: [activationsWgsl, dzWgsl],
    constants: { ...actConstants(act), DZ_GIVEN: ['u32', dzGiven ? 1 : 0] },
    uniforms: { k: 'u32', n: 'u32', table_base: 'u32' },
    bindings: ['read', 'read', 'rw', 'read', 'read'],
  };
}

export function backUpdateKernel(act: Activation, inputIsData: boolean, dzGiven: boolean): KernelDesc {
  return {
    name: 'deep_backward_update',
    source: backUpdateWgsl,
    includes: [activationsWgsl, dzWgsl, optimizerStepWgsl('f32')],
    constants: { ...actConstants(act), IN_X: ['u32', inputIsData ? 1 : 0], DZ_GIVEN: ['u32', dzGiven ? 1 : 0] },
    uniforms: { k: 'u32', n: 'u32', table_base: 'u32', lr: 'f32' },
    bindings: ['rw', 'read', 'read', 'read', 'read', 'read', 'read'],
  };
}

/** grad: the loss gradient of the training step; else the count of correct rows per network. */
export function softmaxKernel(grad: boolean): KernelDesc {
  return {
    name: 'deep_softmax',
    source: softmaxWgsl,
    includes: LOSS_INCLUDES,
    constants: { GRAD: ['u32', grad ? 1 : 0] },
    uniforms: { n: 'u32', table_base: 'u32', slots: 'u32' },
    bindings: ['read', 'rw', 'read', 'read', 'read', 'read', 'rw'],
  };
}

export function initKernel(): KernelDesc {
  return {
    name: 'deep_init',
    source: initWgsl,
    includes: INIT_DRAW_INCLUDES,
    constants: { STREAM_KERNEL: ['u32', Stream.kernel], STREAM_BIAS: ['u32', Stream.bias] },
    uniforms: {
      k: 'u32',
      n: 'u32',
      table_base: 'u32',
      slots: 'u32',
      seed_lo: 'u32',
      seed_hi: 'u32',
      bias_sd: 'f32',
      zero: 'u32',
    },
    bindings: ['rw', 'read'],
  };
}
