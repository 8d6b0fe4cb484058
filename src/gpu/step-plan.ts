/**
 * @file A whole training step, planned as dispatches: gather the batch, each layer's forward
 * (layer-plan.ts), the loss and the output layer's gradients, each layer's backward from the
 * last, each layer's update, and on a recorded step the statistics (stats-plan.ts). Small
 * networks also get the fused kernel, which runs whole steps in one dispatch (fused.ts).
 * Planning is synchronous and compiles nothing; the engine compiles the plan's kernels, then
 * binds it (`bindStep`).
 */
import { ACTIVATION_ID, LOSS_ID } from '../core/ids';
import { isFused } from '../core/losses';
import type { RunConfig } from '../core/types';
import type { BuildProgress } from '../train/engine';
import type { Binder } from './compile';
import { fusedDesc, fusedLayout } from './fused';
import { type BoundKernel, groups1d, writeArray } from './kernel';
import * as K from './kernels';
import { call, type LayerPlanContext, type LayerSteps, planLayer } from './layer-plan';
import type { KernelCall } from './products';
import type { GpuScope } from './scope';
import type { NetworkTensors } from './slices';

/** A step's dispatches (T: planned calls, then bound kernels). */
export interface StepPlan<T> {
  /** This step's rows of X and Y into the batch buffers. */
  gather: T[];
  layers: LayerSteps<T>[];
  /** The loss, its totals, and the output layer's dA and dZ. */
  loss: T[];
  /** A recorded step's statistics passes, after the updates: every layer's, then the final pass. */
  statistics: T[];
  /** Whole unrecorded steps in one dispatch, for small networks (else null). */
  fused: T | null;
}

/** The dataset, the step's own buffers and the tensors, besides what a layer's plan needs. */
export interface StepPlanContext extends LayerPlanContext {
  cfg: RunConfig;
  inputDim: number;
  X: GPUBuffer;
  Y: GPUBuffer;
  /** The chunk's permutation indices, its StepInfos (step-table.ts) and the loss totals. */
  perm: GPUBuffer;
  table: GPUBuffer;
  totals: GPUBuffer;
  tensors: NetworkTensors;
}

export function planStep(scope: GpuScope, ctx: StepPlanContext): StepPlan<KernelCall> {
  const { batch: B, tensors, stepInfo } = ctx;
  const { Xb, Yb } = tensors.batch;
  const outDim = ctx.layers[ctx.layers.length - 1].shape.units;
  const gather = (src: GPUBuffer, dst: typeof Xb, width: number) =>
    call(K.gatherKernel(), [src, ctx.perm, stepInfo, dst], [...groups1d(B * width), 1], { batch: B, width });
  return {
    gather: [gather(ctx.X, Xb, ctx.inputDim), gather(ctx.Y, Yb, outDim)],
    layers: ctx.layers.map((_, l) => planLayer(ctx, l)),
    loss: planLoss(ctx),
    statistics: [...ctx.layers.flatMap((_, l) => ctx.stats.passes(l)), ctx.stats.finalPass()],
    fused: tensors.arenas ? planFused(scope, ctx, tensors.arenas) : null,
  };
}

function planLoss(ctx: StepPlanContext): KernelCall[] {
  const out = ctx.layers[ctx.layers.length - 1],
    act = ctx.activations[ctx.layers.length - 1],
    id = ACTIVATION_ID[act.name];
  const { Yb, rowOut } = ctx.tensors.batch;
  const loss = K.lossKernel(LOSS_ID[ctx.cfg.loss], id, act.alpha, isFused(ctx.cfg.loss, id));
  return [
    call(loss, [out.Z, out.A, Yb, ctx.stepInfo, out.dA, out.dZ, rowOut], [...groups1d(ctx.batch), 1], {
      batch: ctx.batch,
      units: out.shape.units,
    }),
    call(K.accumulateKernel(), [rowOut, ctx.stepInfo, ctx.totals], [1, 1, 1]),
  ];
}

function planFused(scope: GpuScope, ctx: StepPlanContext, arenas: NonNullable<NetworkTensors['arenas']>): KernelCall {
  // The offsets of every tensor in the arenas (shaders/fused_step.wgsl), as a uniform buffer.
  const words = fusedLayout(ctx.cfg, ctx.inputDim, ctx.batch, ctx.layers, ctx.tensors.batch);
  const layout = scope.buffer('fused.layout', words.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  writeArray(scope.device, layout, words);
  const buffers = [
    layout,
    ctx.X,
    ctx.Y,
    ctx.perm,
    ctx.table,
    ctx.stepInfo,
    arenas.state,
    arenas.activations,
    ctx.totals,
  ];
  return call(fusedDesc(ctx.cfg), buffers, [1, 1, 1]);
}

/** Every call of a plan, for compiling. */
export function stepCalls(plan: StepPlan<KernelCall>): KernelCall[] {
  return [
    ...plan.gather,
    ...plan.layers.flatMap((L) => Object.values(L).flat()),
    ...plan.loss,
    ...plan.statistics,
    ...(plan.fused ? [plan.fused] : []),
  ];
}

/** Binds a plan whose kernels `binder` has compiled, reporting each layer bound (`layers` phase). */
export function bindStep(
  plan: StepPlan<KernelCall>,
  binder: Binder,
  onProgress?: (p: BuildProgress) => void,
): StepPlan<BoundKernel> {
  const total = plan.layers.length;
  onProgress?.({ phase: 'layers', done: 0, total });
  const layers = plan.layers.map((L, l) => {
    const bound = Object.fromEntries(Object.entries(L).map(([k, calls]) => [k, binder.bindAll(calls)]));
    onProgress?.({ phase: 'layers', done: l + 1, total });
    return bound as unknown as LayerSteps<BoundKernel>;
  });
  return {
    gather: binder.bindAll(plan.gather),
    layers,
    loss: binder.bindAll(plan.loss),
    statistics: binder.bindAll(plan.statistics),
    fused: plan.fused ? binder.bind(plan.fused) : null,
  };
}
