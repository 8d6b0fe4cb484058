// Statistics of a tensor, pass 1 of 3: each of P.groups workgroups reduces one contiguous
// chunk to part1[P.part + wg] = (sum, sum of squares, min, max, zeros, saturated, M2, count):
// M2, the sum of squared deviations from the chunk's own mean, is accumulated with Welford's
// update and merged with Chan's formula (numerically stable in one pass), so the spread needs no
// second pass over the tensor. SPREAD = 0 skips M2 (tensors of which only the norm is read).
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> y: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> cur: StepInfo;
@group(0) @binding(4) var<storage, read_write> part1: array<array<f32, 8>>;

var<workgroup> s_sum: array<f32, WG>;
var<workgroup> s_sq: array<f32, WG>;
var<workgroup> s_min: array<f32, WG>;
var<workgroup> s_max: array<f32, WG>;
var<workgroup> s_cnt: array<vec2<u32>, WG>;
var<workgroup> s_m2: array<f32, WG>;
var<workgroup> s_n: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  let range = stat_chunk(n, wid.x);
  let start = range.x;
  let end = range.y;
  // One vec4 per invocation and iteration into vec4 accumulators (fewer loads and less loop
  // overhead, both measured on lavapipe). The chunk's last partial block (fewer than 4·WG
  // elements) goes to a plain strided loop.
  var s4 = vec4<f32>(0.0); var q4 = vec4<f32>(0.0);
  var mn4 = vec4<f32>(3.4e38); var mx4 = vec4<f32>(-3.4e38);
  var z4 = vec4<u32>(0u); var sat4 = vec4<u32>(0u);
  var mean4 = vec4<f32>(0.0); var m24 = vec4<f32>(0.0);
  let blocks = (end - start) / (4u * WG);
  for (var j = 0u; j < blocks; j++) {
    let v = stat_value4(start / 4u + j * WG + t);
    s4 += v; q4 += v * v;
    mn4 = min(mn4, v); mx4 = max(mx4, v);
    z4 += select(vec4<u32>(0u), vec4<u32>(1u), v == vec4<f32>(0.0));
    sat4 += select(vec4<u32>(0u), vec4<u32>(1u), vec4<bool>(is_saturated(v.x), is_saturated(v.y), is_saturated(v.z), is_saturated(v.w)));
    if (SPREAD == 1u) {
      let d = v - mean4;
      mean4 += d * (1.0 / f32(j + 1u)); // one division for the four lanes of the vec4
      m24 += d * (v - mean4);
    }
  }
  var sum = (s4.x + s4.y) + (s4.z + s4.w); var sq = (q4.x + q4.y) + (q4.z + q4.w);
  var mn = min(min(mn4.x, mn4.y), min(mn4.z, mn4.w)); var mx = max(max(mx4.x, mx4.y), max(mx4.z, mx4.w));
  var cnt = vec2<u32>((z4.x + z4.y) + (z4.z + z4.w), (sat4.x + sat4.y) + (sat4.z + sat4.w));
  // The four lanes of the vec4 each saw `blocks` elements: merge them (equal counts).
  var cn = 4u * blocks;
  var mean = 0.0; var m2 = 0.0;
  if (SPREAD == 1u && blocks > 0u) {
    mean = 0.25 * ((mean4.x + mean4.y) + (mean4.z + mean4.w));
    let dm = mean4 - mean;
    m2 = (m24.x + m24.y) + (m24.z + m24.w) + f32(blocks) * dot(dm, dm);
  }
  for (var i = start + blocks * 4u * WG + t; i < end; i += WG) {
    let v = stat_value(i);
    sum += v; sq += v * v;
    mn = min(mn, v); mx = max(mx, v);
    if (v == 0.0) { cnt.x++; }
    if (is_saturated(v)) { cnt.y++; }
    cn++;
    if (SPREAD == 1u) {
      let d = v - mean;
      mean += d / f32(cn);
      m2 += d * (v - mean);
    }
  }
  s_sum[t] = sum; s_sq[t] = sq; s_min[t] = mn; s_max[t] = mx; s_cnt[t] = cnt;
  s_m2[t] = m2; s_n[t] = cn;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) {
      // Chan's merge of (count, mean, M2); the means come from the sums.
      let na = s_n[t]; let nb = s_n[t + w];
      if (SPREAD == 1u && na > 0u && nb > 0u) {
        let delta = s_sum[t + w] / f32(nb) - s_sum[t] / f32(na);
        s_m2[t] += s_m2[t + w] + delta * delta * (f32(na) * f32(nb) / f32(na + nb));
      } else {
        s_m2[t] += s_m2[t + w];
      }
      s_n[t] = na + nb;
      s_sum[t] += s_sum[t + w]; s_sq[t] += s_sq[t + w];
      s_min[t] = min(s_min[t], s_min[t + w]); s_max[t] = max(s_max[t], s_max[t + w]);
      s_cnt[t] += s_cnt[t + w];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    part1[P.part + wid.x] = array<f32, 8>(s_sum[0], s_sq[0], s_min[0], s_max[0], f32(s_cnt[0].x), f32(s_cnt[0].y), s_m2[0], bitcast<f32>(s_n[0]));
  }
}
