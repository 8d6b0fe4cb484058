// Softmax over one row of `units` pre-activations from index o, read through row_z(i), which the
// including kernel defines over its own storage. The row's max and the sum of exp(z - max) make
// both the softmax, exp(z - max) / sum, and the log-sum-exp, log(sum) + max, stable for any z
// (src/core/activations.ts softmaxRow, src/core/losses.ts).

fn softmax_max_sum(o: u32, units: u32) -> vec2<f32> {
  var m = row_z(o);
  for (var j = 1u; j < units; j++) { m = max(m, row_z(o + j)); }
  var s = 0.0;
  for (var j = 0u; j < units; j++) { s += exp(row_z(o + j) - m); }
  return vec2<f32>(m, s);
}

// The softmax of element i of a row whose softmax_max_sum is `max_sum`.
fn softmax_at(i: u32, max_sum: vec2<f32>) -> f32 {
  return exp(row_z(i) - max_sum.x) / max_sum.y;
}
