// One optimizer update of the four elements at vec4 index q, in Keras 3's formulation
// (src/core/cpu/optimizers.ts): takes the weights and gradient, updates the slots s1 and s2 in
// place, returns the new weights. Shared by the optimizer and the recording optimizer
// (stats_optimizer.wgsl). OPT: 0 sgd, 1 sgd + momentum, 2 sgd + nesterov momentum, 3 adam,
// 4 rmsprop. Adam's bias-corrected step size arrives per step in cur.alpha.
fn update4(q: u32, wi: vec4<f32>, gi: vec4<f32>) -> vec4<f32> {
  if (OPT == 0u) {
    return wi - P.lr * gi;
  } else if (OPT == 1u) {
    let v = P.c1 * s1[q] - P.lr * gi;
    s1[q] = v;
    return wi + v;
  } else if (OPT == 2u) {
    let v = P.c1 * s1[q] - P.lr * gi;
    s1[q] = v;
    return wi + (P.c1 * v - P.lr * gi);
  } else if (OPT == 3u) {
    let m = s1[q] + (gi - s1[q]) * (1.0 - P.c1);
    let v = s2[q] + (gi * gi - s2[q]) * (1.0 - P.c2);
    s1[q] = m;
    s2[q] = v;
    return wi - (m * cur.alpha) / (sqrt(v) + P.eps);
  }
  let v = P.c2 * s2[q] + (1.0 - P.c2) * gi * gi;
  s2[q] = v;
  return wi - (P.lr * gi) / sqrt(v + P.eps);
}
