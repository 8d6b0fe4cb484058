// Z = X·W + b for N % 4 == 0 (matmul.wgsl handles every other shape).
// Register-blocked with vec4 loads and no workgroup memory: each invocation keeps TM rows × 4
// columns of Z in registers and streams a row of W as vec4s. On a software adapter (lavapipe runs
// invocations as SIMD lanes of CPU threads) this avoids barriers and gathers; on a GPU the caches
// serve the reuse that workgroup tiles would.
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> Z: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = P.N / 4u;
  let c4 = gid.x;
  let r0 = gid.y * TM;
  if (c4 >= N4 || r0 >= P.M) { return; }
  // Rows past M read row M-1 (in bounds) and are never stored.
  var rowOff: array<u32, TM>;
  for (var i = 0u; i < TM; i++) { rowOff[i] = min(r0 + i, P.M - 1u) * P.K; }
  var acc: array<vec4<f32>, TM>;
  for (var k = 0u; k < P.K; k++) {
    let w = W[k * N4 + c4];
    for (var i = 0u; i < TM; i++) { acc[i] = acc[i] + X[rowOff[i] + k] * w; }
  }
  var b = vec4<f32>(0.0);
  if (BIAS == 1u) { b = bias[c4]; }
  for (var i = 0u; i < TM; i++) {
    if (r0 + i < P.M) { Z[(r0 + i) * N4 + c4] = acc[i] + b; }
  }
}
