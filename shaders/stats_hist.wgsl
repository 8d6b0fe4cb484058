// Statistics of a tensor, pass 2 of 3 (only for tensors whose histogram is read): every
// workgroup first combines pass 1's P.parts partials into the global min and max (each workgroup
// does the same small sum, so no extra pass is needed), then counts its chunk into HIST_BINS bins
// over [min, max] in part2[P.part + wg]. Pass 1 ran over P.groups chunks as well, or in a
// product's epilogue (shaders/mm_stats.wgsl) over that product's workgroups.
//
// Each invocation counts in registers, four 8-bit counters to a u32 word (word b / 4, byte
// b % 4 of bin b), and adds them into 32-bit totals before a byte can overflow. On a SIMD
// adapter an atomic add to a shared histogram is one locked instruction per lane; these
// counters cost a few vector instructions per element. The totals of the workgroup's
// invocations meet in workgroup memory.
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> step_info: StepInfo;
@group(0) @binding(3) var<storage, read> part1: array<array<f32, 8>>;
@group(0) @binding(4) var<storage, read_write> part2: array<f32>;

// count() and flush() name the eight words one by one (constant indices keep them in registers).
const_assert HIST_BINS == 32u;
const WORDS = HIST_BINS / 4u;
// Iterations (4 elements each) before a flush: at most 4 · 63 = 252 counts per byte, then the
// tail's at most 3.
const FLUSH_EVERY = 63u;

var<workgroup> totals: array<array<vec4<u32>, WORDS>, WG>;
var<workgroup> g_range: vec2<f32>;

fn count(c: ptr<function, array<u32, WORDS>>, b: u32) {
  let w = b >> 2u;
  let inc = 1u << ((b & 3u) * 8u);
  (*c)[0] += select(0u, inc, w == 0u);
  (*c)[1] += select(0u, inc, w == 1u);
  (*c)[2] += select(0u, inc, w == 2u);
  (*c)[3] += select(0u, inc, w == 3u);
  (*c)[4] += select(0u, inc, w == 4u);
  (*c)[5] += select(0u, inc, w == 5u);
  (*c)[6] += select(0u, inc, w == 6u);
  (*c)[7] += select(0u, inc, w == 7u);
}

fn bytes(w: u32) -> vec4<u32> {
  return (vec4<u32>(w) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(255u);
}

// Adds the packed bytes into the totals (bins 4k..4k+3 in sum[k]) and clears them.
fn flush(c: ptr<function, array<u32, WORDS>>, sum: ptr<function, array<vec4<u32>, WORDS>>) {
  (*sum)[0] += bytes((*c)[0]);
  (*sum)[1] += bytes((*c)[1]);
  (*sum)[2] += bytes((*c)[2]);
  (*sum)[3] += bytes((*c)[3]);
  (*sum)[4] += bytes((*c)[4]);
  (*sum)[5] += bytes((*c)[5]);
  (*sum)[6] += bytes((*c)[6]);
  (*sum)[7] += bytes((*c)[7]);
  *c = array<u32, WORDS>();
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let n = stat_count();
  if (t == 0u) {
    var mn = 3.4e38; var mx = -3.4e38;
    for (var g = 0u; g < P.parts; g++) {
      let p = part1[P.part + g];
      mn = min(mn, p[2]); mx = max(mx, p[3]);
    }
    g_range = vec2<f32>(mn, mx);
  }
  workgroupBarrier();
  let lo = g_range.x;
  let hi = g_range.y;
  var scale = 0.0;
  if (hi > lo) { scale = f32(HIST_BINS) / (hi - lo); }
  let range = stat_chunk(n, wid.x);
  let start = range.x;
  let end = range.y;
  var c: array<u32, WORDS>;
  var sum: array<vec4<u32>, WORDS>;
  // One vec4 per invocation and iteration, as in pass 1; the partial last block after.
  let blocks = (end - start) / (4u * WG);
  for (var j0 = 0u; j0 < blocks; j0 += FLUSH_EVERY) {
    for (var j = j0; j < min(blocks, j0 + FLUSH_EVERY); j++) {
      let v = stat_value4(start / 4u + j * WG + t);
      count(&c, hist_bin(v.x, lo, scale));
      count(&c, hist_bin(v.y, lo, scale));
      count(&c, hist_bin(v.z, lo, scale));
      count(&c, hist_bin(v.w, lo, scale));
    }
    flush(&c, &sum);
  }
  for (var i = start + blocks * 4u * WG + t; i < end; i += WG) {
    count(&c, hist_bin(stat_value(i), lo, scale));
  }
  flush(&c, &sum);
  totals[t] = sum;
  workgroupBarrier();
  if (t < WORDS) {
    var s = vec4<u32>(0u);
    for (var i = 0u; i < WG; i++) { s += totals[i][t]; }
    let o = (P.part + wid.x) * HIST_BINS + 4u * t;
    part2[o] = f32(s.x);
    part2[o + 1u] = f32(s.y);
    part2[o + 2u] = f32(s.z);
    part2[o + 3u] = f32(s.w);
  }
}
