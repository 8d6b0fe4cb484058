// C(M×N) = op(A)·op(B) (+ bias), any shape: the fallback of the vec4 kernels for the shapes they
// cannot take (a 10-unit output layer, odd widths, small batches).
//   forward  Z  = X·W + b     (TRANS_A = 0, TRANS_B = 0, BIAS = 1)
//   dX       dX = dZ·Wᵀ       (TRANS_B = 1: B is stored N×K)
//   dW       dW = Xᵀ·dZ       (TRANS_A = 1: A is stored K×M)
// Register-blocked without workgroup memory, like the vec4 kernels but with scalar columns: each
// invocation keeps TM rows × TN columns in registers and loads TM + TN scalars per step of k.
// (A workgroup-memory tiled version was slower on lavapipe, where barriers switch coroutines:
// bench/REPORT.md history.)
// Rows and columns past the edges read the last one (in bounds) and are never stored.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n0 = gid.x * TN;
  let m0 = gid.y * TM;
  if (n0 >= P.N || m0 >= P.M) { return; }
  var col: array<u32, TN>;
  for (var j = 0u; j < TN; j++) { col[j] = min(n0 + j, P.N - 1u); }
  var row: array<u32, TM>;
  for (var i = 0u; i < TM; i++) { row[i] = min(m0 + i, P.M - 1u); }
  var acc: array<array<f32, TN>, TM>;
  for (var k = 0u; k < P.K; k++) {
    var b: array<f32, TN>;
    for (var j = 0u; j < TN; j++) {
      if (TRANS_B == 1u) { b[j] = B[col[j] * P.K + k]; } else { b[j] = B[k * P.N + col[j]]; }
    }
    for (var i = 0u; i < TM; i++) {
      var a: f32;
      if (TRANS_A == 1u) { a = A[k * P.M + row[i]]; } else { a = A[row[i] * P.K + k]; }
      for (var j = 0u; j < TN; j++) { acc[i][j] = acc[i][j] + a * b[j]; }
    }
  }
  for (var i = 0u; i < TM; i++) {
    if (m0 + i >= P.M) { continue; }
    for (var j = 0u; j < TN; j++) {
      if (n0 + j >= P.N) { continue; }
      var v = acc[i][j];
      if (BIAS == 1u) { v = v + bias[n0 + j]; }
      C[(m0 + i) * P.N + n0 + j] = v;
    }
  }
}
