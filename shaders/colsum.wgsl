// db[j] = Σ_r dZ[r, j]: one invocation per column (rows past the batch hold zeros).
@group(0) @binding(1) var<storage, read> dZ: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = flat_index(gid, nwg);
  if (j >= P.cols) { return; }
  var s = 0.0;
  for (var r = 0u; r < P.rows; r++) { s += dZ[r * P.cols + j]; }
  db[j] = s;
}
