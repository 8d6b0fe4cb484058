// Element-wise work over whole tensors: the optimizers (Keras 3's formulation, as in
// src/core/cpu/optimizers.ts) four lanes at a time, split into chunks that threads claim, and
// the row-wise softmax (scalar, in float64 like the reference; the output layer's backward pass
// is the loss's).
import { actForward } from './activations';

/** Elements per chunk of an element-wise job. */
export const ELEMENT_CHUNK = 16384;

export const OPT_SGD = 0;
export const OPT_MOMENTUM = 1;
export const OPT_NESTEROV = 2;
export const OPT_ADAM = 3;
export const OPT_RMSPROP = 4;

export function elementChunks(n: i32): i32 {
  return (n + ELEMENT_CHUNK - 1) / ELEMENT_CHUNK;
}

function sgdSlot(kind: i32, lr: v128, mu: v128, g: v128, s1: v128): v128 {
  // s1 = mu·s1 − lr·g (momentum and Nesterov).
  return f32x4.sub(f32x4.mul(mu, s1), f32x4.mul(lr, g));
}

/**
 * Updates w from g over one chunk of n elements; s1, s2 are the optimizer's slots. Parameters by
 * kind: sgd (lr), momentum and nesterov (lr, momentum), adam (alpha, beta_1, beta_2, epsilon;
 * alpha with the bias correction folded in), rmsprop (lr, rho, epsilon).
 */
export function optimize(
  chunk: i32, scratch: usize, kind: i32, n: i32, w: usize, g: usize, s1: usize, s2: usize,
  p0: f32, p1: f32, p2: f32, p3: f32,
): void {
  const start = chunk * ELEMENT_CHUNK, end = min(n, start + ELEMENT_CHUNK);
  const v0 = f32x4.splat(p0), v1 = f32x4.splat(p1), v2 = f32x4.splat(p2), v3 = f32x4.splat(p3);
  const one = f32x4.splat(1);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const at = <usize>i * 4;
    const gi = v128.load(g + at);
    const wi = v128.load(w + at);
    if (kind == OPT_SGD) {
      v128.store(w + at, f32x4.sub(wi, f32x4.mul(v0, gi)));
    } else if (kind == OPT_MOMENTUM || kind == OPT_NESTEROV) {
      const m = sgdSlot(kind, v0, v1, gi, v128.load(s1 + at));
      v128.store(s1 + at, m);
      const step = kind == OPT_NESTEROV ? f32x4.sub(f32x4.mul(v1, m), f32x4.mul(v0, gi)) : m;
      v128.store(w + at, f32x4.add(wi, step));
    } else if (kind == OPT_ADAM) {
      let m = v128.load(s1 + at), v = v128.load(s2 + at);
      m = f32x4.add(m, f32x4.mul(f32x4.sub(gi, m), f32x4.sub(one, v1)));
      v = f32x4.add(v, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v), f32x4.sub(one, v2)));
      v128.store(s1 + at, m);
      v128.store(s2 + at, v);
      v128.store(w + at, f32x4.sub(wi, f32x4.div(f32x4.mul(m, v0), f32x4.add(f32x4.sqrt(v), v3))));
    } else {
      let v = v128.load(s2 + at);
      v = f32x4.add(f32x4.mul(v1, v), f32x4.mul(f32x4.mul(f32x4.sub(one, v1), gi), gi));
      v128.store(s2 + at, v);
      v128.store(w + at, f32x4.sub(wi, f32x4.div(f32x4.mul(v0, gi), f32x4.sqrt(f32x4.add(v, v2)))));
    }
  }
  for (; i < end; i++) {
    const at = <usize>i * 4;
    const gi = load<f32>(g + at);
    const wi = load<f32>(w + at);
    if (kind == OPT_SGD) {
      store<f32>(w + at, wi - p0 * gi);
    } else if (kind == OPT_MOMENTUM || kind == OPT_NESTEROV) {
      const m = p1 * load<f32>(s1 + at) - p0 * gi;
      store<f32>(s1 + at, m);
      store<f32>(w + at, wi + (kind == OPT_NESTEROV ? p1 * m - p0 * gi : m));
    } else if (kind == OPT_ADAM) {
      let m = load<f32>(s1 + at), v = load<f32>(s2 + at);
      m += (gi - m) * (1 - p1);
      v += (gi * gi - v) * (1 - p2);
      store<f32>(s1 + at, m);
      store<f32>(s2 + at, v);
      store<f32>(w + at, wi - (m * p0) / (Mathf.sqrt(v) + p3));
    } else {
      const v = p1 * load<f32>(s2 + at) + (1 - p1) * gi * gi;
      store<f32>(s2 + at, v);
      store<f32>(w + at, wi - (p0 * gi) / Mathf.sqrt(v + p2));
    }
  }
}

/** A = f(Z) element-wise over n elements (not softmax). */
export function activate(n: i32, act: i32, alpha: f32, z: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i * 4;
    store<f32>(out + at, <f32>actForward(act, alpha, load<f32>(z + at)));
  }
}

/** Row-wise softmax of rows × units, stable (the row's maximum subtracted). */
export function softmaxRows(rows: i32, units: i32, z: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>(r * units) * 4, outr = out + <usize>(r * units) * 4;
    let m: f64 = -Infinity;
    for (let j = 0; j < units; j++) m = Math.max(m, <f64>load<f32>(zr + <usize>j * 4));
    let s: f64 = 0;
    for (let j = 0; j < units; j++) s += Math.exp(<f64>load<f32>(zr + <usize>j * 4) - m);
    for (let j = 0; j < units; j++) store<f32>(outr + <usize>j * 4, <f32>(Math.exp(<f64>load<f32>(zr + <usize>j * 4) - m) / s));
  }
}
