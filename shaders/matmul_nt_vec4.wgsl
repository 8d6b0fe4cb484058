// dX = dZ·Wᵀ for K % 4 == 0 (K = the layer's units): dX[m, n] = Σ_k dZ[m, k]·W[n, k]. Both
// operands are read along k four at a time; each invocation owns a TM×TN block, so per step it
// loads TM + TN vec4s for 4·TM·TN multiply-adds.
@group(0) @binding(1) var<storage, read> dZ: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> unused: array<f32>;
@group(0) @binding(4) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let K4 = P.K / 4u;
  let n0 = gid.x * TN;
  let m0 = gid.y * TM;
  if (n0 >= P.N || m0 >= P.M) { return; }
  // Rows and columns past the edges read the last one (in bounds) and are never stored.
  var wOff: array<u32, TN>;
  for (var j = 0u; j < TN; j++) { wOff[j] = min(n0 + j, P.N - 1u) * K4; }
  var gOff: array<u32, TM>;
  for (var i = 0u; i < TM; i++) { gOff[i] = min(m0 + i, P.M - 1u) * K4; }
  var acc: array<array<f32, TN>, TM>;
  for (var k4 = 0u; k4 < K4; k4++) {
    var w: array<vec4<f32>, TN>;
    for (var j = 0u; j < TN; j++) { w[j] = W[wOff[j] + k4]; }
    for (var i = 0u; i < TM; i++) {
      let g = dZ[gOff[i] + k4];
      for (var j = 0u; j < TN; j++) { acc[i][j] = acc[i][j] + dot(g, w[j]); }
    }
  }
  for (var i = 0u; i < TM; i++) {
    if (m0 + i >= P.M) { continue; }
    for (var j = 0u; j < TN; j++) {
      if (n0 + j < P.N) { dX[(m0 + i) * P.N + n0 + j] = acc[i][j]; }
    }
  }
}
