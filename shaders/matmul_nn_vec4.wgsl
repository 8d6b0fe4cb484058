// Z = X·W + b for N % 4 == 0 (matmul.wgsl handles every other shape).
// Register-blocked with vec4 loads and no workgroup memory: each invocation keeps TM rows × 8
// columns of Z in registers (two vec4 columns) and streams two vec4s of a row of W per step, so
// every scalar of X it loads feeds 8 multiply-adds. On a software adapter (lavapipe runs
// invocations as SIMD lanes of CPU threads) this avoids barriers and gathers; on a GPU the caches
// serve the reuse that workgroup tiles would. The same kernel computes dX on a transposed W.
// The output goes through `store` (shaders/mm_store*.wgsl, bindings 4 on): plain, or fused with
// the activation (or its derivative) that follows the product, saving a pass over the output.
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = P.N / 4u;
  let c4 = gid.x * 2u;
  let r0 = gid.y * TM;
  if (c4 >= N4 || r0 >= P.M) { return; }
  // The second column clamps to the last (in bounds) when N4 is odd and is then never stored;
  // rows past M read row M-1 and are never stored either.
  let c4b = min(c4 + 1u, N4 - 1u);
  var rowOff: array<u32, TM>;
  for (var i = 0u; i < TM; i++) { rowOff[i] = min(r0 + i, P.M - 1u) * P.K; }
  var acc0: array<vec4<f32>, TM>;
  var acc1: array<vec4<f32>, TM>;
  for (var k = 0u; k < P.K; k++) {
    let w0 = W[k * N4 + c4];
    let w1 = W[k * N4 + c4b];
    for (var i = 0u; i < TM; i++) {
      let x = X[rowOff[i] + k];
      acc0[i] = acc0[i] + x * w0;
      acc1[i] = acc1[i] + x * w1;
    }
  }
  var b0 = vec4<f32>(0.0); var b1 = vec4<f32>(0.0);
  if (BIAS == 1u) { b0 = bias[c4]; b1 = bias[c4b]; }
  for (var i = 0u; i < TM; i++) {
    if (r0 + i >= P.M) { continue; }
    store((r0 + i) * N4 + c4, acc0[i] + b0);
    if (c4 + 1u < N4) { store((r0 + i) * N4 + c4 + 1u, acc1[i] + b1); }
  }
}
