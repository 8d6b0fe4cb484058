// T(cols×rows) = Aᵀ for A(rows×cols), both row-major. Used before a product that reads an
// operand in the other layout (W before dX = dZ·Wᵀ; with subgroups, X or dZ before the tn
// kernel, see matmulPlan): a transposition moves rows·cols floats, far less than the product's
// multiply-adds. Each invocation moves a BLOCK×BLOCK block (edges guarded), which amortizes the
// index arithmetic over 16 elements.
// Shapes of multiples of 4 take transpose_vec4.wgsl.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read_write> T: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c0 = gid.x * BLOCK;
  let r0 = gid.y * BLOCK;
  if (c0 >= P.cols || r0 >= P.rows) { return; }
  for (var i = 0u; i < BLOCK; i++) {
    let r = r0 + i;
    if (r >= P.rows) { break; }
    for (var j = 0u; j < BLOCK; j++) {
      let c = c0 + j;
      if (c < P.cols) { T[c * P.rows + r] = A[r * P.cols + c]; }
    }
  }
}
