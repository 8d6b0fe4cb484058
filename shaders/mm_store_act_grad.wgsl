// Backward epilogue of matmul_nn_vec4 computing dX: dA of the layer below and its
// dZ = dA ⊙ f'(Z) in one go (act_backward.wgsl's work); Zin is that layer's pre-activation.
@group(0) @binding(4) var<storage, read_write> dAout: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> Zin: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dZout: array<vec4<f32>>;

fn store(i: u32, g: vec4<f32>) {
  dAout[i] = g;
  let z = Zin[i];
  dZout[i] = g * act_df4(ACT, ALPHA, z);
}

// No statistics here (see mm_stats.wgsl).
fn store_done(lane: u32, wg: u32) {}
