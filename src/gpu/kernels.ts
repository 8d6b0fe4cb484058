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
import lossWgsl from '../../shaders/loss.wgsl?raw';
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import matmulNnSgWgsl from '../../shaders/matmul_nn_sg.wgsl?raw';
import matmulNnVec4Wgsl from '../../shaders/matmul_nn_vec4.wgsl?raw';
import matmulNtVec4Wgsl from '../../shaders/matmul_nt_vec4.wgsl?raw';
import matmulTiledWgsl from '../../shaders/matmul_tiled.wgsl?raw';
import matmulTnVec4Wgsl from '../../shaders/matmul_tn_vec4.wgsl?raw';
import mmStatsWgsl from '../../shaders/mm_stats.wgsl?raw';
import mmStoreWgsl from '../../shaders/mm_store.wgsl?raw';
import mmStoreActWgsl from '../../shaders/mm_store_act.wgsl?raw';
import mmStoreActGradWgsl from '../../shaders/mm_store_act_grad.wgsl?raw';
import mmStoreActGradStatsWgsl from '../../shaders/mm_store_act_grad_stats.wgsl?raw';
import mmStoreActStatsWgsl from '../../shaders/mm_store_act_stats.wgsl?raw';
import optimizerWgsl from '../../shaders/optimizer.wgsl?raw';
import optimizerUpdateWgsl from '../../shaders/optimizer_update.wgsl?raw';
import rngWgsl from '../../shaders/rng.wgsl?raw';
import softmaxWgsl from '../../shaders/softmax.wgsl?raw';
import statsCommonWgsl from '../../shaders/stats_common.wgsl?raw';
import statsFinalWgsl from '../../shaders/stats_final.wgsl?raw';
import statsHistWgsl from '../../shaders/stats_hist.wgsl?raw';
import statsOptimizerWgsl from '../../shaders/stats_optimizer.wgsl?raw';
import statsPartialWgsl from '../../shaders/stats_partial.wgsl?raw';
import statsReadWgsl from '../../shaders/stats_read.wgsl?raw';
import statsReduceWgsl from '../../shaders/stats_reduce.wgsl?raw';
import transposeWgsl from '../../shaders/transpose.wgsl?raw';
import transposeVec4Wgsl from '../../shaders/transpose_vec4.wgsl?raw';
import { HIST_BINS, SLOT } from '../core/stats';
import type { OptimizerConfig } from '../core/types';
import type { KernelDesc, Slice } from './kernel';

/** The three products of a dense layer. */
export type MatmulForm = 'forward' | 'dX' | 'dW';

/**
 * Register blocking of the vec4 kernels, measured on lavapipe (see bench/REPORT.md): 8×8
 * invocations; forward (and dX on Wᵀ) and dW 8 rows × 8 columns each, dX without transposition 4 × 4.
 */
const VEC4_TILE = { WG_X: 8, WG_Y: 8, NN_TM: 8, NT_TM: 4, NT_TN: 4 } as const;

/** Register blocking of matmul.wgsl (any shape): 8 rows × 8 scalar columns per invocation. */
const MATMUL_TILE = { WG_X: 8, WG_Y: 8, TM: 8, TN: 8 } as const;

