// T(cols×rows) = Aᵀ for A(rows×cols), both row-major, when rows and cols are multiples of 4: as
// transpose.wgsl, but each invocation reads its 4×4 block as four vec4 rows and writes it as four
// vec4 columns. On a software adapter every load and store costs about the same whatever its
// width, so the block takes 8 memory operations instead of 32.
const_assert BLOCK == 4u; // the workgroup count is computed for 4×4 blocks
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> T: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c4 = gid.x;
  let r4 = gid.y;
  let cols4 = P.cols / 4u;
  let rows4 = P.rows / 4u;
  if (c4 >= cols4 || r4 >= rows4) { return; }
  let a0 = A[(4u * r4) * cols4 + c4];
  let a1 = A[(4u * r4 + 1u) * cols4 + c4];
  let a2 = A[(4u * r4 + 2u) * cols4 + c4];
  let a3 = A[(4u * r4 + 3u) * cols4 + c4];
  T[(4u * c4) * rows4 + r4] = vec4<f32>(a0.x, a1.x, a2.x, a3.x);
  T[(4u * c4 + 1u) * rows4 + r4] = vec4<f32>(a0.y, a1.y, a2.y, a3.y);
  T[(4u * c4 + 2u) * rows4 + r4] = vec4<f32>(a0.z, a1.z, a2.z, a3.z);
  T[(4u * c4 + 3u) * rows4 + r4] = vec4<f32>(a0.w, a1.w, a2.w, a3.w);
}
