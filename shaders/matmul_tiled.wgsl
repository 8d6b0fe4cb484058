// Z = X·W + b for N % 4 == 0 on a hardware GPU (and dX on a transposed W, dW on a transposed X).
// The classic workgroup-tiled product: a workgroup of WG×WG invocations (TILED_WG in kernels.ts)
// computes a BLOCK-row × BLOCK-column block of Z (BLOCK = 4·WG), stepping through k in slices of
// TK = WG; each slice of X (BLOCK × TK) and of W (TK × BLOCK) is loaded once into workgroup memory
// by the whole workgroup, with neighbouring invocations reading neighbouring addresses, and each
// invocation then accumulates 4 rows × one vec4 column from it: two vec4 reads of workgroup
// memory feed 16 multiply-adds. The register and subgroup kernels (matmul_nn_vec4,
// matmul_nn_sg) are shaped for software adapters, whose lanes are a CPU's SIMD lanes; on a GPU
// they leave most of the chip idle (bench/nvidia-h200).
// The output goes through `store` (shaders/mm_store*.wgsl), as in matmul_nn_vec4.
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;

const TK: u32 = WG;
const BLOCK: u32 = 4u * WG;
// Floats of X's slice each invocation loads: BLOCK × TK over WG × WG invocations.
const X_LOADS: u32 = BLOCK * TK / (WG * WG);
// Xs[k][r]: rows 4r..4r+3 of the block at column k of the slice; Ws[k][c]: vec4 column c.
var<workgroup> Xs: array<array<vec4<f32>, WG>, TK>;
var<workgroup> Ws: array<array<vec4<f32>, WG>, TK>;

@compute @workgroup_size(WG, WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let N4 = P.N / 4u;
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * WG + tx;
  let r0 = wid.y * BLOCK;
  let c4 = wid.x * WG + tx;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    // X: BLOCK rows × TK, consecutive invocations along k.
    for (var j = 0u; j < X_LOADS; j++) {
      let e = t + j * WG * WG;
      let r = e / TK;
      let k = k0 + e % TK;
      var v = 0.0;
      if (r0 + r < P.M && k < P.K) { v = X[(r0 + r) * P.K + k]; }
      Xs[e % TK][r / 4u][r % 4u] = v;
    }
    // W: TK rows × WG vec4 columns, one vec4 per invocation.
    var w = vec4<f32>(0.0);
    if (k0 + ty < P.K && c4 < N4) { w = W[(k0 + ty) * N4 + c4]; }
    Ws[ty][tx] = w;
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let x = Xs[k][ty];
      let b = Ws[k][tx];
      acc[0] += x.x * b;
      acc[1] += x.y * b;
      acc[2] += x.z * b;
      acc[3] += x.w * b;
    }
    workgroupBarrier();
  }
  if (c4 >= N4) { return; }
  var b = vec4<f32>(0.0);
  if (BIAS == 1u) { b = bias[c4]; }
  for (var i = 0u; i < 4u; i++) {
    let r = r0 + ty * 4u + i;
    if (r < P.M) { store(r * N4 + c4, acc[i] + b); }
  }
}
