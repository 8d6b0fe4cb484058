// The plain epilogue of matmul_nn_vec4: Z = the product (plus bias).
@group(0) @binding(4) var<storage, read_write> Z: array<vec4<f32>>;

fn store(i: u32, z: vec4<f32>) { Z[i] = z; }

// No statistics here (see mm_stats.wgsl).
fn store_done(lane: u32, wg: u32) {}
