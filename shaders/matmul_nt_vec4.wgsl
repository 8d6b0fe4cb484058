// dX = dZ·Wᵀ for K % 4 == 0 (K = the layer's units): dX[m, n] = Σ_k dZ[m, k]·W[n, k]. Both
// operands are read along k four at a time; each invocation owns TN outputs of one row.
@group(0) @binding(1) var<storage, read> dZ: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> unused: array<f32>;
@group(0) @binding(4) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let K4 = P.K / 4u;
  let n0 = gid.x * TN;
  let m = gid.y;
  if (n0 >= P.N || m >= P.M) { return; }
  // Columns past N read column N-1 (in bounds) and are never stored.
  var wOff: array<u32, TN>;
  for (var j = 0u; j < TN; j++) { wOff[j] = min(n0 + j, P.N - 1u) * K4; }
  var acc: array<f32, TN>;
  for (var k4 = 0u; k4 < K4; k4++) {
    let g = dZ[m * K4 + k4];
    for (var j = 0u; j < TN; j++) { acc[j] = acc[j] + dot(g, W[wOff[j] + k4]); }
  }
  for (var j = 0u; j < TN; j++) {
    if (n0 + j < P.N) { dX[m * P.N + n0 + j] = acc[j]; }
  }
}
