/**
 * @file The product kernels' descriptors: one factory per WGSL file, with the epilogue that
 * ends the product (shaders/mm_store*.wgsl) wired in, and the transposition some plans run
 * first. Which kernel a product runs is products.ts's business; this file only describes them.
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
import type { KernelDesc } from './kernel';

/**
 * Elementwise work fused into the end of a product, saving a pass over its output:
 *   act       forward: also A = f(Z); extra buffers [A]
 *   act_grad  dX: also dZ = dX ⊙ f'(Z) for the layer below; extra buffers [that layer's Z, its dZ]
 * `stats` (a recorded step): the epilogue also reduces what it stores into pass 1 of the
 * statistics, Z's and A's (A's saturation in mode `sat`) or dA's (shaders/mm_stats.wgsl); only
 * the subgroup kernels can, whose lanes merge them by subgroup operations.
 */
export interface Epilogue {
  kind: 'act' | 'act_grad';
  act: number;
  alpha: number;
  stats?: boolean;
  sat?: number;
}

/** Compile-time constants of u32 values (booleans as 0 and 1). */
function u32s(values: Record<string, number | boolean>): NonNullable<KernelDesc['constants']> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, ['u32', Number(v)]]));
}

/** The general kernel's register blocking (matmul.wgsl): 8 rows × 8 scalar columns per invocation. */
export const GENERAL_TILE = { WG_X: 8, WG_Y: 8, TM: 8, TN: 8 } as const;

