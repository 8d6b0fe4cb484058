// Statistics of a tensor, pass 2 of 3: every workgroup first combines pass 1's partials into
// the global mean, min and max (each workgroup does the same small sum, so no extra pass is
// needed), then reduces its chunk's squared deviations and histogram into part2[P.part + wg]:
// [deviation sum, HIST_BINS counts]. WITH_HIST = 0 skips the histogram (tensors whose histogram
// no one reads: pre-activations).
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> cur: StepInfo;
@group(0) @binding(4) var<storage, read> part1: array<array<f32, 8>>;
@group(0) @binding(5) var<storage, read_write> part2: array<f32>;

var<workgroup> s_dev: array<f32, WG>;
var<workgroup> hist: array<atomic<u32>, HIST_BINS>;
var<workgroup> g_stats: vec3<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  if (t == 0u) {
    var sum = 0.0; var mn = 3.4e38; var mx = -3.4e38;
    for (var g = 0u; g < P.groups; g++) {
      let p = part1[P.part + g];
      sum += p[0]; mn = min(mn, p[2]); mx = max(mx, p[3]);
    }
    g_stats = vec3<f32>(sum / max(f32(n), 1.0), mn, mx);
  }
  if (t < HIST_BINS) { atomicStore(&hist[t], 0u); }
  workgroupBarrier();
  let mean = g_stats.x;
  let lo = g_stats.y;
  let hi = g_stats.z;
  var scale = 0.0;
  if (hi > lo) { scale = f32(HIST_BINS) / (hi - lo); }
  let chunk = (n + P.groups - 1u) / P.groups;
  let start = wid.x * chunk;
  let end = min(n, start + chunk);
  // Four elements per invocation and iteration, as in pass 1; the partial last block after.
  var d4 = vec4<f32>(0.0);
  let blocks = select(0u, (end - start) / (4u * WG), end > start);
  for (var j = 0u; j < blocks; j++) {
    let i = start + j * 4u * WG + 4u * t;
    let v = vec4<f32>(stat_value(i), stat_value(i + 1u), stat_value(i + 2u), stat_value(i + 3u));
    let d = v - mean;
    d4 += d * d;
    if (WITH_HIST == 1u) {
      atomicAdd(&hist[hist_bin(v.x, lo, scale)], 1u); atomicAdd(&hist[hist_bin(v.y, lo, scale)], 1u);
      atomicAdd(&hist[hist_bin(v.z, lo, scale)], 1u); atomicAdd(&hist[hist_bin(v.w, lo, scale)], 1u);
    }
  }
  var dev = (d4.x + d4.y) + (d4.z + d4.w);
  for (var i = start + blocks * 4u * WG + t; i < end; i += WG) {
    let v = stat_value(i);
    let d = v - mean;
    dev += d * d;
    if (WITH_HIST == 1u) { atomicAdd(&hist[hist_bin(v, lo, scale)], 1u); }
  }
  s_dev[t] = dev;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) { s_dev[t] += s_dev[t + w]; }
    workgroupBarrier();
  }
  let o = (P.part + wid.x) * (HIST_BINS + 1u);
  if (t == 0u) { part2[o] = s_dev[0]; }
  if (t < HIST_BINS) { part2[o + 1u + t] = f32(atomicLoad(&hist[t])); }
}
