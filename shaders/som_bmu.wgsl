// SOM step 1 (src/atlas/gpu-som.ts): the best-matching unit of each data vector, the prototype
// at the smallest squared Euclidean distance (the first on a tie, as src/atlas/som.ts).
// data: parameter-major (feature d of vector i at d * P.n + i); protos: unit-major (u * DIM + d).
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> protos: array<f32>;
@group(0) @binding(3) var<storage, read_write> bmu: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.n) { return; }
  var x: array<f32, DIM>;
  for (var d = 0u; d < DIM; d++) { x[d] = data[d * P.n + i]; }
  var best = 0u;
  var bestD = 3.4e38;
  for (var u = 0u; u < P.units; u++) {
    var s = 0.0;
    for (var d = 0u; d < DIM; d++) { let e = x[d] - protos[u * DIM + d]; s += e * e; }
    if (s < bestD) { bestD = s; best = u; }
  }
  bmu[i] = best;
}
