// The dense layer's three products, C = A·B over strided operands, cache-blocked and
// register-tiled (see ../README.md): a chunk is one MC × NC block of C; for every KC-deep slice
// of the inner dimension it packs its B block into 8-column panels and its A block into 4-row
// panels (both contiguous, so the inner loop streams them whatever the operands' layout: a
// transposed operand read in place walks one cache line per step, 4 KiB apart at 1024 wide),
// then runs a 4 × 8 micro-kernel over the panels: 8 accumulators of four lanes stay in
// registers while each step loads 2 vectors of B and splats 4 scalars of A. Partial sums live in C between slices; after the last slice each tile gets
// its epilogue while it is still in L1 (bias and activation for the forward product, the
// activation's derivative for dX).
import { actDerivative, actForward, ACT_SOFTMAX, isVectorAct, vectorDerivativeTimes, vectorForward } from './activations';

/** Rows and columns of C per chunk, and the depth of one packed slice of B. */
export const MC = 64;
export const NC = 128;
export const KC = 256;
/** Bytes of scratch one thread needs: a packed B slice, a packed A slice and one spare tile. */
export const GEMM_SCRATCH: i32 = KC * NC * 4 + MC * KC * 4 + 4 * 8 * 4;
const A_PACK: usize = KC * NC * 4;
const TILE: usize = A_PACK + MC * KC * 4;

export const EPI_NONE = 0;
/** C = Z: adds the bias and stores A = f(Z) into `out2` (not for softmax, a row operation). */
export const EPI_FORWARD = 1;
/** C = dA of the layer below: stores dZ = dA ⊙ f'(z) into `out2`, `z` that layer's Z (a hidden layer: never softmax). */
export const EPI_BACKWARD = 2;

export function gemmChunks(rows: i32, cols: i32): i32 {
  return ((rows + MC - 1) / MC) * ((cols + NC - 1) / NC);
}

// @ts-ignore: decorator
@inline
function kernel4x8(ap: usize, bp: usize, kc: i32, cp: usize, cRow: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (!first) {
    c00 = v128.load(cp); c01 = v128.load(cp, 16);
    c10 = v128.load(cp + cRow); c11 = v128.load(cp + cRow, 16);
    c20 = v128.load(cp + 2 * cRow); c21 = v128.load(cp + 2 * cRow, 16);
    c30 = v128.load(cp + 3 * cRow); c31 = v128.load(cp + 3 * cRow, 16);
  }
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  v128.store(cp, c00); v128.store(cp, c01, 16);
  v128.store(cp + cRow, c10); v128.store(cp + cRow, c11, 16);
  v128.store(cp + 2 * cRow, c20); v128.store(cp + 2 * cRow, c21, 16);
  v128.store(cp + 3 * cRow, c30); v128.store(cp + 3 * cRow, c31, 16);
}

/**
 * Packs B(p, j) for p < kc, j < nc (byte strides bStep, bCol) into panels of 8 columns, each
 * kc × 8 floats, zero past nc. When `colsum` is set, adds each column's sum over the slice to it.
 */
function packB(b: usize, bStep: usize, bCol: usize, kc: i32, nc: i32, dst: usize, colsum: usize): void {
  for (let j0 = 0; j0 < nc; j0 += 8) {
    const width = min(8, nc - j0);
    const panel = dst + <usize>(j0 * kc) * 4;
    const src = b + <usize>j0 * bCol;
    if (width == 8 && bCol == 4) {
      for (let p = 0; p < kc; p++) {
        const row = src + <usize>p * bStep;
        v128.store(panel + <usize>p * 32, v128.load(row));
        v128.store(panel + <usize>p * 32, v128.load(row, 16), 16);
      }
    } else {
      // Column by column: along p when B is stored transposed (dX reads W's rows this way).
      for (let j = 0; j < 8; j++) {
        const col = src + <usize>j * bCol;
        if (j < width) for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * 8 + j) * 4, load<f32>(col + <usize>p * bStep));
        else for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * 8 + j) * 4, 0);
      }
    }
    if (colsum) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      for (let p = 0; p < kc; p++) {
        s0 = f32x4.add(s0, v128.load(panel + <usize>p * 32));
        s1 = f32x4.add(s1, v128.load(panel + <usize>p * 32, 16));
      }
      const sums = dst + <usize>(KC * NC) * 4;
      v128.store(sums, s0);
      v128.store(sums, s1, 16);
      for (let j = 0; j < width; j++) {
        const at = colsum + <usize>(j0 + j) * 4;
        store<f32>(at, load<f32>(at) + load<f32>(sums + <usize>j * 4));
      }
    }
  }
}

/**
 * Packs A(i, p) for i < mc, p < kc (byte strides aRow, aStep) into panels of 4 rows, each kc × 4
 * floats (the 4 rows' values of one step side by side), zero past mc.
 */
function packA(a: usize, aRow: usize, aStep: usize, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const h = min(4, mc - i0);
    const panel = dst + <usize>(i0 * kc) * 4;
    const src = a + <usize>i0 * aRow;
    if (h == 4 && aRow == 4) {
      // A stored transposed (dW's Xᵀ): a step's 4 rows are adjacent.
      for (let p = 0; p < kc; p++) v128.store(panel + <usize>p * 16, v128.load(src + <usize>p * aStep));
      continue;
    }
    for (let r = 0; r < 4; r++) {
      const row = src + <usize>r * aRow;
      if (r < h) for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * 4 + r) * 4, load<f32>(row + <usize>p * aStep));
      else for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * 4 + r) * 4, 0);
    }
  }
}

