// Row-wise softmax (shaders/softmax_row.wgsl): one invocation per row.
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> Aout: array<f32>;

fn row_z(i: u32) -> f32 { return Z[i]; }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= P.rows) { return; }
  let o = r * P.units;
  let max_sum = softmax_max_sum(o, P.units);
  for (var j = 0u; j < P.units; j++) { Aout[o + j] = softmax_at(o + j, max_sum); }
}
