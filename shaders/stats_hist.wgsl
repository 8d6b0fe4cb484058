// Statistics of a tensor, pass 2 of 3 (only for tensors whose histogram is read): every
// workgroup first combines pass 1's partials into the global min and max (each workgroup does the
// same small sum, so no extra pass is needed), then counts its chunk into HIST_BINS bins over
// [min, max] in part2[P.part + wg].
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> cur: StepInfo;
@group(0) @binding(4) var<storage, read> part1: array<array<f32, 8>>;
@group(0) @binding(5) var<storage, read_write> part2: array<f32>;

var<workgroup> hist: array<atomic<u32>, HIST_BINS>;
var<workgroup> g_range: vec2<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  if (t == 0u) {
    var mn = 3.4e38; var mx = -3.4e38;
    for (var g = 0u; g < P.groups; g++) {
      let p = part1[P.part + g];
      mn = min(mn, p[2]); mx = max(mx, p[3]);
    }
    g_range = vec2<f32>(mn, mx);
  }
  if (t < HIST_BINS) { atomicStore(&hist[t], 0u); }
  workgroupBarrier();
  let lo = g_range.x;
  let hi = g_range.y;
  var scale = 0.0;
  if (hi > lo) { scale = f32(HIST_BINS) / (hi - lo); }
  let chunk = (n + P.groups - 1u) / P.groups;
  let start = wid.x * chunk;
  let end = min(n, start + chunk);
  // Four elements per invocation and iteration, as in pass 1; the partial last block after.
  let blocks = select(0u, (end - start) / (4u * WG), end > start);
  for (var j = 0u; j < blocks; j++) {
    let i = start + j * 4u * WG + 4u * t;
    atomicAdd(&hist[hist_bin(stat_value(i), lo, scale)], 1u);
    atomicAdd(&hist[hist_bin(stat_value(i + 1u), lo, scale)], 1u);
    atomicAdd(&hist[hist_bin(stat_value(i + 2u), lo, scale)], 1u);
    atomicAdd(&hist[hist_bin(stat_value(i + 3u), lo, scale)], 1u);
  }
  for (var i = start + blocks * 4u * WG + t; i < end; i += WG) {
    atomicAdd(&hist[hist_bin(stat_value(i), lo, scale)], 1u);
  }
  workgroupBarrier();
  if (t < HIST_BINS) { part2[(P.part + wid.x) * HIST_BINS + t] = f32(atomicLoad(&hist[t])); }
}
