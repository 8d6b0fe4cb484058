/**
 * @file The products of a dense layer (forward, dX, dW) as a family of variants: each variant
 * is one way to compute a product (a kernel, its tiling, the transpositions it needs first) and
 * is correct on every shape it takes. Which variant a product runs on a device is measured
 * there (tuner.ts), never guessed from the adapter; this file plans a given variant.
 */
import type { KernelDesc, Slice } from './kernel';
import {
  type Epilogue,
  GENERAL_TILE,
  generalDesc,
  nnVec4Desc,
  ntVec4Desc,
  PRODUCT_SOURCES,
  type SgTile,
  sgDesc,
  type TiledShape,
  type Transposition,
  tiledBlock,
  tiledDesc,
  tnVec4Desc,
  transposition,
  VEC4_TILE,
} from './product-kernels';

export type { Epilogue, Transposition } from './product-kernels';

/** The three products of a dense layer. */
export type MatmulForm = 'forward' | 'dX' | 'dW';
export const FORMS: readonly MatmulForm[] = ['forward', 'dX', 'dW'];

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

/** What a device offers the variants: a fixed subgroup size (`subgroupSizeOf`) or none. */
export interface ProductCaps {
  subgroupSize: number | null;
}

export function productCapsOf(device: GPUDevice): ProductCaps {
  return { subgroupSize: subgroupSizeOf(device) };
}

export interface MatmulPlan {
  /** The variant planned (PRODUCT_VARIANTS). */
  variant: string;
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
   * buffers [stepInfo, part1] after the epilogue's own.
   */
  stats?: boolean;
}

/** A plan before its variant's name and uniforms are filled in. */
type Draft = Omit<MatmulPlan, 'variant' | 'uniforms' | 'stats'> & { statsFused?: boolean };

/** The products' shapes (M×K)·(K×N) → M×N, as every variant receives them. */
interface Shape {
  form: MatmulForm;
  M: number;
  N: number;
  K: number;
  caps: ProductCaps;
  /**
   * The requested epilogue where it belongs after this form (`act` after forward, `act_grad`
   * after dX, none after dW), with its statistics only where `statsOk`.
   */
  epi(statsOk?: boolean): Epilogue | undefined;
}

interface Variant {
  id: string;
  /** The plan of this variant for the shape, or null where it cannot take it. */
  draft(s: Shape): Draft | null;
}

/**
 * Register blocking of the subgroup kernels per lane. X read transposed (matmul_tn_sg: dW, and
 * the transposing variant of forward and dX): 32 rows × 2 vec4 columns. X read row by row:
 * 16 rows × 4 vec4 columns, fewer columns on narrow outputs (nnTile).
 */
export const SG_TILE_TN: SgTile = { TM: 32, CN: 2 };
const SG_TILE_NN: SgTile = { TM: 16, CN: 4 };

/**
 * The nn tile for an output N columns wide: a workgroup covers SG · CN vec4 columns, so on
 * outputs narrower than that most of its lanes' columns would be past N, computed and never
 * stored. Fewer columns where N is that narrow.
 */
function nnTile(N: number, sg: number): SgTile {
  const n4 = Math.ceil(N / 4);
  return { TM: SG_TILE_NN.TM, CN: n4 <= sg ? 1 : n4 <= 2 * sg ? 2 : SG_TILE_NN.CN };
}

const sgGroups = (s: Shape, t: SgTile): [number, number, number] => [
  Math.ceil(s.N / 4 / (s.caps.subgroupSize! * t.CN)),
  Math.ceil(s.M / t.TM),
  1,
];

/** The general kernel (matmul.wgsl): any shape, no epilogue. */
const GENERAL: Variant = {
  id: 'general',
  draft: (s) => ({
    desc: generalDesc(s.form === 'dW', s.form === 'dX', s.form === 'forward'),
    groups: [
      Math.ceil(s.N / (GENERAL_TILE.TN * GENERAL_TILE.WG_X)),
      Math.ceil(s.M / (GENERAL_TILE.TM * GENERAL_TILE.WG_Y)),
      1,
    ],
    epilogue: false,
  }),
};