/** The general kernel: op(A)·op(B) (+ bias) for any shape. */
function matmulKernel(transA: boolean, transB: boolean, bias: boolean): KernelDesc {
  const t = MATMUL_TILE;
  return {
    name: 'matmul',
    source: matmulWgsl,
    constants: {
      WG_X: ['u32', t.WG_X],
      WG_Y: ['u32', t.WG_Y],
      TM: ['u32', t.TM],
      TN: ['u32', t.TN],
      TRANS_A: ['u32', transA ? 1 : 0],
      TRANS_B: ['u32', transB ? 1 : 0],
      BIAS: ['u32', bias ? 1 : 0],
    },
    uniforms: { M: 'u32', N: 'u32', K: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/** Workgroups of the general kernel covering an M×N output. */
function matmulGroups(M: number, N: number): [number, number, number] {
  const t = MATMUL_TILE;
  return [Math.ceil(N / (t.TN * t.WG_X)), Math.ceil(M / (t.TM * t.WG_Y)), 1];
}

export interface MatmulPlan {
  desc: KernelDesc;
  groups: [number, number, number];
  /** With `stats`, also `part` (where the partials go, 0 here: the caller sets it) and `groups` (the workgroup count). */
  uniforms: { M: number; N: number; K: number; part?: number; groups?: number };
  /**
   * Set when the product reads A (B) transposed: this kernel first writes Aᵀ (Bᵀ) into a scratch
   * buffer of `floats` floats, which the product then reads in A's (B's) place (see `matmulCalls`).
   */
  transposeA?: Transposition;
  transposeB?: Transposition;
  /** Whether the requested epilogue is fused into the product (its extra buffers then follow `out`). */
  epilogue: boolean;
  /**
   * Whether the epilogue also writes pass 1 of the statistics of what it stores (`Epilogue.stats`):
   * one partial per workgroup and tensor from `uniforms.part` (Z's then A's, or dA's), and the
   * buffers [cur, part1] after the epilogue's own.
   */
  stats?: boolean;
}

/**
 * Elementwise work fused into the end of a product, saving a pass over its output:
 *   act       forward: also A = f(Z); extra buffers [A]
 *   act_grad  dX: also dZ = dX ⊙ f'(Z) for the layer below; extra buffers [that layer's Z, its dZ]
 * Only the register-blocked forward kernel has epilogues; other plans leave the work to the
 * activation kernels (`epilogue: false`).
 * `stats` (a recorded step): the epilogue also reduces what it stores into pass 1 of the
 * statistics, Z's and A's (A's saturation in mode `sat`) or dA's, where the kernel is a subgroup
 * kernel (shaders/mm_stats.wgsl); elsewhere the plan leaves that to the statistics passes.
 */
export interface Epilogue {
  kind: 'act' | 'act_grad';
  act: number;
  alpha: number;
  stats?: boolean;
  sat?: number;
}

/**
 * Rows of dX from which W is transposed for the forward kernel rather than read by the nt kernel:
 * the transposition is a fixed cost, the product's rows are not. Measured on lavapipe for a
 * 512-wide layer (nt against transposition + subgroup kernel): 0.40 / 1.10 ms at 4 rows, 0.81 /
 * 0.97 at 8, 1.28 / 0.92 at 16, 2.53 / 1.06 at 32.
 */
const TRANSPOSE_MIN_ROWS = 16;
/**
 * Multiply-adds (M·N·K) from which forward and dX read X (dZ) transposed. Below it the extra
 * dispatch and pass over X cost more than the transposed read saves: on lavapipe, min of 15,
 * forward 64³ 73 → 60 µs and 128³ 174 → 134 µs untransposed, dX 107 → 99 and 209 → 171 µs; at
 * 256³ the two were within noise of each other, and from 512³ on the transposition wins.
 */
const TRANSPOSE_MIN_WORK = 256 ** 3;

/** The transposition's tiling: 8×8 invocations, each moving a 4×4 block. */
const TRANSPOSE_TILE = { WG_X: 8, WG_Y: 8, BLOCK: 4 } as const;

/** `vec4`: rows and cols are multiples of 4 (transpose_vec4.wgsl, blocks of 4×4 as vec4s). */
function transposeKernel(vec4: boolean): KernelDesc {
  const t = TRANSPOSE_TILE;
  return {
    name: vec4 ? 'transpose_vec4' : 'transpose',
    source: vec4 ? transposeVec4Wgsl : transposeWgsl,
    uniforms: { rows: 'u32', cols: 'u32' },
    bindings: ['read', 'rw'],
    constants: { WG_X: ['u32', t.WG_X], WG_Y: ['u32', t.WG_Y], BLOCK: ['u32', t.BLOCK] },
  };
}

/** The transposition of a rows×cols operand into a scratch buffer, ahead of a product. */
export interface Transposition {
  desc: KernelDesc;
  groups: [number, number, number];
  uniforms: { rows: number; cols: number };
  floats: number;
}

function transposition(rows: number, cols: number): Transposition {
  const t = TRANSPOSE_TILE;
  return {
    desc: transposeKernel(rows % 4 === 0 && cols % 4 === 0),
    groups: [Math.ceil(cols / (t.WG_X * t.BLOCK)), Math.ceil(rows / (t.WG_Y * t.BLOCK)), 1],
    uniforms: { rows, cols },
    floats: rows * cols,
  };
}

/** One dispatch of a plan: a descriptor, its buffers, workgroups and uniforms. */
export interface KernelCall {
  desc: KernelDesc;
  buffers: (GPUBuffer | Slice)[];
  groups: [number, number, number];
  uniforms: Record<string, number>;
}

/**
 * The dispatches of one product, in order, for operands [A, B, bias, out]: the transpositions of
 * A into `scratch.a` and of B into `scratch.b` where the plan has them (each must then hold the
 * transposition's `floats` floats), then the product.
 */
export function matmulCalls(
  plan: MatmulPlan,
  buffers: [GPUBuffer | Slice, GPUBuffer | Slice, GPUBuffer | Slice, GPUBuffer | Slice],
  scratch: { a?: GPUBuffer | Slice | null; b?: GPUBuffer | Slice | null } = {},
  epilogueBuffers: (GPUBuffer | Slice)[] = [],
): KernelCall[] {
  let [a, b] = buffers;
  const [, , bias, out] = buffers;
  const calls: KernelCall[] = [];
  const transpose = (
    t: Transposition,
    from: GPUBuffer | Slice,
    to: GPUBuffer | Slice | null | undefined,
    which: string,
  ) => {
    if (!to) throw new Error(`${plan.desc.name}: this product needs a scratch buffer for ${which}ᵀ`);
    calls.push({ desc: t.desc, buffers: [from, to], groups: t.groups, uniforms: t.uniforms });
    return to;
  };
  if (plan.transposeA) a = transpose(plan.transposeA, a, scratch.a, 'A');
  if (plan.transposeB) b = transpose(plan.transposeB, b, scratch.b, 'B');
  calls.push({
    desc: plan.desc,
    buffers: [a, b, bias, out, ...(plan.epilogue ? epilogueBuffers : [])],
    groups: plan.groups,
    uniforms: plan.uniforms,
  });
  return calls;
}

/**
 * Register blocking of matmul_nn_sg.wgsl per lane, measured on lavapipe (subgroups of 8) at 1024³.
 * X read transposed (matmul_tn_sg: dW, and forward and dX from SG_TILE_TN.TM rows on): 32 rows ×
 * 2 vec4 columns, dW 59–64 ms against 66–92 ms for 16 × 4 (fewer loads of W per multiply-add).
 * X read row by row (matmul_nn_sg: forward and dX of fewer rows): 16 rows × 4 vec4 columns,
 * against 8×8 (19 GFLOP/s), 8×16 (23), 24×16 and 32×8 (26, within noise); on narrow outputs
 * fewer columns (nnTile).
 */
const SG_TILE = { TM: 16, CN: 4 } as const;
export const SG_TILE_TN = { TM: 32, CN: 2 } as const;

/**
 * The nn tile for an output N columns wide: a workgroup covers SG · CN vec4 columns, so on
 * outputs narrower than that most of its lanes' columns would be past N, computed and never
 * stored (at N = 64 on lavapipe, half of them). Fewer columns where N is that narrow: at 64³
 * forward 0.063–0.075 → 0.045–0.049 ms, dX 0.11–0.13 → 0.082–0.091 ms (bench, three rounds).
 */
function nnTile(N: number, sg: number): { TM: number; CN: number } {
  const n4 = Math.ceil(N / 4);
  return { TM: SG_TILE.TM, CN: n4 <= sg ? 1 : n4 <= 2 * sg ? 2 : SG_TILE.CN };
}

/**
 * What a product plan may use of the device (see `matmulTargetOf`): `tiles`, a hardware GPU, for
 * which every 4-aligned product runs the workgroup-tiled kernel; else, on a software adapter,
 * its fixed subgroup size (`subgroupSizeOf`) or null, and from how many multiply-adds forward
 * and dX read X transposed (default TRANSPOSE_MIN_WORK; the kernel tests set 0 to cover the
 * transposed path on small shapes).
 */
export interface MatmulTarget {
  subgroupSize: number | null;
  transposeMinWork?: number;
  tiles?: boolean;
}

/**
 * A product kernel with its output epilogue (shaders/mm_store*.wgsl): `name` plus the epilogue's
 * suffix, the store's include and bindings after [A, B, bias, out], and BIAS, ACT and ALPHA.
 */
function productDesc(
  name: string,
  source: string,
  bias: boolean,
  epi: Epilogue | undefined,
  constants: KernelDesc['constants'] = {},
): KernelDesc {
  const bindings: KernelDesc['bindings'] = ['read', 'read', 'read', 'rw'];
  let includes = [mmStoreWgsl];
  const all = { ...constants, BIAS: ['u32', bias ? 1 : 0] } as NonNullable<KernelDesc['constants']>;
  const uniforms: KernelDesc['uniforms'] = { M: 'u32', N: 'u32', K: 'u32' };
  if (epi) {
    Object.assign(all, { ACT: ['u32', epi.act], ALPHA: ['f32', epi.alpha] });
    bindings.push(...(epi.kind === 'act' ? (['rw'] as const) : (['read', 'rw'] as const)));
    if (epi.stats) {
      all.SAT = ['u32', epi.sat ?? 0];
      Object.assign(uniforms, { part: 'u32', groups: 'u32' });
      includes = [
        activationsWgsl,
        statsReduceWgsl,
        mmStatsWgsl,
        epi.kind === 'act' ? mmStoreActStatsWgsl : mmStoreActGradStatsWgsl,
      ];
      bindings.push('read', 'rw');
    } else {
      includes = [activationsWgsl, epi.kind === 'act' ? mmStoreActWgsl : mmStoreActGradWgsl];
    }
  }
  return {
    name: `${name}${epi ? `+${epi.kind}${epi.stats ? '+stats' : ''}` : ''}`,
    source,
    includes,
    constants: all,
    uniforms,
    bindings,
  };
}

/**
 * The register-blocked kernels (software adapters): matmul_nn_vec4 (forward, and dX on Wᵀ), or
 * with subgroups when `sg`, matmul_nn_sg (the same) and, with `transA` (X stored transposed),
 * matmul_tn_sg (dW, and forward and dX on a transposed X). `nn`: matmul_nn_sg's tile (nnTile).
 */
function registerBlockedDesc(
  bias: boolean,
  epi: Epilogue | undefined,
  sg: number | null = null,
  transA = false,
  nn: { TM: number; CN: number } = SG_TILE,
): KernelDesc {
  if (!sg) {
    const t = VEC4_TILE;
    return productDesc('matmul_nn_vec4', matmulNnVec4Wgsl, bias, epi, {
      WG_X: ['u32', t.WG_X],
      WG_Y: ['u32', t.WG_Y],
      TM: ['u32', t.NN_TM],
    });
  }
  const st = transA ? SG_TILE_TN : nn;
  return {
    ...productDesc(`matmul_${transA ? 'tn' : 'nn'}_sg`, matmulNnSgWgsl, bias, epi, {
      SG: ['u32', sg],
      TM: ['u32', st.TM],
      CN: ['u32', st.CN],
      TRANS_A: ['u32', transA ? 1 : 0],
    }),
    enables: ['subgroups'],
  };
}

/**
 * Side of the tiled kernel's square workgroup (matmul_tiled.wgsl): each workgroup computes a
 * block of 4·TILED_WG rows × 4·TILED_WG columns, stepping through k by TILED_WG.
 */
const TILED_WG = 16;

/** The workgroup-tiled kernel (hardware GPUs): forward, and dX and dW on transposed operands. */
function tiledDesc(bias: boolean, epi: Epilogue | undefined): KernelDesc {
  return productDesc('matmul_tiled', matmulTiledWgsl, bias, epi, { WG: ['u32', TILED_WG] });
}

/**
 * Chooses the kernel for one product of shape (M×K)·(K×N) → M×N. On a hardware GPU (`target.tiles`)
 * every product with N % 4 == 0 runs the workgroup-tiled kernel: forward directly, dX on Wᵀ and
 * dW on Xᵀ (transposed first). On a software adapter: the vec4 kernel of the form when
 * its vectorized dimension is a multiple of 4, else the general kernel.
 *   forward: Z(M×N) = X(M×K)·W(K×N) + b        vec4 when N % 4 == 0 (its subgroup variant where
 *                                                `target` has a fixed subgroup size; from 32 rows
 *                                                on, the tn subgroup kernel on Xᵀ)
 *   dX:      dX(M×N) = dZ(M×K)·W(N×K)ᵀ          forward kernel on Wᵀ when N % 4 == 0 and M ≥ 16
 *                                                (from 32 rows on with subgroups, on dZᵀ and Wᵀ),
 *                                                else vec4 (nt) when K % 4 == 0
 *   dW:      dW(M×N) = X(K×M)ᵀ·dZ(K×N)          the subgroup kernel (TRANS_A) when N % 4 == 0, else
 *                                                vec4 when M % 4 == 0 and N % 4 == 0
 * Every other shape takes the general kernel (matmul.wgsl, scalar register blocking).
 */
export function matmulPlan(
  form: MatmulForm,
  M: number,
  N: number,
  K: number,
  target: MatmulTarget,
  epilogue?: Epilogue,
): MatmulPlan {
  const uniforms = { M, N, K };
  const t = VEC4_TILE;
  const wg = { WG_X: ['u32', t.WG_X], WG_Y: ['u32', t.WG_Y] } as Record<string, ['u32', number]>;
  const common = {
    uniforms: { M: 'u32', N: 'u32', K: 'u32' } as const,
    bindings: ['read', 'read', 'read', 'rw'] as KernelDesc['bindings'],
  };
  const sg = target.subgroupSize;
  const sgGroups = (st: { TM: number; CN: number }, g: number): [number, number, number] => [
    Math.ceil(N / 4 / (g * st.CN)),
    Math.ceil(M / st.TM),
    1,
  ];
  const nn = sg ? nnTile(N, sg) : undefined;
  const nnGroups: [number, number, number] = nn
    ? sgGroups(nn, sg!)
    : [Math.ceil(N / 8 / t.WG_X), Math.ceil(M / (t.NN_TM * t.WG_Y)), 1];
  // An epilogue fuses only where its kind belongs: `act` after forward, `act_grad` after dX; its
  // statistics only into the subgroup kernels (`statsOk`), whose lanes merge them by subgroup operations.
  const epi = (want: Epilogue['kind'], statsOk = false): Epilogue | undefined =>
    epilogue?.kind === want ? { ...epilogue, stats: statsOk && !!epilogue.stats } : undefined;
  // A register-blocked plan with epilogue `e`: with statistics, their uniforms (one partial per workgroup).
  const blockedPlan = (
    desc: KernelDesc,
    groups: [number, number, number],
    e: Epilogue | undefined,
    rest: Partial<MatmulPlan> = {},
  ): MatmulPlan => ({
    desc,
    groups,
    epilogue: !!e,
    stats: !!e?.stats,
    ...rest,
    uniforms: e?.stats ? { ...uniforms, part: 0, groups: groups[0] * groups[1] * groups[2] } : uniforms,
  });
  if (target.tiles && N % 4 === 0) {
    const block = 4 * TILED_WG;
    const groups: [number, number, number] = [Math.ceil(N / block), Math.ceil(M / block), 1];
    if (form === 'forward') return { desc: tiledDesc(true, epi('act')), uniforms, groups, epilogue: !!epi('act') };
    if (form === 'dX')
      return {
        desc: tiledDesc(false, epi('act_grad')),
        uniforms,
        groups,
        epilogue: !!epi('act_grad'),
        transposeB: transposition(N, K),
      };
    return { desc: tiledDesc(false, undefined), uniforms, groups, epilogue: false, transposeA: transposition(K, M) };
  }
  // With subgroups, X·W runs as (Xᵀ)ᵀ·W: the kernel reads X transposed (each row of the block
  // contiguous across lanes) at 32 rows per lane; at 1024³ on lavapipe the transposition plus
  // that kernel took 63–66 ms against 72–84 ms for X read row by row. Fewer rows than a block,
  // and products too small to repay the transposition's dispatch, stay untransposed.
  const viaXt = sg !== null && M >= SG_TILE_TN.TM && M * N * K >= (target.transposeMinWork ?? TRANSPOSE_MIN_WORK);
  if (form === 'forward' && N % 4 === 0 && viaXt) {
    const e = epi('act', true);
    return blockedPlan(registerBlockedDesc(true, e, sg, true), sgGroups(SG_TILE_TN, sg), e, {
      transposeA: transposition(M, K),
    });
  }
  if (form === 'forward' && N % 4 === 0) {
    const e = epi('act', sg !== null);
    return blockedPlan(registerBlockedDesc(true, e, sg, false, nn), nnGroups, e);
  }
  if (form === 'dW' && sg && N % 4 === 0) {
    return {
      desc: registerBlockedDesc(false, undefined, sg, true),
      uniforms,
      groups: sgGroups(SG_TILE_TN, sg),
      epilogue: false,
    };
  }
  if (form === 'dW' && M % 4 === 0 && N % 4 === 0) {
    return {
      desc: { name: 'matmul_tn_vec4', source: matmulTnVec4Wgsl, constants: wg, ...common },
      uniforms,
      groups: [Math.ceil(N / 8 / t.WG_X), Math.ceil(M / 8 / t.WG_Y), 1],
      epilogue: false,
    };
  }
  if (form === 'dX' && N % 4 === 0 && viaXt) {
    // dX(M×N) = dZ(M×K)·W(N×K)ᵀ as (dZᵀ)ᵀ·Wt with Wt = Wᵀ (K×N): the forward kernel on both transposed.
    const e = epi('act_grad', true);
    return blockedPlan(registerBlockedDesc(false, e, sg, true), sgGroups(SG_TILE_TN, sg), e, {
      transposeA: transposition(M, K),
      transposeB: transposition(N, K),
    });
  }
  if (form === 'dX' && N % 4 === 0 && M >= TRANSPOSE_MIN_ROWS) {
    // dX(M×N) = dZ(M×K)·W(N×K)ᵀ as dZ·Wt with Wt = Wᵀ (K×N): the forward kernel, without bias.
    const e = epi('act_grad', sg !== null);
    return blockedPlan(registerBlockedDesc(false, e, sg, false, nn), nnGroups, e, { transposeB: transposition(N, K) });
  }
  if (form === 'dX' && K % 4 === 0) {
    return {
      desc: {
        name: 'matmul_nt_vec4',
        source: matmulNtVec4Wgsl,
        constants: { ...wg, TM: ['u32', t.NT_TM], TN: ['u32', t.NT_TN] },
        ...common,
      },
      uniforms,
      groups: [Math.ceil(N / (t.NT_TN * t.WG_X)), Math.ceil(M / (t.NT_TM * t.WG_Y)), 1],
      epilogue: false,
    };
  }
  return {
    desc: matmulKernel(form === 'dW', form === 'dX', form === 'forward'),
    groups: matmulGroups(M, N),
    uniforms,
    epilogue: false,
  };
}

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
  return { name: 'softmax', source: softmaxWgsl, uniforms: { rows: 'u32', units: 'u32' }, bindings: ['read', 'rw'] };
}

export function colsumKernel(): KernelDesc {
  return { name: 'colsum', source: colsumWgsl, uniforms: { rows: 'u32', cols: 'u32' }, bindings: ['read', 'rw'] };
}

export function gatherKernel(): KernelDesc {
  return {
    name: 'gather',
    source: gatherWgsl,
    uniforms: { batch: 'u32', width: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/** `kind`: 1 uniform, 2 normal, 3 truncated normal (see shaders/init.wgsl). */
export function initKernel(kind: 1 | 2 | 3): KernelDesc {
  return {
    name: 'init',
    source: initWgsl,
    includes: [rngWgsl],
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

export function lossKernel(loss: number, act: number, alpha: number, fused: boolean): KernelDesc {
  return {
    name: 'loss',
    source: lossWgsl,
    includes: [activationsWgsl],
    constants: { LOSS: ['u32', loss], ACT: ['u32', act], ALPHA: ['f32', alpha], FUSED: ['u32', fused ? 1 : 0] },
    uniforms: { batch: 'u32', units: 'u32' },
    bindings: ['read', 'read', 'read', 'read', 'rw', 'rw', 'rw'],
  };
}

export function accumulateKernel(): KernelDesc {
  return { name: 'accumulate', source: accumulateWgsl, bindings: ['read', 'read', 'rw'] };
}

/** The optimizer kernel's id (`OPT`) and uniforms for a configured optimizer. */
export function optimizerKind(o: OptimizerConfig): { id: number; u: Record<string, number> } {
  switch (o.name) {
    case 'sgd':
      return {
        id: o.momentum === 0 ? 0 : o.nesterov ? 2 : 1,
        u: { lr: o.learning_rate, c1: o.momentum, c2: 0, eps: 0 },
      };
    case 'adam':
      return { id: 3, u: { lr: o.learning_rate, c1: o.beta_1, c2: o.beta_2, eps: o.epsilon } };
    case 'rmsprop':
      return { id: 4, u: { lr: o.learning_rate, c1: 0, c2: o.rho, eps: o.epsilon } };
  }
}

const OPTIMIZER_UNIFORMS = { lr: 'f32', c1: 'f32', c2: 'f32', eps: 'f32' } as const;

/**
 * `opt`: 0 sgd, 1 momentum, 2 nesterov, 3 adam, 4 rmsprop. Four elements per invocation:
 * dispatch ceil(n / 4) invocations, over tensors of whole vec4s.
 */
export function optimizerKernel(opt: number): KernelDesc {
  return {
    name: 'optimizer',
    source: optimizerWgsl,
    includes: [optimizerUpdateWgsl],
    constants: { OPT: ['u32', opt] },
    uniforms: { n: 'u32', ...OPTIMIZER_UNIFORMS },
    bindings: ['rw', 'read', 'rw', 'rw', 'read'],
  };
}

/**
 * Workgroup size of the statistics kernels (at least HIST_BINS). A software adapter runs a
 * workgroup's lane groups as coroutines on one thread, and every barrier of the tree reductions
 * switches through all of them: at 256 a 256K-element pass took 1.2 ms on lavapipe, at 64 0.6 ms
 * (32 measured alike). 64 is also a common reduction size on GPUs.
 */
const STATS_WG = 64;

/** Uniforms shared by every statistics kernel. */
const STATS_UNIFORMS = { n: 'u32', width: 'u32', groups: 'u32', part: 'u32' } as const;

function statsConstants(sat: number, perRow: boolean): KernelDesc['constants'] {
  const slot = Object.fromEntries(
    Object.entries(SLOT).map(([k, v]) => [`SLOT_${k.toUpperCase()}`, ['u32', v]]),
  ) as Record<string, ['u32', number]>;
  return {
    ...slot,
    WG: ['u32', STATS_WG],
    HIST_BINS: ['u32', HIST_BINS],
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

/** `parts`: how many partials pass 1 left from `part` (its `groups`, or a product's workgroups: shaders/mm_stats.wgsl). */
export function statsHistKernel(perRow: boolean): KernelDesc {
  return {
    name: 'stats_hist',
    source: statsHistWgsl,
    includes: [statsCommonWgsl, statsReadWgsl],
    constants: statsConstants(0, perRow),
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
    includes: [optimizerUpdateWgsl, statsCommonWgsl, statsReduceWgsl],
    constants: { ...statsConstants(0, false), OPT: ['u32', opt], APPLY: ['u32', apply ? 1 : 0] },
    uniforms: { ...STATS_UNIFORMS, ...OPTIMIZER_UNIFORMS },
    bindings: ['rw', 'read', 'rw', 'rw', 'read', 'rw'],
  };
}

/**
 * Pass 3 for every slot of a record in one dispatch of `tasks.length` workgroups; its buffers:
 * [cur, part1, part2, the tasks (statsTasks), the slots].
 */
export function statsFinalKernel(): KernelDesc {
  return {
    name: 'stats_final',
    source: statsFinalWgsl,
    constants: statsConstants(0, false),
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
 * Elements per workgroup above which a tensor's statistics are split over several workgroups.
 * On a software adapter large: it has a couple of threads, and per-workgroup costs (the barrier
 * tree, pass 2's serial read of every partial) dominated at 4096 (8×512 network: pass 1 of every
 * record 34 ms at 4096, 21 ms at 32768 on lavapipe). On a hardware GPU small: each invocation's
 * loads wait on memory one after another, so a pass over 256K elements in 8 workgroups took
 * ~70 µs on an H200 (7 ms of statistics per 16×1024 step, bench/nvidia-h200); 4096 gives 64.
 */
export const STATS_CHUNK = { software: 32768, hardware: 4096 } as const;
/** Most workgroups one tensor's statistics use (passes 2 and 3 sum their partials serially). */
export const STATS_MAX_GROUPS = 64;
/** Floats per pass-1 and pass-2 partial. */
export const STATS_PART1 = 8;
export const STATS_PART2 = HIST_BINS;

/** Workgroups for the statistics of a tensor of `maxCount` elements (`hardware`: see STATS_CHUNK). */
export function statsGroups(maxCount: number, hardware = false): number {
  return Math.min(STATS_MAX_GROUPS, Math.max(1, Math.ceil(maxCount / STATS_CHUNK[hardware ? 'hardware' : 'software'])));
}
