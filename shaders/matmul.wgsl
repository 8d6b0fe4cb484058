// C[M×N] = op(A)·op(B) (+ bias[N]), the three products of a dense layer:
//   forward  Z  = X·W + b     (TRANS_A = 0, TRANS_B = 0, BIAS = 1)
//   backward dX = dZ·Wᵀ       (TRANS_B = 1: B is stored N_out×K, i.e. W as K×N)
//   backward dW = Xᵀ·dZ       (TRANS_A = 1: A is stored K×M)
// Tiled through workgroup memory: a TILE_M×TILE_N block of C per workgroup, TM×TN outputs per
// invocation, TILE_K deep slices of A and B staged per iteration. Every load and store is guarded,
// so any shape works (1, 3, 17, 513 ...).
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;

const TILE_M: u32 = WG_Y * TM;
const TILE_N: u32 = WG_X * TN;
var<workgroup> As: array<f32, TILE_K * TILE_M>;
var<workgroup> Bs: array<f32, TILE_K * TILE_N>;

fn load_a(m: u32, k: u32) -> f32 {
  if (m >= P.M || k >= P.K) { return 0.0; }
  if (TRANS_A == 1u) { return A[k * P.M + m]; }
  return A[m * P.K + k];
}

fn load_b(k: u32, n: u32) -> f32 {
  if (k >= P.K || n >= P.N) { return 0.0; }
  if (TRANS_B == 1u) { return B[n * P.K + k]; }
  return B[k * P.N + n];
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let tid = lid.y * WG_X + lid.x;
  const THREADS: u32 = WG_X * WG_Y;
  var acc: array<array<f32, TN>, TM>;
  var a: array<f32, TM>;
  var b: array<f32, TN>;
  for (var k0 = 0u; k0 < P.K; k0 += TILE_K) {
    // Stage the slices; consecutive invocations take consecutive m (or n), k-major in workgroup memory.
    for (var e = tid; e < TILE_K * TILE_M; e += THREADS) {
      let kk = e / TILE_M; let mm = e % TILE_M;
      As[e] = load_a(row0 + mm, k0 + kk);
    }
    for (var e = tid; e < TILE_K * TILE_N; e += THREADS) {
      let kk = e / TILE_N; let nn = e % TILE_N;
      Bs[e] = load_b(k0 + kk, col0 + nn);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      // Strided ownership (lid + i*WG) keeps neighbouring invocations on neighbouring addresses.
      for (var i = 0u; i < TM; i++) { a[i] = As[kk * TILE_M + lid.y + i * WG_Y]; }
      for (var j = 0u; j < TN; j++) { b[j] = Bs[kk * TILE_N + lid.x + j * WG_X]; }
      for (var i = 0u; i < TM; i++) {
        for (var j = 0u; j < TN; j++) { acc[i][j] = acc[i][j] + a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    let m = row0 + lid.y + i * WG_Y;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < TN; j++) {
      let n = col0 + lid.x + j * WG_X;
      if (n >= P.N) { continue; }
      var v = acc[i][j];
      if (BIAS == 1u) { v = v + bias[n]; }
      C[m * P.N + n] = v;
    }
  }
}
