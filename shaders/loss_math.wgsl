// The loss, by id (LOSS_*, after the output activation ACT_* with its alpha), over values: the
// one WGSL definition of src/core/losses.ts's formulas and Keras' conventions. loss_row.wgsl
// applies them to a row of the output layer (the loss kernel, the fused step); the atlas
// population's generated code calls them for its single output.

fn clip_p(p: f32) -> f32 { return clamp(p, LOSS_EPSILON, 1.0 - LOSS_EPSILON); }

// One output's term of the row's loss; `lse` is the row's log-sum-exp (categorical only).
fn loss_term(loss: u32, act: u32, z: f32, a: f32, y: f32, lse: f32) -> f32 {
  if (loss == LOSS_MSE) {
    let d = a - y;
    return d * d;
  }
  if (loss == LOSS_BINARY_CROSSENTROPY) {
    // From the logit behind a sigmoid, as Keras' TensorFlow backend does; else from p, clipped.
    if (act == ACT_SIGMOID) { return softplus_f(z) - z * y; }
    let p = clip_p(a);
    return -(y * log(p) + (1.0 - y) * log(1.0 - p));
  }
  // Categorical: log-softmax from z (config.ts admits it only after a softmax).
  return -(y * (z - lse));
}

// dLoss/da of one output: `inv` is 1 / (rows · units), `rows` this step's rows.
fn loss_grad(loss: u32, a: f32, y: f32, inv: f32, rows: f32) -> f32 {
  if (loss == LOSS_MSE) { return 2.0 * (a - y) * inv; }
  if (loss == LOSS_BINARY_CROSSENTROPY) {
    let p = clip_p(a);
    // Outside the clip range the loss is flat in a: Keras' clip passes no gradient there.
    return select(0.0, ((p - y) / (p * (1.0 - p))) * inv, p == a);
  }
  return (-y / clip_p(a)) / rows;
}

// dLoss/dz where the loss is fused with its activation (sigmoid + binary, softmax + categorical
// cross-entropy): (p − y) / n, finite where p saturates.
fn fused_grad(loss: u32, a: f32, y: f32, inv: f32, rows: f32) -> f32 {
  return (a - y) * select(inv, 1.0 / rows, loss == LOSS_CATEGORICAL_CROSSENTROPY);
}
