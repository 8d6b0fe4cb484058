// One row of the output layer (loss_math.wgsl's formulas): its loss, its accuracy and the
// output layer's gradients, for the loss kernel (loss.wgsl) and the fused step (fused_step.wgsl).
// The row is reached through functions the including kernel defines over its own storage:
// row_z(i) (the output pre-activation, shared with softmax_row.wgsl), out_a(i), target_y(i),
// and set_out_grads(i, dA, dZ).

// Keras' accuracy of a row: threshold 0.5 for one output, the first argmax otherwise.
fn row_correct(o: u32, units: u32) -> f32 {
  if (units == 1u) { return select(0.0, 1.0, (out_a(o) > 0.5) == (target_y(o) > 0.5)); }
  var pa = 0u;
  var py = 0u;
  for (var j = 1u; j < units; j++) {
    if (out_a(o + j) > out_a(o + pa)) { pa = j; }
    if (target_y(o + j) > target_y(o + py)) { py = j; }
  }
  return select(0.0, 1.0, pa == py);
}

// Row r of the output layer: returns (its loss, 1 if correct) and stores dA and dZ; `fused` as
// isFused in src/core/losses.ts. Rows at or past this step's `rows` (a short last batch) get zeros.
fn loss_row(loss: u32, act: u32, alpha: f32, fused: bool, r: u32, units: u32, rows: u32) -> vec2<f32> {
  let o = r * units;
  if (r >= rows) {
    for (var j = 0u; j < units; j++) { set_out_grads(o + j, 0.0, 0.0); }
    return vec2<f32>(0.0, 0.0);
  }
  let n = f32(rows);
  let inv = 1.0 / (n * f32(units));
  var lse = 0.0;
  if (loss == LOSS_CATEGORICAL_CROSSENTROPY) {
    let max_sum = softmax_max_sum(o, units);
    lse = log(max_sum.y) + max_sum.x;
  }
  var total = 0.0;
  // <dA, a>: the softmax Jacobian's term, dZ = a ⊙ (dA − <dA, a>).
  var dot = 0.0;
  for (var j = 0u; j < units; j++) {
    let a = out_a(o + j);
    let y = target_y(o + j);
    total += loss_term(loss, act, row_z(o + j), a, y, lse);
    if (!fused && act == ACT_SOFTMAX) { dot += loss_grad(loss, a, y, inv, n) * a; }
  }
  for (var j = 0u; j < units; j++) {
    let a = out_a(o + j);
    let y = target_y(o + j);
    let g = loss_grad(loss, a, y, inv, n);
    var dz = 0.0;
    if (fused) {
      dz = fused_grad(loss, a, y, inv, n);
    } else if (act == ACT_SOFTMAX) {
      dz = a * (g - dot);
    } else {
      dz = g * act_df(act, alpha, row_z(o + j));
    }
    set_out_grads(o + j, g, dz);
  }
  // Categorical sums over classes; mse and binary average over output units.
  if (loss != LOSS_CATEGORICAL_CROSSENTROPY) { total = total / f32(units); }
  return vec2<f32>(total, row_correct(o, units));
}
