// Copies this step's rows (by the epoch permutation) from the resident dataset into the batch
// buffer; rows past the batch's size are zeroed, so a short last batch contributes nothing.
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> perm: array<u32>;
@group(0) @binding(3) var<storage, read> step_info: StepInfo;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.batch * P.width) { return; }
  let r = i / P.width;
  let c = i % P.width;
  if (r < step_info.rows) {
    dst[i] = src[perm[step_info.perm_offset + r] * P.width + c];
  } else {
    dst[i] = 0.0;
  }
}
