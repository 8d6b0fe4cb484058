// Loss, accuracy and the output layer's gradients, one invocation per row; the same formulas as
// src/core/losses.ts. LOSS: 0 mse, 1 binary_crossentropy, 2 categorical_crossentropy.
// FUSED = 1 when dZ = (p - y)/n directly (sigmoid + BCE, softmax + CCE).
// rowOut[r] = (per-sample loss, 1 if correct); rows past the batch get zeros everywhere.
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Aout: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read> cur: StepInfo;
@group(0) @binding(5) var<storage, read_write> dA: array<f32>;
@group(0) @binding(6) var<storage, read_write> dZ: array<f32>;
@group(0) @binding(7) var<storage, read_write> rowOut: array<vec2<f32>>;

fn clip_p(p: f32) -> f32 { return clamp(p, LOSS_EPSILON, 1.0 - LOSS_EPSILON); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= P.batch) { return; }
  let U = P.units;
  let o = r * U;
  if (r >= cur.rows) {
    for (var j = 0u; j < U; j++) { dA[o + j] = 0.0; dZ[o + j] = 0.0; }
    rowOut[r] = vec2<f32>(0.0, 0.0);
    return;
  }
  let rows = f32(cur.rows);
  let inv = 1.0 / (rows * f32(U));
  var loss = 0.0;
  if (LOSS == 0u) {
    for (var j = 0u; j < U; j++) {
      let d = Aout[o + j] - Y[o + j];
      loss += d * d;
      dA[o + j] = 2.0 * d * inv;
    }
    loss = loss / f32(U);
  } else if (LOSS == 1u) {
    for (var j = 0u; j < U; j++) {
      let y = Y[o + j];
      if (ACT == 1u) {
        let x = Z[o + j];
        loss += max(x, 0.0) + log(1.0 + exp(-abs(x))) - x * y;
      } else {
        let p = clip_p(Aout[o + j]);
        loss += -(y * log(p) + (1.0 - y) * log(1.0 - p));
      }
      let p = clip_p(Aout[o + j]);
      // Outside the clip range the loss is flat in a: Keras' clip passes no gradient there.
      dA[o + j] = select(0.0, ((p - y) / (p * (1.0 - p))) * inv, p == Aout[o + j]);
    }
    loss = loss / f32(U);
  } else {
    var m = Z[o];
    for (var j = 1u; j < U; j++) { m = max(m, Z[o + j]); }
    var s = 0.0;
    for (var j = 0u; j < U; j++) { s += exp(Z[o + j] - m); }
    let lse = log(s) + m;
    for (var j = 0u; j < U; j++) {
      let y = Y[o + j];
      loss -= y * (Z[o + j] - lse);
      dA[o + j] = (-y / clip_p(Aout[o + j])) / rows;
    }
  }
  // Keras accuracy: threshold 0.5 for one output, first argmax otherwise.
  var correct = 0.0;
  if (U == 1u) {
    correct = select(0.0, 1.0, (Aout[o] > 0.5) == (Y[o] > 0.5));
  } else {
    var pa = 0u; var py = 0u;
    for (var j = 1u; j < U; j++) {
      if (Aout[o + j] > Aout[o + pa]) { pa = j; }
      if (Y[o + j] > Y[o + py]) { py = j; }
    }
    correct = select(0.0, 1.0, pa == py);
  }
  rowOut[r] = vec2<f32>(loss, correct);
  if (FUSED == 1u) {
    let s = select(inv, 1.0 / rows, LOSS == 2u);
    for (var j = 0u; j < U; j++) { dZ[o + j] = (Aout[o + j] - Y[o + j]) * s; }
  } else if (ACT == 11u) {
    var dot = 0.0;
    for (var j = 0u; j < U; j++) { dot += dA[o + j] * Aout[o + j]; }
    for (var j = 0u; j < U; j++) { dZ[o + j] = Aout[o + j] * (dA[o + j] - dot); }
  } else {
    for (var j = 0u; j < U; j++) { dZ[o + j] = dA[o + j] * act_df(ACT, ALPHA, Z[o + j]); }
  }
}
