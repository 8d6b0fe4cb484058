// C(M×N) = op(A)·op(B) (+ bias) for N % 4 == 0, the workgroup-tiled product of GPUs:
//   forward  Z  = X·W + b     (TRANS_A = 0, TRANS_B = 0, BIAS = 1)
//   dX       dX = dZ·Wᵀ       (TRANS_B = 1: B is stored N×K)
//   dW       dW = Xᵀ·dZ       (TRANS_A = 1: A is stored K×M)
// One source for a family of tile shapes (the variants of products.ts inject the constants): a
// workgroup of WG_X × WG_Y invocations computes a BM-row × 4·BN4-column block of C, stepping
// through k in slices of TK. Each slice of op(A) and op(B) is loaded once into workgroup memory
// by the whole workgroup, neighbouring invocations reading neighbouring addresses of whichever
// layout the operand has (so dX and dW read Wᵀ and Xᵀ directly, with no transposition pass),
// and each invocation then accumulates TM rows × CN vec4 columns from it: per step of k,
// TM / 4 + CN vec4 reads of workgroup memory feed 4·TM·CN multiply-adds. Its rows are
// contiguous (read as vec4s), its columns strided by WG_X (neighbouring invocations read
// neighbouring vec4s, and store them so).
// The output goes through `store` (shaders/mm_store*.wgsl), as in matmul_nn_vec4.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;

const BM: u32 = TM * WG_Y;
const BN4: u32 = CN * WG_X;
const THREADS: u32 = WG_X * WG_Y;
const_assert TM % 4u == 0u;
// vec4s of the A and B slices each invocation loads (the last of them for some only).
const A_LOADS: u32 = (BM * TK / 4u + THREADS - 1u) / THREADS;
const B_LOADS: u32 = (BN4 * TK + THREADS - 1u) / THREADS;

// As[k][r4]: rows 4·r4 .. 4·r4 + 3 of the block at step k of the slice; Bs[k][c4]: vec4 column c4.
var<workgroup> As: array<array<vec4<f32>, BM / 4u>, TK>;
var<workgroup> Bs: array<array<vec4<f32>, BN4>, TK>;

// op(A)[r, k] and op(B)[k, c], 0 past the edges (the block's rows, columns and the last slice).
fn a_at(r: u32, k: u32) -> f32 {
  if (r >= P.M || k >= P.K) { return 0.0; }
  if (TRANS_A == 1u) { return A[k * P.M + r]; }
  return A[r * P.K + k];
}

fn b_at(k: u32, c: u32) -> f32 {
  if (k >= P.K || c >= P.N) { return 0.0; }
  if (TRANS_B == 1u) { return B[c * P.K + k]; }
  return B[k * P.N + c];
}

// Loads the slice from k0 as whole vec4s of workgroup memory (4 rows of A, or 4 columns of B, at
// one step of k): vec4 e of a tile goes to the invocation e % THREADS, neighbouring invocations
// along the operand's contiguous dimension in memory.
fn load_slice(r0: u32, c0: u32, k0: u32, t: u32) {
  for (var j = 0u; j < A_LOADS; j++) {
    let e = t + j * THREADS;
    if (e >= BM * TK / 4u) { break; }
    var r4: u32;
    var k: u32;
    if (TRANS_A == 1u) { r4 = e % (BM / 4u); k = e / (BM / 4u); } else { r4 = e / TK; k = e % TK; }
    let r = r0 + 4u * r4;
    As[k][r4] = vec4<f32>(a_at(r, k0 + k), a_at(r + 1u, k0 + k), a_at(r + 2u, k0 + k), a_at(r + 3u, k0 + k));
  }
  for (var j = 0u; j < B_LOADS; j++) {
    let e = t + j * THREADS;
    if (e >= BN4 * TK) { break; }
    var c4: u32;
    var k: u32;
    if (TRANS_B == 1u) { c4 = e / TK; k = e % TK; } else { c4 = e % BN4; k = e / BN4; }
    let c = c0 + 4u * c4;
    Bs[k][c4] = vec4<f32>(b_at(k0 + k, c), b_at(k0 + k, c + 1u), b_at(k0 + k, c + 2u), b_at(k0 + k, c + 3u));
  }
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let N4 = P.N / 4u;
  let r0 = wid.y * BM;
  let c40 = wid.x * BN4;
  var acc: array<array<vec4<f32>, CN>, TM>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    load_slice(r0, 4u * c40, k0, t);
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      var a: array<vec4<f32>, TM / 4u>;
      for (var q = 0u; q < TM / 4u; q++) { a[q] = As[k][lid.y * (TM / 4u) + q]; }
      var b: array<vec4<f32>, CN>;
      for (var j = 0u; j < CN; j++) { b[j] = Bs[k][lid.x + j * WG_X]; }
      for (var q = 0u; q < TM / 4u; q++) {
        for (var j = 0u; j < CN; j++) {
          acc[4u * q][j] = fma(vec4<f32>(a[q].x), b[j], acc[4u * q][j]);
          acc[4u * q + 1u][j] = fma(vec4<f32>(a[q].y), b[j], acc[4u * q + 1u][j]);
          acc[4u * q + 2u][j] = fma(vec4<f32>(a[q].z), b[j], acc[4u * q + 2u][j]);
          acc[4u * q + 3u][j] = fma(vec4<f32>(a[q].w), b[j], acc[4u * q + 3u][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var j = 0u; j < CN; j++) {
    let c = c40 + lid.x + j * WG_X;
    if (c >= N4) { continue; }
    var bv = vec4<f32>(0.0);
    if (BIAS == 1u) { bv = bias[c]; }
    for (var i = 0u; i < TM; i++) {
      let r = r0 + lid.y * TM + i;
      if (r < P.M) { store(r * N4 + c, acc[i][j] + bv); }
    }
  }
  store_done(t, wid.x + wid.y * nwg.x);
}