/** The vec4 register-blocked kernels: forward, dX on a transposed W, dW (tn) where M % 4 == 0 too. */
const VEC4: Variant = {
  id: 'vec4',
  draft(s) {
    const t = VEC4_TILE;
    if (s.N % 4 !== 0 || (s.form === 'dW' && s.M % 4 !== 0)) return null;
    if (s.form === 'dW')
      return {
        desc: tnVec4Desc(),
        groups: [Math.ceil(s.N / 8 / t.WG_X), Math.ceil(s.M / 8 / t.WG_Y), 1],
        epilogue: false,
      };
    const e = s.epi();
    return {
      desc: nnVec4Desc(s.form === 'forward', e),
      groups: [Math.ceil(s.N / 8 / t.WG_X), Math.ceil(s.M / (t.NN_TM * t.WG_Y)), 1],
      epilogue: !!e,
      transposeB: s.form === 'dX' ? transposition(s.N, s.K) : undefined,
    };
  },
};

/** dX on W as stored, reading both operands along k as vec4s (K % 4 == 0; no epilogue). */
const VEC4_NT: Variant = {
  id: 'vec4-nt',
  draft(s) {
    const t = VEC4_TILE;
    if (s.form !== 'dX' || s.K % 4 !== 0) return null;
    const groups: [number, number, number] = [
      Math.ceil(s.N / (t.NT_TN * t.WG_X)),
      Math.ceil(s.M / (t.NT_TM * t.WG_Y)),
      1,
    ];
    return { desc: ntVec4Desc(), groups, epilogue: false };
  },
};

/**
 * The subgroup kernels (a fixed subgroup size): forward and dX (on a transposed W) reading X
 * row by row, dW reading X transposed as it is stored. Their epilogues take statistics.
 */
const SG: Variant = {
  id: 'sg',
  draft(s) {
    const sg = s.caps.subgroupSize;
    if (!sg || s.N % 4 !== 0) return null;
    if (s.form === 'dW')
      return { desc: sgDesc(false, undefined, sg, true, SG_TILE_TN), groups: sgGroups(s, SG_TILE_TN), epilogue: false };
    return sgProduct(s, sg, false, nnTile(s.N, sg));
  },
};

/**
 * Forward and dX through a transposition of X (dZ) first, so that the subgroup kernel reads its
 * rows contiguous across lanes (matmul_tn_sg, dW's kernel), at 32 rows per lane.
 */
const SG_T: Variant = {
  id: 'sg-t',
  draft(s) {
    const sg = s.caps.subgroupSize;
    if (!sg || s.N % 4 !== 0 || s.form === 'dW') return null;
    return sgProduct(s, sg, true, SG_TILE_TN);
  },
};

/**
 * A subgroup plan of forward or dX (on a transposed W): X (dZ) read row by row, or with `transA`
 * transposed first.
 */
function sgProduct(s: Shape, sg: number, transA: boolean, tile: SgTile): Draft {
  const e = s.epi(true);
  return {
    desc: sgDesc(s.form === 'forward', e, sg, transA, tile),
    groups: sgGroups(s, tile),
    epilogue: !!e,
    statsFused: !!e?.stats,
    transposeA: transA ? transposition(s.M, s.K) : undefined,
    transposeB: s.form === 'dX' ? transposition(s.N, s.K) : undefined,
  };
}

/**
 * The tile shapes of matmul_tiled.wgsl in the family: blocks of 32² to 128², 4×4 to 8×8 outputs
 * per invocation, slices of 8 or 16 steps of k: 4 to 8 KiB of workgroup memory (a software
 * adapter's shader compiler takes seconds over a kernel with more).
 */
const TILED_SHAPES: readonly TiledShape[] = [
  { WG_X: 8, WG_Y: 8, TM: 4, CN: 1, TK: 16 },
  { WG_X: 16, WG_Y: 16, TM: 4, CN: 1, TK: 16 },
  { WG_X: 8, WG_Y: 8, TM: 8, CN: 2, TK: 16 },
  { WG_X: 16, WG_Y: 16, TM: 4, CN: 2, TK: 8 },
  { WG_X: 16, WG_Y: 16, TM: 8, CN: 1, TK: 8 },
  { WG_X: 16, WG_Y: 16, TM: 8, CN: 2, TK: 8 },
];

