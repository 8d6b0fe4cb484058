// Shared by the statistics kernels: the reduced values (x, or x - y for the last update), the
// chunk of each workgroup, and the saturation test (mode ids from src/core/stats.ts).
//
// The tensors are read as vec4s: a software adapter (lavapipe) checks the bounds of every load
// of every lane, and one vec4 load per lane costs about what one f32 load does (the histogram
// pass measured 1.45× faster). Every buffer the engine binds here is sized to whole vec4s.
fn stat_value4(q: u32) -> vec4<f32> {
  if (SUB == 1u) { return x[q] - y[q]; }
  return x[q];
}

fn stat_value(i: u32) -> f32 {
  return stat_value4(i >> 2u)[i & 3u];
}

fn is_saturated(a: f32) -> bool {
  if (SAT == 1u) { return abs(a) > SAT_TANH; }
  if (SAT == 2u) { return a < SAT_SIGMOID_LOW || a > 1.0 - SAT_SIGMOID_LOW; }
  if (SAT == 3u) { return abs(a) > SAT_SOFTSIGN; }
  return false;
}

// Element count: fixed, or this step's rows times the layer width (a short last batch).
fn stat_count() -> u32 {
  if (PER_ROW == 1u) { return cur.rows * P.width; }
  return P.n;
}

// The elements [start, end) of workgroup g: contiguous chunks whose starts are multiples of 4,
// so each invocation's four elements of an iteration are one vec4. Both passes that read the
// tensor cut it the same way.
fn stat_chunk(n: u32, g: u32) -> vec2<u32> {
  let chunk = ((n + P.groups - 1u) / P.groups + 3u) & ~3u;
  let start = min(n, g * chunk);
  return vec2<u32>(start, min(n, start + chunk));
}

// Histogram bin of v in [lo, hi]: the same formula as histBin in stats.ts.
fn hist_bin(v: f32, lo: f32, scale: f32) -> u32 {
  return u32(clamp(floor((v - lo) * scale), 0.0, f32(HIST_BINS - 1u)));
}
