// T(cols×rows) = Aᵀ for A(rows×cols), both row-major. Used before dX = dZ·Wᵀ so that the product
// runs in the forward kernel's layout (matmul_nn_vec4), the fastest of the three: transposing W
// reads and writes fanIn·units floats, far less than the product's batch·fanIn·units
// multiply-adds. Each invocation moves a 4×4 block (edges guarded), which amortizes the index
// arithmetic over 16 elements.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> T: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c0 = gid.x * 4u;
  let r0 = gid.y * 4u;
  if (c0 >= P.cols || r0 >= P.rows) { return; }
  for (var i = 0u; i < 4u; i++) {
    let r = r0 + i;
    if (r >= P.rows) { break; }
    for (var j = 0u; j < 4u; j++) {
      let c = c0 + j;
      if (c < P.cols) { T[c * P.rows + r] = A[r * P.cols + c]; }
    }
  }
}
