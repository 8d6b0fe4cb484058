// Row-wise, numerically stable softmax: one invocation per row.
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> Aout: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= P.rows) { return; }
  let o = r * P.units;
  var m = Z[o];
  for (var j = 1u; j < P.units; j++) { m = max(m, Z[o + j]); }
  var s = 0.0;
  for (var j = 0u; j < P.units; j++) { s += exp(Z[o + j] - m); }
  for (var j = 0u; j < P.units; j++) { Aout[o + j] = exp(Z[o + j] - m) / s; }
}
