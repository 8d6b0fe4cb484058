// Whole training steps of a small network in one dispatch: one workgroup runs steps
// range.x .. range.x + range.y of the chunk's step table, each step the same sequence as the
// multi-kernel path (gather, forward, loss, backward, update), separated by barriers. Small
// networks are dominated by per-dispatch overhead, not arithmetic; this removes it.
// Every formula matches the multi-kernel path and src/core (tested against the CPU engine).
//
// The network's tensors live in two arenas: `st` (parameters, gradients, optimizer slots) and `ac`
// (batch inputs and targets, per-layer Z, A, dA, dZ, per-row loss). `lay` holds the offsets:
//   lay[0] = (layers, inDim, outDim, batch)   lay[1] = (xb, yb, rowOut, -)
//   lay[2] = (lr, c1, c2, eps) as f32 bits
//   per layer l, base 3 + 4l: (fanIn, units, act, alpha bits) (W, b, dW, db)
//                             (sW1, sW2, sb1, sb2) (Z, A, dA, dZ)
@group(0) @binding(1) var<uniform> lay: array<vec4<u32>, LAYOUT_LEN>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read> perm: array<u32>;
@group(0) @binding(5) var<storage, read> table: array<StepInfo>;
@group(0) @binding(6) var<storage, read> range: vec4<u32>;
@group(0) @binding(7) var<storage, read_write> st: array<f32>;
@group(0) @binding(8) var<storage, read_write> ac: array<f32>;
@group(0) @binding(9) var<storage, read_write> totals: array<f32>;


// Loop bounds must be workgroup-uniform for the barriers inside the loops; storage may be bound
// writable (the engine's arenas), so they are passed through workgroup memory.
var<workgroup> w_range: vec4<u32>;
var<workgroup> w_info: StepInfo;

fn sync() {
  storageBarrier();
  workgroupBarrier();
}

