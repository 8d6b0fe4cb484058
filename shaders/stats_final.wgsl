// Statistics, pass 3 of 3, for every slot of a record in one dispatch (workgroup s: slot s of
// `slots`): combines the partials of passes 1 and 2 into the slot (layout from src/core/stats.ts,
// injected as the SLOT_* constants). The spread merges the chunks' M2 with Chan's formula (zero
// where pass 1 skipped it); without a histogram (pass 2 skipped: tensors whose histogram is not
// read) the histogram is 0. One dispatch instead of one per slot: on a software adapter each
// dispatch has a fixed cost larger than this pass's work.
struct SlotTask {
  n: u32,      // element count, or 0: this step's rows times `width`
  width: u32,
  slot: u32,   // where the slot starts in `out`
  groups: u32, // partials of pass 2, from `part`
  part: u32,
  hist: u32,   // 1 where pass 2 ran
  parts: u32,  // partials of pass 1, from `part`
}

@group(0) @binding(1) var<storage, read> step_info: StepInfo;
@group(0) @binding(2) var<storage, read> part1: array<array<f32, 8>>;
@group(0) @binding(3) var<storage, read> part2: array<f32>;
@group(0) @binding(4) var<storage, read> slots: array<SlotTask>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let task = slots[wid.x];
  var n = task.n;
  if (n == 0u) { n = step_info.rows * task.width; }
  let o = task.slot;
  if (t < HIST_BINS) {
    var c = 0.0;
    if (task.hist == 1u) {
      for (var g = 0u; g < task.groups; g++) { c += part2[(task.part + g) * HIST_BINS + t]; }
    }
    out[o + SLOT_HIST + t] = c;
  }
  if (t == 0u) {
    var sum = 0.0; var sq = 0.0; var mn = 3.4e38; var mx = -3.4e38; var zeros = 0.0; var sat = 0.0;
    for (var g = 0u; g < task.parts; g++) {
      let p = part1[task.part + g];
      sum += p[0]; sq += p[1]; mn = min(mn, p[2]); mx = max(mx, p[3]); zeros += p[4]; sat += p[5];
    }
    let cnt = max(f32(n), 1.0);
    let mean = sum / cnt;
    var m2 = 0.0;
    for (var g = 0u; g < task.parts; g++) {
      let p = part1[task.part + g];
      let ng = f32(bitcast<u32>(p[7]));
      if (ng > 0.0) {
        let d = p[0] / ng - mean;
        m2 += p[6] + ng * d * d;
      }
    }
    // No extremes seen: an empty tensor, or a norm-only one (stats_reduce.wgsl).
    if (n == 0u || mn > mx) { mn = 0.0; mx = 0.0; }
    out[o + SLOT_COUNT] = f32(n);
    out[o + SLOT_MEAN] = select(0.0, mean, n > 0u);
    out[o + SLOT_STD] = sqrt(max(m2, 0.0) / cnt);
    out[o + SLOT_MIN] = mn;
    out[o + SLOT_MAX] = mx;
    out[o + SLOT_ZEROS] = zeros;
    out[o + SLOT_SATURATED] = sat;
    out[o + SLOT_NORM] = sqrt(sq);
  }
}
