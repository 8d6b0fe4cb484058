// SOM step 3, the batch update: prototype k becomes the neighbourhood-weighted mean of all
// vectors, sum_u h(k, u) S_u / sum_u h(k, u) c_u, with S_u, c_u the sum and count of the vectors
// whose BMU is u and h = exp(-|grid(k) - grid(u)|^2 · P.inv2s2). A unit with no weight keeps its
// prototype.
@group(0) @binding(1) var<storage, read> sums: array<f32>;
@group(0) @binding(2) var<storage, read_write> protos: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = flat_index(gid, nwg);
  if (k >= P.units) { return; }
  let kr = f32(k / P.cols);
  let kc = f32(k % P.cols);
  var num: array<f32, DIM>;
  var den = 0.0;
  for (var u = 0u; u < P.units; u++) {
    let dr = f32(u / P.cols) - kr;
    let dc = f32(u % P.cols) - kc;
    let h = exp(-(dr * dr + dc * dc) * P.inv2s2);
    for (var c = 0u; c < P.chunks; c++) {
      let o = (c * P.units + u) * (DIM + 1u);
      for (var d = 0u; d < DIM; d++) { num[d] += h * sums[o + d]; }
      den += h * sums[o + DIM];
    }
  }
  if (den > 0.0) {
    for (var d = 0u; d < DIM; d++) { protos[k * DIM + d] = num[d] / den; }
  }
}
