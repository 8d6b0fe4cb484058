// The symmetry of a layer's units (maxUnitDiff in src/core/stats.ts): over the kernel's rows
// (inputs), the largest spread across its columns (units), max_j W[i, j] - min_j W[i, j];
// exactly 0 when every unit's incoming weights are the same. One invocation per row; each
// workgroup's maximum is folded into out[P.index] with atomicMax on the float's bits, which
// order as the floats do for non-negative values (the engine clears `out` before a record).
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<atomic<u32>>;

var<workgroup> best: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let i = flat_index(gid, nwg);
  var spread = 0.0;
  if (i < P.rows) {
    let row = i * P.cols;
    var lo = W[row];
    var hi = lo;
    for (var j = 1u; j < P.cols; j++) {
      let v = W[row + j];
      lo = min(lo, v);
      hi = max(hi, v);
    }
    spread = hi - lo;
  }
  best[t] = spread;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) { best[t] = max(best[t], best[t + s]); }
    workgroupBarrier();
  }
  if (t == 0u) { atomicMax(&out[P.index], bitcast<u32>(best[0])); }
}
