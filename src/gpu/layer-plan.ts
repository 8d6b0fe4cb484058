/**
 * @file One dense layer's share of a training step, planned as dispatches over its buffers:
 *   forward   Z = X·W + b and A = f(Z)  (f in the product's epilogue where the plan fuses it)
 *   backward  dZ = dA ⊙ f'(Z) (in the epilogue of the layer above's dX where fused), dW = Xᵀ·dZ,
 *             db = Σ dZ, and dX = dZ·Wᵀ, which is dA of the layer below (with its dZ, fused)
 *   update    the optimizer on W and b
 * each also in the form of a recorded step, whose products and optimizer run pass 1 of the
 * statistics where they can (stats-plan.ts). Every product is obtained through one call,
 * `PlanProduct`, which decides its kernel variant.
 */
import { ACTIVATION_ID } from '../core/ids';
import { saturationMode } from '../core/stats';
import type { Activation } from '../core/types';
import type { LayerShape } from '../train/model';
import { groups1d, type Slice } from './kernel';
import * as K from './kernels';
import {
  type Epilogue,
  type KernelCall,
  type MatmulForm,
  type MatmulPlan,
  matmulCalls,
  type Transposition,
} from './products';
import type { GpuScope } from './scope';
import type { LayerBuffers } from './slices';
import type { EpilogueStats, StatsPlan } from './stats-plan';

/** How the engine obtains the plan of a product: the one place its kernel variant is chosen. */
export type PlanProduct = (form: MatmulForm, M: number, N: number, K: number, epilogue?: Epilogue) => MatmulPlan;

/** The products of one layer, planned before the statistics, which need their workgroup counts. */
export interface LayerProducts {
  forward: MatmulPlan;
  /** The forward product of a recorded step: with pass 1 of Z's and A's statistics where the plan fuses it. */
  recordForward: MatmulPlan;
  dW: MatmulPlan;
  /** dX, into dA (and, fused, dZ) of the layer below; none for the first layer. */
  dX: MatmulPlan | null;
  /** dX on a recorded step: with pass 1 of dA's statistics where the plan fuses it. */
  recordDX: MatmulPlan | null;
}

/**
 * Every layer's products for batches of `batch` rows. The activation's forward goes into the
 * epilogue of the layer's product, its derivative into the epilogue of the dX product of the
 * layer above (softmax: kernels of its own); the recorded forms also ask for the statistics.
 */
export function planProducts(
  planProduct: PlanProduct,
  shapes: LayerShape[],
  activations: Activation[],
  batch: number,
): LayerProducts[] {
  const epilogue = (kind: Epilogue['kind'], l: number, stats: boolean): Epilogue | undefined => {
    const act = activations[l],
      id = ACTIVATION_ID[act.name];
    return id === ACTIVATION_ID.softmax
      ? undefined
      : { kind, act: id, alpha: act.alpha, stats, sat: saturationMode(act) };
  };
  return shapes.map(({ fanIn, units }, l) => {
    const dX = (stats: boolean) =>
      l > 0 ? planProduct('dX', batch, fanIn, units, epilogue('act_grad', l - 1, stats)) : null;
    return {
      forward: planProduct('forward', batch, units, fanIn, epilogue('act', l, false)),
      recordForward: planProduct('forward', batch, units, fanIn, epilogue('act', l, true)),
      dW: planProduct('dW', fanIn, units, batch),
      dX: dX(false),
      recordDX: dX(true),
    };
  });
}

/** The partials each layer's recorded products write in their epilogues (0: they do not). */
export function epilogueStats(products: LayerProducts[]): EpilogueStats[] {
  const parts = (plan: MatmulPlan | null) => (plan?.stats ? (plan.uniforms.groups ?? 0) : 0);
  return products.map((p) => ({ forward: parts(p.recordForward), dX: parts(p.recordDX) }));
}

/** A layer's dispatches (T: planned calls, then bound kernels), plain and on a recorded step. */
export interface LayerSteps<T> {
  forward: T[];
  backward: T[];
  update: T[];
  /** The same as forward and backward, the products reducing what they store where they can. */
  recordForward: T[];
  recordBackward: T[];
  /** The optimizer with pass 1 of W's, dW's and the update's statistics. */
  recordUpdate: T[];
  /** The same without updating (the record before the first step). */
  recordStill: T[];
}

/** A product's operands [A, B, bias, out]. */
type Operands = [GPUBuffer | Slice, GPUBuffer | Slice, GPUBuffer | Slice, GPUBuffer | Slice];

/** What planning a layer needs of the network around it. */
export interface LayerPlanContext {
  layers: LayerBuffers[];
  /** The first layer's input: the batch. */
  input: Slice;
  activations: Activation[];
  batch: number;
  products: LayerProducts[];
  stats: StatsPlan;
  /** This step's StepInfo (shaders/step.wgsl). */
  stepInfo: GPUBuffer;
  /** Bound where a kernel's binding goes unused (a product without bias). */
  dummy: GPUBuffer;
  optimizer: ReturnType<typeof K.optimizerKind>;
  /** A product's dispatches over [A, B, bias, out] and its epilogue's buffers (products.ts matmulCalls). */
  productCalls(plan: MatmulPlan, operands: Operands, epilogue?: (GPUBuffer | Slice)[]): KernelCall[];
}

export function planLayer(ctx: LayerPlanContext, l: number): LayerSteps<KernelCall> {
  return { ...planForward(ctx, l), ...planBackward(ctx, l), ...planUpdate(ctx, l) };
}

const withPart = (plan: MatmulPlan, part: number): MatmulPlan => ({ ...plan, uniforms: { ...plan.uniforms, part } });

