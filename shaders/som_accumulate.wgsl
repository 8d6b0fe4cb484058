// SOM step 2: per (unit u, chunk c), the sum and count of the vectors of chunk c whose BMU is u,
// into sums[(c * P.units + u) * (DIM + 1) + d] (the count last). Chunks of P.chunk vectors keep
// each invocation's loop short and give the GPU units × chunks invocations.
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> bmu: array<u32>;
@group(0) @binding(3) var<storage, read_write> sums: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = flat_index(gid, nwg);
  if (k >= P.units * P.chunks) { return; }
  let u = k % P.units;
  let c = k / P.units;
  var acc: array<f32, DIM>;
  var count = 0.0;
  let end = min(P.n, (c + 1u) * P.chunk);
  for (var i = c * P.chunk; i < end; i++) {
    if (bmu[i] == u) {
      for (var d = 0u; d < DIM; d++) { acc[d] += data[d * P.n + i]; }
      count += 1.0;
    }
  }
  let o = k * (DIM + 1u);
  for (var d = 0u; d < DIM; d++) { sums[o + d] = acc[d]; }
  sums[o + DIM] = count;
}
