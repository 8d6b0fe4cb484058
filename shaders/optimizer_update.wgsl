// The optimizer update (optimizer_step.wgsl) of the four weights at vec4 index q, with their
// slots in storage s1 and s2, the hyperparameters in the uniforms and Adam's step size of this
// iteration in step_info.alpha. Shared by the optimizer and the recording optimizer
// (stats_optimizer.wgsl); returns the new weights, updates the slots in place.
fn update4(q: u32, wi: vec4<f32>, gi: vec4<f32>) -> vec4<f32> {
  let h = OptHyper(P.lr, P.decay1, P.decay2, P.eps, step_info.alpha);
  var m = vec4<f32>(0.0);
  var v = vec4<f32>(0.0);
  if (opt_uses_s1(OPT)) { m = s1[q]; }
  if (opt_uses_s2(OPT)) { v = s2[q]; }
  let r = opt_update(OPT, h, wi, gi, m, v);
  if (opt_uses_s1(OPT)) { s1[q] = r.s1; }
  if (opt_uses_s2(OPT)) { s2[q] = r.s2; }
  return r.w;
}
