// Shared by the statistics kernels: the reduced value (x, or x - y for the last update) and the
// saturation test (mode ids from src/core/stats.ts).
fn stat_value(i: u32) -> f32 {
  if (SUB == 1u) { return x[i] - y[i]; }
  return x[i];
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

// Histogram bin of v in [lo, hi]: the same formula as histBin in stats.ts.
fn hist_bin(v: f32, lo: f32, scale: f32) -> u32 {
  return u32(clamp(floor((v - lo) * scale), 0.0, f32(HIST_BINS - 1u)));
}