fn clip_p(p: f32) -> f32 { return clamp(p, LOSS_EPSILON, 1.0 - LOSS_EPSILON); }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let nL = lay[0].x; let inDim = lay[0].y; let outDim = lay[0].z; let B = lay[0].w;
  let xb = lay[1].x; let yb = lay[1].y; let rowOut = lay[1].z;
  let lr = bitcast<f32>(lay[2].x); let c1 = bitcast<f32>(lay[2].y);
  let c2 = bitcast<f32>(lay[2].z); let eps = bitcast<f32>(lay[2].w);
  if (t == 0u) { w_range = range; }
  let rg = workgroupUniformLoad(&w_range);
  for (var s = rg.x; s < rg.x + rg.y; s++) {
    if (t == 0u) { w_info = table[s]; }
    let info = workgroupUniformLoad(&w_info);
    let rows = info.rows;
    // Gather this step's rows; rows past the batch are zero.
    for (var i = t; i < B * inDim; i += WG) {
      let r = i / inDim;
      ac[xb + i] = select(0.0, X[perm[info.perm_offset + min(r, rows - 1u)] * inDim + i % inDim], r < rows);
    }
    for (var i = t; i < B * outDim; i += WG) {
      let r = i / outDim;
      ac[yb + i] = select(0.0, Y[perm[info.perm_offset + min(r, rows - 1u)] * outDim + i % outDim], r < rows);
    }
    sync();
    // Forward.
    var inOff = xb;
    for (var l = 0u; l < nL; l++) {
      let g = lay[3u + 4u * l]; let p = lay[4u + 4u * l]; let a = lay[6u + 4u * l];
      let fanIn = g.x; let units = g.y; let act = g.z; let alpha = bitcast<f32>(g.w);
      for (var i = t; i < B * units; i += WG) {
        let r = i / units; let j = i % units;
        var z = st[p.y + j];
        for (var k = 0u; k < fanIn; k++) { z += ac[inOff + r * fanIn + k] * st[p.x + k * units + j]; }
        ac[a.x + i] = z;
        if (act != 11u) { ac[a.y + i] = act_f(act, alpha, z); }
      }
      sync();
      if (act == 11u) {
        for (var r = t; r < B; r += WG) {
          let o = r * units;
          var m = ac[a.x + o];
          for (var j = 1u; j < units; j++) { m = max(m, ac[a.x + o + j]); }
          var sum = 0.0;
          for (var j = 0u; j < units; j++) { sum += exp(ac[a.x + o + j] - m); }
          for (var j = 0u; j < units; j++) { ac[a.y + o + j] = exp(ac[a.x + o + j] - m) / sum; }
        }
        sync();
      }
      inOff = a.y;
    }
    // Loss and the output layer's gradients (as shaders/loss.wgsl).
    let og = lay[3u + 4u * (nL - 1u)]; let oa = lay[6u + 4u * (nL - 1u)];
    let U = og.y;
    for (var r = t; r < B; r += WG) {
      let o = r * U;
      if (r >= rows) {
        for (var j = 0u; j < U; j++) { ac[oa.z + o + j] = 0.0; ac[oa.w + o + j] = 0.0; }
        ac[rowOut + 2u * r] = 0.0; ac[rowOut + 2u * r + 1u] = 0.0;
        continue;
      }
      let fr = f32(rows);
      let inv = 1.0 / (fr * f32(U));
      var loss = 0.0;
      if (LOSS == 0u) {
        for (var j = 0u; j < U; j++) {
          let d = ac[oa.y + o + j] - ac[yb + o + j];
          loss += d * d;
          ac[oa.z + o + j] = 2.0 * d * inv;
        }
        loss = loss / f32(U);
      } else if (LOSS == 1u) {
        for (var j = 0u; j < U; j++) {
          let y = ac[yb + o + j];
          let av = ac[oa.y + o + j];
          if (OUT_ACT == 1u) {
            let x = ac[oa.x + o + j];
            loss += max(x, 0.0) + log(1.0 + exp(-abs(x))) - x * y;
          } else {
            let p = clip_p(av);
            loss += -(y * log(p) + (1.0 - y) * log(1.0 - p));
          }
          let p = clip_p(av);
          ac[oa.z + o + j] = select(0.0, ((p - y) / (p * (1.0 - p))) * inv, p == av);
        }
        loss = loss / f32(U);
      } else {
        var m = ac[oa.x + o];
        for (var j = 1u; j < U; j++) { m = max(m, ac[oa.x + o + j]); }
        var sum = 0.0;
        for (var j = 0u; j < U; j++) { sum += exp(ac[oa.x + o + j] - m); }
        let lse = log(sum) + m;
        for (var j = 0u; j < U; j++) {
          let y = ac[yb + o + j];
          loss -= y * (ac[oa.x + o + j] - lse);
          ac[oa.z + o + j] = (-y / clip_p(ac[oa.y + o + j])) / fr;
        }
      }
      var correct = 0.0;
      if (U == 1u) {
        correct = select(0.0, 1.0, (ac[oa.y + o] > 0.5) == (ac[yb + o] > 0.5));
      } else {
        var pa = 0u; var py = 0u;
        for (var j = 1u; j < U; j++) {
          if (ac[oa.y + o + j] > ac[oa.y + o + pa]) { pa = j; }
          if (ac[yb + o + j] > ac[yb + o + py]) { py = j; }
        }
        correct = select(0.0, 1.0, pa == py);
      }
      ac[rowOut + 2u * r] = loss;
      ac[rowOut + 2u * r + 1u] = correct;
      if (FUSED == 1u) {
        let sc = select(inv, 1.0 / fr, LOSS == 2u);
        for (var j = 0u; j < U; j++) { ac[oa.w + o + j] = (ac[oa.y + o + j] - ac[yb + o + j]) * sc; }
      } else if (OUT_ACT == 11u) {
        var dot = 0.0;
        for (var j = 0u; j < U; j++) { dot += ac[oa.z + o + j] * ac[oa.y + o + j]; }
        for (var j = 0u; j < U; j++) { ac[oa.w + o + j] = ac[oa.y + o + j] * (ac[oa.z + o + j] - dot); }
      } else {
        for (var j = 0u; j < U; j++) { ac[oa.w + o + j] = ac[oa.z + o + j] * act_df(OUT_ACT, OUT_ALPHA, ac[oa.x + o + j]); }
      }
    }
    sync();
    if (t == 0u) {
      var ls = 0.0; var cs = 0.0;
      for (var r = 0u; r < rows; r++) { ls += ac[rowOut + 2u * r]; cs += ac[rowOut + 2u * r + 1u]; }
      totals[0] += ls; totals[1] += cs; totals[2] += f32(rows);
    }
    // Backward, last layer first.
    for (var li = 0u; li < nL; li++) {
      let l = nL - 1u - li;
      let g = lay[3u + 4u * l]; let p = lay[4u + 4u * l]; let a = lay[6u + 4u * l];
      let fanIn = g.x; let units = g.y;
      if (l != nL - 1u) {
        for (var i = t; i < B * units; i += WG) { ac[a.w + i] = ac[a.z + i] * act_df(g.z, bitcast<f32>(g.w), ac[a.x + i]); }
        sync();
      }
      var prevA = xb;
      if (l > 0u) { prevA = lay[6u + 4u * (l - 1u)].y; }
      for (var i = t; i < fanIn * units; i += WG) {
        let k = i / units; let j = i % units;
        var sum = 0.0;
        for (var r = 0u; r < B; r++) { sum += ac[prevA + r * fanIn + k] * ac[a.w + r * units + j]; }
        st[p.z + i] = sum;
      }
      for (var j = t; j < units; j += WG) {
        var sum = 0.0;
        for (var r = 0u; r < B; r++) { sum += ac[a.w + r * units + j]; }
        st[p.w + j] = sum;
      }
      if (l > 0u) {
        let prevDA = lay[6u + 4u * (l - 1u)].z;
        for (var i = t; i < B * fanIn; i += WG) {
          let r = i / fanIn; let k = i % fanIn;
          var sum = 0.0;
          for (var j = 0u; j < units; j++) { sum += ac[a.w + r * units + j] * st[p.x + k * units + j]; }
          ac[prevDA + i] = sum;
        }
      }
      sync();
    }
    // Optimizer (as shaders/optimizer.wgsl), kernels then biases.
    for (var l = 0u; l < nL; l++) {
      let g = lay[3u + 4u * l]; let p = lay[4u + 4u * l]; let sl = lay[5u + 4u * l];
      let nw = g.x * g.y;
      for (var e = t; e < nw + g.y; e += WG) {
        var wi = p.x + e; var gi = p.z + e; var s1 = sl.x + e; var s2 = sl.y + e;
        if (e >= nw) { wi = p.y + e - nw; gi = p.w + e - nw; s1 = sl.z + e - nw; s2 = sl.w + e - nw; }
        let gr = st[gi];
        if (OPT == 0u) {
          st[wi] -= lr * gr;
        } else if (OPT == 1u) {
          let v = c1 * st[s1] - lr * gr;
          st[s1] = v;
          st[wi] += v;
        } else if (OPT == 2u) {
          let v = c1 * st[s1] - lr * gr;
          st[s1] = v;
          st[wi] += c1 * v - lr * gr;
        } else if (OPT == 3u) {
          let m = st[s1] + (gr - st[s1]) * (1.0 - c1);
          let v = st[s2] + (gr * gr - st[s2]) * (1.0 - c2);
          st[s1] = m;
          st[s2] = v;
          st[wi] -= (m * info.alpha) / (sqrt(v) + eps);
        } else {
          let v = c2 * st[s2] + (1.0 - c2) * gr * gr;
          st[s2] = v;
          st[wi] -= (lr * gr) / sqrt(v + eps);
        }
      }
    }
    sync();
  }
}
