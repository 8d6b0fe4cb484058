// Statistics of a tensor, pass 1 of 3: each of P.groups workgroups reduces one contiguous
// chunk to (sum, sum of squares, min, max, zeros, saturated) in part1[P.part + wg].
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> cur: StepInfo;
@group(0) @binding(4) var<storage, read_write> part1: array<array<f32, 8>>;

var<workgroup> s_sum: array<f32, WG>;
var<workgroup> s_sq: array<f32, WG>;
var<workgroup> s_min: array<f32, WG>;
var<workgroup> s_max: array<f32, WG>;
var<workgroup> s_cnt: array<vec2<u32>, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  let chunk = (n + P.groups - 1u) / P.groups;
  let start = wid.x * chunk;
  let end = min(n, start + chunk);
  var sum = 0.0; var sq = 0.0; var mn = 3.4e38; var mx = -3.4e38; var cnt = vec2<u32>(0u, 0u);
  for (var i = start + t; i < end; i += WG) {
    let v = stat_value(i);
    sum += v; sq += v * v;
    mn = min(mn, v); mx = max(mx, v);
    if (v == 0.0) { cnt.x++; }
    if (is_saturated(v)) { cnt.y++; }
  }
  s_sum[t] = sum; s_sq[t] = sq; s_min[t] = mn; s_max[t] = mx; s_cnt[t] = cnt;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) {
      s_sum[t] += s_sum[t + w]; s_sq[t] += s_sq[t + w];
      s_min[t] = min(s_min[t], s_min[t + w]); s_max[t] = max(s_max[t], s_max[t + w]);
      s_cnt[t] += s_cnt[t + w];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    part1[P.part + wid.x] = array<f32, 8>(s_sum[0], s_sq[0], s_min[0], s_max[0], f32(s_cnt[0].x), f32(s_cnt[0].y), 0.0, 0.0);
  }
}