function planForward(ctx: LayerPlanContext, l: number): Pick<LayerSteps<KernelCall>, 'forward' | 'recordForward'> {
  const L = ctx.layers[l],
    { units } = L.shape,
    act = ctx.activations[l],
    id = ACTIVATION_ID[act.name];
  const input = l === 0 ? ctx.input : ctx.layers[l - 1].A;
  const { forward: plan, recordForward: recorded } = ctx.products[l];
  const forward = ctx.productCalls(plan, [input, L.W, L.b, L.Z], [L.A]);
  if (!plan.epilogue) {
    const rows = ctx.batch;
    forward.push(
      id === ACTIVATION_ID.softmax
        ? call(K.softmaxKernel(), [L.Z, L.A], [...groups1d(rows), 1], { rows, units })
        : call(K.actForwardKernel(id, act.alpha), [L.Z, L.A], [...groups1d(rows * units), 1], { n: rows * units }),
    );
  }
  const recordForward = recorded.stats
    ? ctx.productCalls(
        withPart(recorded, ctx.stats.forwardPart(l)),
        [input, L.W, L.b, L.Z],
        [L.A, ctx.stepInfo, ctx.stats.part1],
      )
    : forward;
  return { forward, recordForward };
}

function planBackward(ctx: LayerPlanContext, l: number): Pick<LayerSteps<KernelCall>, 'backward' | 'recordBackward'> {
  const L = ctx.layers[l],
    { units } = L.shape,
    act = ctx.activations[l];
  const input = l === 0 ? ctx.input : ctx.layers[l - 1].A;
  const above = ctx.products[l + 1];
  const gradients: KernelCall[] = [];
  // dZ: the loss kernel's for the output layer, else the layer above's dX epilogue's where fused.
  if (above && !above.dX!.epilogue) {
    const n = ctx.batch * units;
    gradients.push(
      call(K.actBackwardKernel(ACTIVATION_ID[act.name], act.alpha), [L.Z, L.dA, L.dZ], [...groups1d(n), 1], { n }),
    );
  }
  const { dW, dX, recordDX } = ctx.products[l];
  gradients.push(...ctx.productCalls(dW, [input, L.dZ, ctx.dummy, L.dW]));
  gradients.push(call(K.colsumKernel(), [L.dZ, L.db], [...groups1d(units), 1], { rows: ctx.batch, cols: units }));
  if (l === 0) return { backward: gradients, recordBackward: gradients };
  const below = ctx.layers[l - 1];
  const operands: Operands = [L.dZ, L.W, ctx.dummy, below.dA];
  const backward = [...gradients, ...ctx.productCalls(dX!, operands, [below.Z, below.dZ])];
  if (!recordDX!.stats) return { backward, recordBackward: backward };
  const recorded = withPart(recordDX!, ctx.stats.dXPart(l));
  return {
    backward,
    recordBackward: [
      ...gradients,
      ...ctx.productCalls(recorded, operands, [below.Z, below.dZ, ctx.stepInfo, ctx.stats.part1]),
    ],
  };
}

function planUpdate(
  ctx: LayerPlanContext,
  l: number,
): Pick<LayerSteps<KernelCall>, 'update' | 'recordUpdate' | 'recordStill'> {
  const L = ctx.layers[l],
    { id, u } = ctx.optimizer,
    k = L.shape.fanIn * L.shape.units,
    units = L.shape.units;
  // The optimizer runs four elements per invocation.
  const optimizer = (n: number, w: Slice, g: Slice, s1: Slice, s2: Slice) =>
    call(K.optimizerKernel(id), [w, g, s1, s2, ctx.stepInfo], [...groups1d(Math.ceil(n / 4)), 1], { n, ...u });
  const bias = optimizer(units, L.b, L.db, L.sb1, L.sb2);
  const { part, groups } = ctx.stats.optimizerPart(l);
  const recording = (apply: boolean) =>
    call(K.statsOptimizerKernel(id, apply), [L.W, L.dW, L.sW1, L.sW2, ctx.stepInfo, ctx.stats.part1], [groups, 1, 1], {
      n: k,
      width: 0,
      groups,
      part,
      ...u,
    });
  return {
    update: [optimizer(k, L.W, L.dW, L.sW1, L.sW2), bias],
    recordUpdate: [recording(true), bias],
    recordStill: [recording(false)],
  };
}

/**
 * A product's dispatches (products.ts matmulCalls), the transpositions it needs first written into
 * scratch buffers of `aFloats` (for an A) and `bFloats` (for a B) floats, made on first use. One
 * pair serves a whole pass: its products run one after another.
 */
export function productCallsWith(scope: GpuScope, aFloats: number, bFloats: number): LayerPlanContext['productCalls'] {
  let a: GPUBuffer | null = null,
    b: GPUBuffer | null = null;
  const room = (t: Transposition | undefined, floats: number) => {
    if (t && t.floats > floats) throw new Error(`a transposition of ${t.floats} floats in scratch for ${floats}`);
    return !!t;
  };
  return (plan, operands, epilogue = []) => {
    if (room(plan.transposeA, aFloats)) a ??= scope.buffer('transpose.a', aFloats * 4);
    if (room(plan.transposeB, bFloats)) b ??= scope.buffer('transpose.b', bFloats * 4);
    return matmulCalls(plan, operands, { a, b }, epilogue);
  };
}

/** One dispatch of `desc`. */
export function call(
  desc: KernelCall['desc'],
  buffers: KernelCall['buffers'],
  groups: KernelCall['groups'],
  uniforms: KernelCall['uniforms'] = {},
): KernelCall {
  return { desc, buffers, groups, uniforms };
}
