/**
 * @file The products of a dense layer (forward, dX, dW): which kernel each shape runs on this
 * device, its epilogue, and the transpositions it needs first.
 */
import activationsWgsl from '../../shaders/activations.wgsl?raw';
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
import statsReduceWgsl from '../../shaders/stats_reduce.wgsl?raw';
import transposeWgsl from '../../shaders/transpose.wgsl?raw';
import transposeVec4Wgsl from '../../shaders/transpose_vec4.wgsl?raw';
import type { KernelDesc, Slice } from './kernel';

/**
 * The device's subgroup size when subgroups are enabled and the size is fixed (the adapter's
 * minimum and maximum agree), else null: kernels that make one workgroup one subgroup need it
 * at compile time.
 */
export function subgroupSizeOf(device: GPUDevice): number | null {
  if (!device.features.has('subgroups')) return null;
  const info = (device as GPUDevice & { adapterInfo?: { subgroupMinSize?: number; subgroupMaxSize?: number } })
    .adapterInfo;
  const min = info?.subgroupMinSize,
    max = info?.subgroupMaxSize;
  return min && min === max && min >= 4 && min <= 64 ? min : null;
}

/**
 * Whether the device is a software adapter: WebGPU's `isFallbackAdapter` (lavapipe and SwiftShader
 * report true, a hardware GPU false). Unknown counts as hardware, what nearly every user has.
 */
export function isSoftwareAdapter(device: GPUDevice): boolean {
  return (
    (device as GPUDevice & { adapterInfo?: { isFallbackAdapter?: boolean } }).adapterInfo?.isFallbackAdapter === true
  );
}

/**
 * The product kernels for this device (kernels.ts, MatmulTarget): the workgroup-tiled kernel on a
 * hardware GPU; on a software adapter, whose invocations are a CPU's SIMD lanes, the register and
 * subgroup kernels (faster there, bench/REPORT.md).
 */
export function matmulTargetOf(device: GPUDevice): MatmulTarget {
  const software = isSoftwareAdapter(device);
  return { subgroupSize: software ? subgroupSizeOf(device) : null, tiles: !software };
}

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
