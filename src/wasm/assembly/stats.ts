// Per-layer statistics (src/core/stats.ts) in WebAssembly: the reference's reduceSlot and
// normSlot, the same two passes in float64 in the same order, so slots agree with the
// reference's to the last bit but for the histogram's float32 inputs. A record reduces every
// slot of every layer as one job: each chunk is one slot, described by a row of SLOT_TASK i32s
// (tensor, length, saturation mode or kind, output, and for a difference the tensor subtracted).
// The slot layout and thresholds are the reference's, passed in (loadLayout), never written here.

export const SLOT_TASK = 6;
/** Kinds (the task's third field): 0..3 a full slot with that saturation mode; these below a norm-only slot. */
export const KIND_NORM = 16;
/** Norm of x − y (the last update: W after minus W before). */
export const KIND_DELTA_NORM = 17;

let COUNT = 0, MEAN = 0, STD = 0, MIN = 0, MAX = 0, ZEROS = 0, SATURATED = 0, NORM = 0, HIST = 0, SIZE = 0;
let HIST_BINS = 0;
let SAT_TANH: f64 = 0, SAT_SIGMOID_LOW: f64 = 0, SAT_SOFTSIGN: f64 = 0;

/** Bytes of the layout block the engine writes (11 i32s, then three f64 thresholds at byte 48). */
export const STATS_LAYOUT_BYTES = 72;

/**
 * Reads the reference's slot layout, bins and saturation thresholds (src/core/stats.ts: SLOT,
 * HIST_BINS, SAT_THRESHOLDS) from the block the engine wrote: count, mean, std, min, max, zeros,
 * saturated, norm, hist, size, bins as i32, then tanh, sigmoidLow, softsign as f64 at byte 48.
 * Globals are per instance, and an instance serves one thread, so each chunk loads them itself.
 */
function loadLayout(at: usize): void {
  COUNT = load<i32>(at); MEAN = load<i32>(at, 4); STD = load<i32>(at, 8); MIN = load<i32>(at, 12);
  MAX = load<i32>(at, 16); ZEROS = load<i32>(at, 20); SATURATED = load<i32>(at, 24); NORM = load<i32>(at, 28);
  HIST = load<i32>(at, 32); SIZE = load<i32>(at, 36); HIST_BINS = load<i32>(at, 40);
  SAT_TANH = load<f64>(at, 48); SAT_SIGMOID_LOW = load<f64>(at, 56); SAT_SOFTSIGN = load<f64>(at, 64);
}

function saturated(mode: i32, a: f64): bool {
  if (mode == 1) return Math.abs(a) > SAT_TANH;
  if (mode == 2) return a < SAT_SIGMOID_LOW || a > 1 - SAT_SIGMOID_LOW;
  if (mode == 3) return Math.abs(a) > SAT_SOFTSIGN;
  return false;
}

// @ts-ignore: decorator
@inline
function put(out: usize, field: i32, v: f64): void {
  store<f64>(out + <usize>field * 8, v);
}

function fullSlot(x: usize, n: i32, mode: i32, out: usize): void {
  let sum: f64 = 0, sumsq: f64 = 0, zeros: f64 = 0, sat: f64 = 0, mn: f64 = Infinity, mx: f64 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    sum += v;
    sumsq += v * v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    if (v == 0) zeros++;
    if (mode != 0 && saturated(mode, v)) sat++;
  }
  if (n == 0) {
    mn = 0;
    mx = 0;
  }
  const mean = n > 0 ? sum / n : 0;
  for (let b = 0; b < HIST_BINS; b++) put(out, HIST + b, 0);
  const scale: f64 = mx > mn ? <f64>HIST_BINS / (mx - mn) : 0;
  let dev: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    const d = v - mean;
    dev += d * d;
    const bin = <i32>Math.min(HIST_BINS - 1, Math.max(0, Math.floor((v - mn) * scale)));
    const at = out + <usize>(HIST + bin) * 8;
    store<f64>(at, load<f64>(at) + 1);
  }
  put(out, COUNT, n);
  put(out, MEAN, mean);
  put(out, STD, n > 0 ? Math.sqrt(dev / n) : 0);
  put(out, MIN, mn);
  put(out, MAX, mx);
  put(out, ZEROS, zeros);
  put(out, SATURATED, sat);
  put(out, NORM, Math.sqrt(sumsq));
}

function normSlot(x: usize, y: usize, n: i32, out: usize): void {
  let sumsq: f64 = 0;
  for (let i = 0; i < n; i++) {
    let v = <f64>load<f32>(x + <usize>i * 4);
    // The reference rounds the difference to float32 (it stores it in a Float32Array first).
    if (y) v = <f64>(<f32>(v - <f64>load<f32>(y + <usize>i * 4)));
    sumsq += v * v;
  }
  for (let f = 0; f < SIZE; f++) put(out, f, 0);
  put(out, COUNT, n);
  put(out, NORM, Math.sqrt(sumsq));
}

/** One slot of a record: task row `chunk` of the table at `tasks`; `layout` as loadLayout reads it. */
export function reduceSlots(chunk: i32, scratch: usize, tasks: usize, layout: usize): void {
  loadLayout(layout);
  const row = tasks + <usize>(chunk * SLOT_TASK) * 4;
  const x = <usize>load<i32>(row), n = load<i32>(row, 4), kind = load<i32>(row, 8);
  const out = <usize>load<i32>(row, 12), y = <usize>load<i32>(row, 16);
  if (kind == KIND_NORM) normSlot(x, 0, n, out);
  else if (kind == KIND_DELTA_NORM) normSlot(x, y, n, out);
  else fullSlot(x, n, kind, out);
}
