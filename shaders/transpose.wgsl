// T(cols×rows) = Aᵀ for A(rows×cols), both row-major. Used before dX = dZ·Wᵀ so that the product
// runs in the forward kernel's layout (matmul_nn_vec4), the fastest of the three: transposing W
// reads and writes fanIn·units floats, far less than the product's batch·fanIn·units
// multiply-adds. One element per invocation: on a GPU the accesses along x are coalesced on the
// read side; on a software adapter every lane loads and stores on its own either way.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> T: array<f32>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  let r = gid.y;
  if (c >= P.cols || r >= P.rows) { return; }
  T[c * P.rows + r] = A[r * P.cols + c];
}
