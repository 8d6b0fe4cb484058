// One optimizer update by id (OPT_*), in Keras 3's formulation (src/core/cpu/optimizers.ts),
// over values: the one WGSL definition the optimizer kernels (four weights at a time), the fused
// small-network step and the atlas population (one weight at a time) share. OptValue, f32 or
// vec4<f32>, is aliased by the including kernel (src/gpu/kernels.ts optimizerStepWgsl).
//   sgd       w − lr·g
//   momentum  s1 = decay1·s1 − lr·g;  w + s1                 (decay1: the momentum)
//   nesterov  s1 = decay1·s1 − lr·g;  w + decay1·s1 − lr·g
//   adam      s1 += (g − s1)(1 − decay1);  s2 += (g² − s2)(1 − decay2);  w − alpha·s1 / (√s2 + eps)
//   rmsprop   s2 = decay2·s2 + (1 − decay2)·g²;  w − lr·g / √(s2 + eps)
// decay1 is β1 for Adam; decay2 is β2 for Adam, ρ for RMSprop; alpha is Adam's bias-corrected
// step size of this iteration (src/core/cpu/optimizers.ts adamAlpha).
struct OptHyper {
  lr: f32,
  decay1: f32,
  decay2: f32,
  eps: f32,
  alpha: f32,
}

// The new weights and slots.
struct OptResult {
  w: OptValue,
  s1: OptValue,
  s2: OptValue,
}

// Whether update `opt` reads and writes slot s1 (the velocity or first moment) and s2 (the
// second moment): the callers touch a slot's storage only where it does.
fn opt_uses_s1(opt: u32) -> bool {
  return opt == OPT_MOMENTUM || opt == OPT_NESTEROV || opt == OPT_ADAM;
}

fn opt_uses_s2(opt: u32) -> bool {
  return opt == OPT_ADAM || opt == OPT_RMSPROP;
}

fn opt_update(opt: u32, h: OptHyper, w: OptValue, g: OptValue, s1: OptValue, s2: OptValue) -> OptResult {
  switch opt {
    case OPT_MOMENTUM: {
      let v = h.decay1 * s1 - h.lr * g;
      return OptResult(w + v, v, s2);
    }
    case OPT_NESTEROV: {
      let v = h.decay1 * s1 - h.lr * g;
      return OptResult(w + (h.decay1 * v - h.lr * g), v, s2);
    }
    case OPT_ADAM: {
      let m = s1 + (g - s1) * (1.0 - h.decay1);
      let v = s2 + (g * g - s2) * (1.0 - h.decay2);
      return OptResult(w - (m * h.alpha) / (sqrt(v) + h.eps), m, v);
    }
    case OPT_RMSPROP: {
      let v = h.decay2 * s2 + (1.0 - h.decay2) * g * g;
      return OptResult(w - (h.lr * g) / sqrt(v + h.eps), s1, v);
    }
    default: {
      return OptResult(w - h.lr * g, s1, s2);
    }
  }
}
