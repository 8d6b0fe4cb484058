// Forward epilogue of matmul_nn_vec4: Z and A = f(Z) in one go (act_forward.wgsl's work).
@group(0) @binding(4) var<storage, read_write> Z: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> Aout: array<vec4<f32>>;

fn store(i: u32, z: vec4<f32>) {
  Z[i] = z;
  Aout[i] = act_f4(ACT, ALPHA, z);
}

// No statistics here (see mm_stats.wgsl).
fn store_done(lane: u32, wg: u32) {}
