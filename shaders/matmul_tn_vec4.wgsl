// dW = Xᵀ·dZ for M % 4 == 0 and N % 4 == 0, where X is stored K×M (batch rows × fanIn) and the
// product has M = fanIn rows. Each invocation owns an 8×8 block of dW: per batch row it loads
// eight inputs and eight output gradients as four vec4s and does 64 multiply-adds (the load to
// multiply-add ratio of matmul_nn_vec4). The second vec4 of rows or columns clamps to the last
// one when M/4 or N/4 is odd and is then never stored.
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dZ: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> unused: array<f32>;
@group(0) @binding(4) var<storage, read_write> dW: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = P.N / 4u;
  let M4 = P.M / 4u;
  let c4 = gid.x * 2u;
  let r4 = gid.y * 2u;
  if (c4 >= N4 || r4 >= M4) { return; }
  let c4b = min(c4 + 1u, N4 - 1u);
  let r4b = min(r4 + 1u, M4 - 1u);
  var a: array<vec4<f32>, 8>;
  var b: array<vec4<f32>, 8>;
  for (var k = 0u; k < P.K; k++) {
    let x0 = X[k * M4 + r4];
    let x1 = X[k * M4 + r4b];
    let g0 = dZ[k * N4 + c4];
    let g1 = dZ[k * N4 + c4b];
    a[0] = a[0] + x0.x * g0; a[1] = a[1] + x0.y * g0; a[2] = a[2] + x0.z * g0; a[3] = a[3] + x0.w * g0;
    a[4] = a[4] + x0.x * g1; a[5] = a[5] + x0.y * g1; a[6] = a[6] + x0.z * g1; a[7] = a[7] + x0.w * g1;
    b[0] = b[0] + x1.x * g0; b[1] = b[1] + x1.y * g0; b[2] = b[2] + x1.z * g0; b[3] = b[3] + x1.w * g0;
    b[4] = b[4] + x1.x * g1; b[5] = b[5] + x1.y * g1; b[6] = b[6] + x1.z * g1; b[7] = b[7] + x1.w * g1;
  }
  for (var i = 0u; i < 4u; i++) {
    let o = (r4 * 4u + i) * N4;
    dW[o + c4] = a[i];
    if (c4 + 1u < N4) { dW[o + c4 + 1u] = a[4u + i]; }
    if (r4 + 1u < M4) {
      let o2 = ((r4 + 1u) * 4u + i) * N4;
      dW[o2 + c4] = b[i];
      if (c4 + 1u < N4) { dW[o2 + c4 + 1u] = b[4u + i]; }
    }
  }
}
