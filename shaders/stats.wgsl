// Reduces one tensor into one statistics slot (layout from src/core/stats.ts, injected as the
// SLOT_* constants): count, mean, std, min, max, zeros, saturated, L2 norm, HIST_BINS counts.
// One workgroup (small tensors; stats_partial/hist/final split big ones over many), two passes like reduceSlot: extremes and sums first, then squared deviations
// and the histogram between min and max. SUB = 1 reduces x - y (the last update, W - Wprev).
// PER_ROW = 1 takes the element count from the step (cur.rows * width): a short last batch.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> cur: StepInfo;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

var<workgroup> s_sum: array<f32, WG>;
var<workgroup> s_sq: array<f32, WG>;
var<workgroup> s_min: array<f32, WG>;
var<workgroup> s_max: array<f32, WG>;
var<workgroup> s_zero: array<u32, WG>;
var<workgroup> s_sat: array<u32, WG>;
var<workgroup> hist: array<atomic<u32>, HIST_BINS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  var sum = 0.0; var sq = 0.0; var mn = 3.4e38; var mx = -3.4e38; var zeros = 0u; var sat = 0u;
  for (var i = t; i < n; i += WG) {
    let v = stat_value(i);
    sum += v; sq += v * v;
    mn = min(mn, v); mx = max(mx, v);
    if (v == 0.0) { zeros++; }
    if (is_saturated(v)) { sat++; }
  }
  s_sum[t] = sum; s_sq[t] = sq; s_min[t] = mn; s_max[t] = mx; s_zero[t] = zeros; s_sat[t] = sat;
  if (t < HIST_BINS) { atomicStore(&hist[t], 0u); }
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) {
      s_sum[t] += s_sum[t + w]; s_sq[t] += s_sq[t + w];
      s_min[t] = min(s_min[t], s_min[t + w]); s_max[t] = max(s_max[t], s_max[t + w]);
      s_zero[t] += s_zero[t + w]; s_sat[t] += s_sat[t + w];
    }
    workgroupBarrier();
  }
  let cnt = max(f32(n), 1.0);
  let mean = s_sum[0] / cnt;
  var lo = s_min[0]; var hi = s_max[0];
  if (n == 0u) { lo = 0.0; hi = 0.0; }
  var scale = 0.0;
  if (hi > lo) { scale = f32(HIST_BINS) / (hi - lo); }
  workgroupBarrier();
  var dev = 0.0;
  for (var i = t; i < n; i += WG) {
    let v = stat_value(i);
    let d = v - mean;
    dev += d * d;
    atomicAdd(&hist[hist_bin(v, lo, scale)], 1u);
  }
  s_sum[t] = dev;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) { s_sum[t] += s_sum[t + w]; }
    workgroupBarrier();
  }
  let o = P.slot;
  if (t == 0u) {
    out[o + SLOT_COUNT] = f32(n);
    out[o + SLOT_MEAN] = select(0.0, mean, n > 0u);
    out[o + SLOT_STD] = sqrt(s_sum[0] / cnt);
    out[o + SLOT_MIN] = lo;
    out[o + SLOT_MAX] = hi;
    out[o + SLOT_ZEROS] = f32(s_zero[0]);
    out[o + SLOT_SATURATED] = f32(s_sat[0]);
    out[o + SLOT_NORM] = sqrt(s_sq[0]);
  }
  if (t < HIST_BINS) { out[o + SLOT_HIST + t] = f32(atomicLoad(&hist[t])); }
}
