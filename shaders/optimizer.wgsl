// One optimizer update per element, in Keras 3's formulation (src/core/cpu/optimizers.ts).
// OPT: 0 sgd, 1 sgd + momentum, 2 sgd + nesterov momentum, 3 adam, 4 rmsprop.
// Adam's bias-corrected step size arrives per step in cur.alpha.
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> s1: array<f32>;
@group(0) @binding(4) var<storage, read_write> s2: array<f32>;
@group(0) @binding(5) var<storage, read> cur: StepInfo;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= P.n) { return; }
  let gi = g[i];
  if (OPT == 0u) {
    w[i] -= P.lr * gi;
  } else if (OPT == 1u) {
    let v = P.c1 * s1[i] - P.lr * gi;
    s1[i] = v;
    w[i] += v;
  } else if (OPT == 2u) {
    let v = P.c1 * s1[i] - P.lr * gi;
    s1[i] = v;
    w[i] += P.c1 * v - P.lr * gi;
  } else if (OPT == 3u) {
    let m = s1[i] + (gi - s1[i]) * (1.0 - P.c1);
    let v = s2[i] + (gi * gi - s2[i]) * (1.0 - P.c2);
    s1[i] = m;
    s2[i] = v;
    w[i] -= (m * cur.alpha) / (sqrt(v) + P.eps);
  } else {
    let v = P.c2 * s2[i] + (1.0 - P.c2) * gi * gi;
    s2[i] = v;
    w[i] -= (P.lr * gi) / sqrt(v + P.eps);
  }
}
