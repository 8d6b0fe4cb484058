// dW = Xᵀ·dZ for M % 4 == 0 and N % 4 == 0, where X is stored K×M (batch rows × fanIn) and the
// product has M = fanIn rows. Each invocation owns a 4×4 block of dW: per batch row it loads four
// inputs and four output gradients as two vec4s and does 16 multiply-adds.
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dZ: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> unused: array<f32>;
@group(0) @binding(4) var<storage, read_write> dW: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = P.N / 4u;
  let M4 = P.M / 4u;
  let c4 = gid.x;
  let r4 = gid.y;
  if (c4 >= N4 || r4 >= M4) { return; }
  var a0 = vec4<f32>(0.0); var a1 = vec4<f32>(0.0); var a2 = vec4<f32>(0.0); var a3 = vec4<f32>(0.0);
  for (var k = 0u; k < P.K; k++) {
    let x = X[k * M4 + r4];
    let g = dZ[k * N4 + c4];
    a0 = a0 + x.x * g; a1 = a1 + x.y * g; a2 = a2 + x.z * g; a3 = a3 + x.w * g;
  }
  let o = r4 * 4u * N4 + c4;
  dW[o] = a0; dW[o + N4] = a1; dW[o + 2u * N4] = a2; dW[o + 3u * N4] = a3;
}