/** The workgroup-tiled kernel in one tile shape: every form, reading Wᵀ (dX) and Xᵀ (dW) directly. */
function tiledVariant(shape: TiledShape): Variant {
  const { rows, cols } = tiledBlock(shape);
  return {
    id: `tiled-${rows}x${cols}-${shape.TM}x${4 * shape.CN}`,
    draft(s) {
      if (s.N % 4 !== 0) return null;
      const e = s.epi();
      return {
        desc: tiledDesc(shape, s.form === 'dW', s.form === 'dX', s.form === 'forward', e),
        groups: [Math.ceil(s.N / cols), Math.ceil(s.M / rows), 1],
        epilogue: !!e,
      };
    },
  };
}

const VARIANTS: readonly Variant[] = [GENERAL, VEC4, VEC4_NT, SG, SG_T, ...TILED_SHAPES.map(tiledVariant)];

/** Every variant's name, in a fixed order. */
export const PRODUCT_VARIANTS: readonly string[] = VARIANTS.map((v) => v.id);

/**
 * The plan of `variant` for one product of shape (M×K)·(K×N) → M×N, or null where the variant
 * cannot take that shape on a device with `caps`:
 *   forward: Z(M×N) = X(M×K)·W(K×N) + b
 *   dX:      dX(M×N) = dZ(M×K)·W(N×K)ᵀ
 *   dW:      dW(M×N) = X(K×M)ᵀ·dZ(K×N)
 * `epilogue` is fused where the variant's kernel has it for the form (`act` after forward,
 * `act_grad` after dX; its statistics only in the subgroup kernels); else the plan says
 * `epilogue: false` and the caller runs the activation kernels.
 */
export function matmulPlan(
  form: MatmulForm,
  M: number,
  N: number,
  K: number,
  variant: string,
  caps: ProductCaps,
  epilogue?: Epilogue,
): MatmulPlan | null {
  const v = VARIANTS.find((x) => x.id === variant);
  if (!v)
    throw new Error(`unknown product variant ${JSON.stringify(variant)}; variants: ${PRODUCT_VARIANTS.join(', ')}`);
  const kind = { forward: 'act', dX: 'act_grad', dW: null }[form];
  const epi = (statsOk = false): Epilogue | undefined =>
    epilogue && epilogue.kind === kind ? { ...epilogue, stats: statsOk && !!epilogue.stats } : undefined;
  const draft = v.draft({ form, M, N, K, caps, epi });
  if (!draft) return null;
  const { statsFused, ...plan } = draft;
  const uniforms = { M, N, K };
  if (!statsFused) return { variant, ...plan, uniforms, stats: false };
  return { variant, ...plan, stats: true, uniforms: { ...uniforms, part: 0, groups: plan.groups[0] * plan.groups[1] } };
}

/** The variants that can take a product of this shape on a device with `caps`. */
export function productVariants(form: MatmulForm, M: number, N: number, K: number, caps: ProductCaps): string[] {
  return PRODUCT_VARIANTS.filter((v) => matmulPlan(form, M, N, K, v, caps) !== null);
}

/** What a plan runs, for reports: its kernel, after the transpositions it needs. */
export function planName(plan: MatmulPlan): string {
  return plan.transposeA || plan.transposeB ? `transpose + ${plan.desc.name}` : plan.desc.name;
}

/**
 * The version of the product kernels: a hash of every source they are built from and of the
 * variants' parameters. A tuning result measured under another version is stale.
 */
export const PRODUCT_KERNELS_VERSION = fnv1a(
  [
    ...PRODUCT_SOURCES,
    JSON.stringify([PRODUCT_VARIANTS, TILED_SHAPES, SG_TILE_TN, SG_TILE_NN, VEC4_TILE, GENERAL_TILE]),
  ].join('\0'),
);

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
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

/** Which variant each product of a network runs: what the tuner measured (tuner.ts), or a fixed choice. */
export interface ProductChoices {
  variantFor(form: MatmulForm, M: number, N: number, K: number): string;
}

/**
 * The plan of the chosen variant for a product, or of the general kernel where the choice
 * cannot take the shape (every choice the tuner makes can: it times only variants that do).
 */
export function chosenPlan(
  choices: ProductChoices,
  caps: ProductCaps,
  form: MatmulForm,
  M: number,
  N: number,
  K: number,
  epilogue?: Epilogue,
): MatmulPlan {
  const plan = matmulPlan(form, M, N, K, choices.variantFor(form, M, N, K), caps, epilogue);
  return plan ?? (matmulPlan(form, M, N, K, 'general', caps, epilogue) as MatmulPlan);
}