/** op(A)·op(B) (+ bias) for any shape. */
export function generalDesc(transA: boolean, transB: boolean, bias: boolean): KernelDesc {
  const t = GENERAL_TILE;
  return {
    name: 'matmul',
    source: matmulWgsl,
    constants: u32s({ ...t, TRANS_A: transA, TRANS_B: transB, BIAS: bias }),
    uniforms: { M: 'u32', N: 'u32', K: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/**
 * Register blocking of the vec4 kernels: 8×8 invocations; nn (forward, dX on Wᵀ) and tn (dW) 8
 * rows × 8 columns each, nt (dX on W as stored) 4 × 4.
 */
export const VEC4_TILE = { WG_X: 8, WG_Y: 8, NN_TM: 8, NT_TM: 4, NT_TN: 4 } as const;

/**
 * A product kernel with its output epilogue: `name` plus the epilogue's suffix, the store's
 * include and bindings after [A, B, bias, out], and BIAS, ACT and ALPHA.
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

/** matmul_nn_vec4: X·W (+ bias) for N % 4 == 0, with its epilogue. */
export function nnVec4Desc(bias: boolean, epi: Epilogue | undefined): KernelDesc {
  const t = VEC4_TILE;
  return productDesc('matmul_nn_vec4', matmulNnVec4Wgsl, bias, epi, u32s({ WG_X: t.WG_X, WG_Y: t.WG_Y, TM: t.NN_TM }));
}

/** A kernel without epilogue or bias: [A, B, unused, out]. */
function plainDesc(name: string, source: string, constants: Record<string, number>): KernelDesc {
  return {
    name,
    source,
    constants: u32s(constants),
    uniforms: { M: 'u32', N: 'u32', K: 'u32' },
    bindings: ['read', 'read', 'read', 'rw'],
  };
}

/** matmul_nt_vec4: dZ·Wᵀ on W as stored, for K % 4 == 0 (no epilogue). */
export function ntVec4Desc(): KernelDesc {
  const t = VEC4_TILE;
  return plainDesc('matmul_nt_vec4', matmulNtVec4Wgsl, { WG_X: t.WG_X, WG_Y: t.WG_Y, TM: t.NT_TM, TN: t.NT_TN });
}

/** matmul_tn_vec4: Xᵀ·dZ for M % 4 == 0 and N % 4 == 0 (no epilogue). */
export function tnVec4Desc(): KernelDesc {
  return plainDesc('matmul_tn_vec4', matmulTnVec4Wgsl, { WG_X: VEC4_TILE.WG_X, WG_Y: VEC4_TILE.WG_Y });
}

/** A subgroup kernel's register blocking per lane: TM rows × CN vec4 columns. */
export interface SgTile {
  TM: number;
  CN: number;
}

/**
 * matmul_nn_sg.wgsl for subgroups of `sg`: matmul_nn_sg (X read row by row) or, with `transA`
 * (X stored transposed), matmul_tn_sg.
 */
export function sgDesc(
  bias: boolean,
  epi: Epilogue | undefined,
  sg: number,
  transA: boolean,
  tile: SgTile,
): KernelDesc {
  return {
    ...productDesc(
      `matmul_${transA ? 'tn' : 'nn'}_sg`,
      matmulNnSgWgsl,
      bias,
      epi,
      u32s({ SG: sg, ...tile, TRANS_A: transA }),
    ),
    enables: ['subgroups'],
  };
}

/**
 * A tile shape of matmul_tiled.wgsl: WG_X × WG_Y invocations, each TM rows × CN vec4 columns,
 * k in slices of TK. Its block is TM·WG_Y rows × 4·CN·WG_X columns; its workgroup memory
 * (TM·WG_Y + 4·CN·WG_X)·TK floats, at most 16 KiB (WebGPU's default limit).
 */
export interface TiledShape {
  WG_X: number;
  WG_Y: number;
  TM: number;
  CN: number;
  TK: number;
}

export const tiledBlock = (s: TiledShape) => ({ rows: s.TM * s.WG_Y, cols: 4 * s.CN * s.WG_X });

/** matmul_tiled.wgsl in tile shape `s`: op(A)·op(B) (+ bias) for N % 4 == 0, with its epilogue. */
export function tiledDesc(
  s: TiledShape,
  transA: boolean,
  transB: boolean,
  bias: boolean,
  epi: Epilogue | undefined,
): KernelDesc {
  const { rows, cols } = tiledBlock(s);
  return productDesc(
    `matmul_tiled_${rows}x${cols}`,
    matmulTiledWgsl,
    bias,
    epi,
    u32s({ ...s, TRANS_A: transA, TRANS_B: transB }),
  );
}

/** The transposition of a rows×cols operand into a scratch buffer, ahead of a product. */
export interface Transposition {
  desc: KernelDesc;
  groups: [number, number, number];
  uniforms: { rows: number; cols: number };
  floats: number;
}

/** The transposition's tiling: 8×8 invocations, each moving a 4×4 block. */
const TRANSPOSE_TILE = { WG_X: 8, WG_Y: 8, BLOCK: 4 } as const;

/** transpose_vec4 where rows and cols are multiples of 4 (blocks of 4×4 as vec4s), else transpose. */
export function transposition(rows: number, cols: number): Transposition {
  const t = TRANSPOSE_TILE;
  const vec4 = rows % 4 === 0 && cols % 4 === 0;
  return {
    desc: {
      name: vec4 ? 'transpose_vec4' : 'transpose',
      source: vec4 ? transposeVec4Wgsl : transposeWgsl,
      uniforms: { rows: 'u32', cols: 'u32' },
      bindings: ['read', 'rw'],
      constants: { WG_X: ['u32', t.WG_X], WG_Y: ['u32', t.WG_Y], BLOCK: ['u32', t.BLOCK] },
    },
    groups: [Math.ceil(cols / (t.WG_X * t.BLOCK)), Math.ceil(rows / (t.WG_Y * t.BLOCK)), 1],
    uniforms: { rows, cols },
    floats: rows * cols,
  };
}

/** Every WGSL source a product may run (its kernels, epilogues and transpositions). */
export const PRODUCT_SOURCES: readonly string[] = [
  activationsWgsl,
  matmulWgsl,
  matmulNnSgWgsl,
  matmulNnVec4Wgsl,
  matmulNtVec4Wgsl,
  matmulTiledWgsl,
  matmulTnVec4Wgsl,
  mmStatsWgsl,
  mmStoreWgsl,
  mmStoreActWgsl,
  mmStoreActGradWgsl,
  mmStoreActGradStatsWgsl,
  mmStoreActStatsWgsl,
  statsReduceWgsl,
  transposeWgsl,
  transposeVec4Wgsl,
];
