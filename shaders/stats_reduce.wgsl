// Pass 1 of the statistics, shared by stats_partial.wgsl, stats_optimizer.wgsl and the product
// epilogues of a recorded step (mm_stats.wgsl, which merge a subgroup's shares themselves): each
// invocation accumulates its share of a chunk, then the workgroup reduces the shares to one
// partial part1[index] = (sum, sum of squares, min, max, zeros, saturated, M2, count). M2, the
// sum of squared deviations from the chunk's own mean, is accumulated with Welford's update and
// merged with Chan's formula (numerically stable in one pass), so the spread needs no second
// pass over the tensor. full = false accumulates the sum of squares and the count only (tensors
// of which only the norm is read: the recording optimizer's dW and update, most of whose cost
// beyond the plain optimizer's the other fields were); the other fields keep their starting values.

// The saturation test of mode `mode` (SATURATION_*; src/core/stats.ts `saturated`).
fn is_saturated(mode: u32, a: f32) -> bool {
  if (mode == SATURATION_TANH) { return abs(a) > SATURATION_LIMIT_TANH; }
  if (mode == SATURATION_SIGMOID) { return a < SATURATION_LIMIT_SIGMOID_LOW || a > 1.0 - SATURATION_LIMIT_SIGMOID_LOW; }
  if (mode == SATURATION_SOFTSIGN) { return abs(a) > SATURATION_LIMIT_SOFTSIGN; }
  return false;
}

// One invocation's running statistics over the vec4s of its iterations, lane by lane.
struct Acc {
  s: vec4<f32>, q: vec4<f32>, mn: vec4<f32>, mx: vec4<f32>,
  z: vec4<u32>, sat: vec4<u32>, mean: vec4<f32>, m2: vec4<f32>,
}

const ACC_NEW = Acc(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(3.4e38), vec4<f32>(-3.4e38),
  vec4<u32>(0u), vec4<u32>(0u), vec4<f32>(0.0), vec4<f32>(0.0));

fn acc_new() -> Acc {
  return ACC_NEW;
}

// Adds the vec4 of iteration j (0-based); `sat`: the saturation mode.
fn acc_add(a: ptr<function, Acc>, v: vec4<f32>, j: u32, full: bool, sat: u32) {
  (*a).q += v * v;
  if (!full) { return; }
  (*a).s += v;
  (*a).mn = min((*a).mn, v);
  (*a).mx = max((*a).mx, v);
  (*a).z += select(vec4<u32>(0u), vec4<u32>(1u), v == vec4<f32>(0.0));
  (*a).sat += select(vec4<u32>(0u), vec4<u32>(1u), vec4<bool>(is_saturated(sat, v.x), is_saturated(sat, v.y), is_saturated(sat, v.z), is_saturated(sat, v.w)));
  let d = v - (*a).mean;
  (*a).mean += d * (1.0 / f32(j + 1u)); // one division for the four lanes
  (*a).m2 += d * (v - (*a).mean);
}

// One invocation's share, with its running mean (for the tail's Welford updates).
struct Part { sum: f32, sq: f32, mn: f32, mx: f32, cnt: vec2<u32>, m2: f32, n: u32, mean: f32 }

// Folds the four lanes of `a`, each of which saw `blocks` values (equal counts), into one share.
fn acc_part(a: Acc, blocks: u32, full: bool) -> Part {
  var p = Part((a.s.x + a.s.y) + (a.s.z + a.s.w), (a.q.x + a.q.y) + (a.q.z + a.q.w),
    min(min(a.mn.x, a.mn.y), min(a.mn.z, a.mn.w)), max(max(a.mx.x, a.mx.y), max(a.mx.z, a.mx.w)),
    vec2<u32>((a.z.x + a.z.y) + (a.z.z + a.z.w), (a.sat.x + a.sat.y) + (a.sat.z + a.sat.w)),
    0.0, 4u * blocks, 0.0);
  if (full && blocks > 0u) {
    p.mean = 0.25 * ((a.mean.x + a.mean.y) + (a.mean.z + a.mean.w));
    let dm = a.mean - p.mean;
    p.m2 = (a.m2.x + a.m2.y) + (a.m2.z + a.m2.w) + f32(blocks) * dot(dm, dm);
  }
  return p;
}

// Adds one value (the chunk's tail, fewer than 4·WG elements).
fn part_add(p: ptr<function, Part>, v: f32, full: bool, sat: u32) {
  (*p).sq += v * v;
  (*p).n++;
  if (!full) { return; }
  (*p).sum += v;
  (*p).mn = min((*p).mn, v);
  (*p).mx = max((*p).mx, v);
  if (v == 0.0) { (*p).cnt.x++; }
  if (is_saturated(sat, v)) { (*p).cnt.y++; }
  let d = v - (*p).mean;
  (*p).mean += d / f32((*p).n);
  (*p).m2 += d * (v - (*p).mean);
}

var<workgroup> s_sum: array<f32, WG>;
var<workgroup> s_sq: array<f32, WG>;
var<workgroup> s_min: array<f32, WG>;
var<workgroup> s_max: array<f32, WG>;
var<workgroup> s_cnt: array<vec2<u32>, WG>;
var<workgroup> s_m2: array<f32, WG>;
var<workgroup> s_n: array<u32, WG>;

// Reduces every invocation's share (t: local index) into part1[index]. Call from uniform
// control flow; calls may follow one another (only invocation 0 touches element 0 after the
// last barrier).
fn reduce_store(t: u32, p: Part, full: bool, index: u32) {
  s_sum[t] = p.sum; s_sq[t] = p.sq; s_min[t] = p.mn; s_max[t] = p.mx; s_cnt[t] = p.cnt;
  s_m2[t] = p.m2; s_n[t] = p.n;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) {
      // Chan's merge of (count, mean, M2); the means come from the sums.
      let na = s_n[t]; let nb = s_n[t + w];
      if (full && na > 0u && nb > 0u) {
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
    part1[index] = array<f32, 8>(s_sum[0], s_sq[0], s_min[0], s_max[0], f32(s_cnt[0].x), f32(s_cnt[0].y), s_m2[0], bitcast<f32>(s_n[0]));
  }
}
