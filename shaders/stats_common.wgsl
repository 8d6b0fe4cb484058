// Shared by the statistics kernels that read a tensor: the element count, the chunk of each
// workgroup and the histogram bin.

// Element count: fixed, or this step's rows times the layer width (a short last batch).
fn stat_count() -> u32 {
  if (PER_ROW == 1u) { return step_info.rows * P.width; }
  return P.n;
}

// The elements [start, end) of workgroup g: contiguous chunks whose starts are multiples of 4,
// so each invocation's four elements of an iteration are one vec4. Every pass that reads the
// tensor cuts it the same way.
fn stat_chunk(n: u32, g: u32) -> vec2<u32> {
  let chunk = ((n + P.groups - 1u) / P.groups + 3u) & ~3u;
  let start = min(n, g * chunk);
  return vec2<u32>(start, min(n, start + chunk));
}

// Histogram bin of v in [lo, hi]: the same formula as histBin in stats.ts. The whole float
// 0..HIST_BINS-1 becomes an integer by adding 2^23 (it lands in the low mantissa bits, exactly)
// and subtracting that float's bits, instead of u32(): WGSL's conversion saturates, and on
// lavapipe the clamps around it and x86's missing unsigned conversion were most of the
// histogram pass (bench/REPORT.md history).
fn hist_bin(v: f32, lo: f32, scale: f32) -> u32 {
  return bitcast<u32>(clamp(floor((v - lo) * scale), 0.0, f32(HIST_BINS - 1u)) + 8388608.0) - 0x4B000000u;
}
