// dW = Xᵀ·dZ for M % 4 == 0 and N % 4 == 0, where X is stored K×M (batch rows × fanIn) and the
// product has M = fanIn rows. Each invocation owns a 4×8 block of dW: per batch row it loads four
// inputs and eight output gradients as three vec4s and does 32 multiply-adds.
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dZ: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> unused: array<f32>;
@group(0) @binding(4) var<storage, read_write> dW: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = P.N / 4u;
  let M4 = P.M / 4u;
  let c4 = gid.x * 2u;
  let r4 = gid.y;
  if (c4 >= N4 || r4 >= M4) { return; }
  // The second column clamps to the last when N4 is odd and is then never stored.
  let c4b = min(c4 + 1u, N4 - 1u);
  var a: array<vec4<f32>, 8>;
  for (var k = 0u; k < P.K; k++) {
    let x = X[k * M4 + r4];
    let g0 = dZ[k * N4 + c4];
    let g1 = dZ[k * N4 + c4b];
    a[0] = a[0] + x.x * g0; a[1] = a[1] + x.y * g0; a[2] = a[2] + x.z * g0; a[3] = a[3] + x.w * g0;
    a[4] = a[4] + x.x * g1; a[5] = a[5] + x.y * g1; a[6] = a[6] + x.z * g1; a[7] = a[7] + x.w * g1;
  }
  let o = r4 * 4u * N4;
  for (var i = 0u; i < 4u; i++) {
    dW[o + i * N4 + c4] = a[i];
    if (c4 + 1u < N4) { dW[o + i * N4 + c4 + 1u] = a[4u + i]; }
  }
}