/** Bias, activation or derivative over one h × w tile of C at `cp` (element offset `at` in out2 and z). */
function epilogue(
  cp: usize, cRow: usize, h: i32, w: i32, bias: usize, epi: i32, act: i32, alpha: f32, out2: usize, z: usize,
): void {
  const alphas = f32x4.splat(alpha);
  if (epi == EPI_FORWARD) {
    for (let r = 0; r < h; r++) {
      const row = cp + <usize>r * cRow, outRow = out2 + <usize>r * cRow;
      if (w == 8 && isVectorAct(act)) {
        let z0: v128 = v128.load(row), z1: v128 = v128.load(row, 16);
        if (bias) {
          z0 = f32x4.add(z0, v128.load(bias));
          z1 = f32x4.add(z1, v128.load(bias, 16));
          v128.store(row, z0);
          v128.store(row, z1, 16);
        }
        v128.store(outRow, vectorForward(act, alphas, z0));
        v128.store(outRow, vectorForward(act, alphas, z1), 16);
        continue;
      }
      for (let j = 0; j < w; j++) {
        let v = load<f32>(row + <usize>j * 4);
        if (bias) {
          v += load<f32>(bias + <usize>j * 4);
          store<f32>(row + <usize>j * 4, v);
        }
        if (act != ACT_SOFTMAX) store<f32>(outRow + <usize>j * 4, <f32>actForward(act, alpha, v));
      }
    }
  } else if (epi == EPI_BACKWARD) {
    for (let r = 0; r < h; r++) {
      const row = cp + <usize>r * cRow, outRow = out2 + <usize>r * cRow, zRow = z + <usize>r * cRow;
      if (w == 8 && isVectorAct(act)) {
        v128.store(outRow, vectorDerivativeTimes(act, alphas, v128.load(zRow), v128.load(row)));
        v128.store(outRow, vectorDerivativeTimes(act, alphas, v128.load(zRow, 16), v128.load(row, 16)), 16);
        continue;
      }
      for (let j = 0; j < w; j++) {
        const g = load<f32>(row + <usize>j * 4);
        store<f32>(outRow + <usize>j * 4, <f32>(<f64>g * actDerivative(act, alpha, load<f32>(zRow + <usize>j * 4))));
      }
    }
  }
}

/**
 * One chunk of C[rows × cols] = A·B, A(i, p) at a + i·aRow + p·aStep, B(p, j) at b + p·bStep +
 * j·bCol (strides in bytes), C row-major with cRow bytes per row; out2 and z share C's layout.
 * The chunk in the first row block also writes colsum[j] = Σ_p B(p, j) when colsum is set (db
 * beside dW). `scratch` is this thread's GEMM_SCRATCH bytes.
 */
export function gemm(
  chunk: i32, scratch: usize, rows: i32, cols: i32, inner: i32,
  a: usize, aRow: i32, aStep: i32, b: usize, bStep: i32, bCol: i32, c: usize, cRow: i32,
  bias: usize, epi: i32, act: i32, alpha: f32, out2: usize, z: usize, colsum: usize,
): void {
  const colBlocks = (cols + NC - 1) / NC;
  const i0 = (chunk / colBlocks) * MC, j0 = (chunk % colBlocks) * NC;
  const mc = min(MC, rows - i0), nc = min(NC, cols - j0);
  const sums = i0 == 0 ? colsum : 0;
  if (sums) memory.fill(sums + <usize>j0 * 4, 0, <usize>nc * 4);
  const tile = scratch + TILE, aPack = scratch + A_PACK;
  for (let p0 = 0; p0 < inner; p0 += KC) {
    const kc = min(KC, inner - p0);
    const first = p0 == 0, last = p0 + kc >= inner;
    packB(b + <usize>p0 * bStep + <usize>j0 * bCol, bStep, bCol, kc, nc, scratch, sums ? sums + <usize>j0 * 4 : 0);
    packA(a + <usize>i0 * aRow + <usize>p0 * aStep, aRow, aStep, mc, kc, aPack);
    for (let q = 0; q < nc; q += 8) {
      const w = min(8, nc - q), bp = scratch + <usize>(q * kc) * 4;
      for (let i = 0; i < mc; i += 4) {
        const h = min(4, mc - i);
        const ap = aPack + <usize>(i * kc) * 4;
        const at = <usize>(i0 + i) * cRow + <usize>(j0 + q) * 4;
        const cp = c + at;
        if (h == 4 && w == 8) {
          kernel4x8(ap, bp, kc, cp, cRow, first);
        } else {
          for (let r = 0; r < 4; r++) {
            for (let j = 0; j < 8; j++) {
              const inside = !first && r < h && j < w;
              store<f32>(tile + <usize>(r * 8 + j) * 4, inside ? load<f32>(cp + <usize>r * cRow + <usize>j * 4) : 0);
            }
          }
          kernel4x8(ap, bp, kc, tile, 32, false);
          for (let r = 0; r < h; r++) {
            memory.copy(cp + <usize>r * cRow, tile + <usize>r * 32, <usize>w * 4);
          }
        }
        if (last && epi != EPI_NONE) {
          epilogue(cp, cRow, h, w, bias ? bias + <usize>(j0 + q) * 4 : 0, epi, act, alpha, out2 + at, z + at);
        }
      }
    }
  }
}
