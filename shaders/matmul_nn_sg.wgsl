// Z = X·W + b for N % 4 == 0 (and dX on a transposed W; dW = Xᵀ·dZ with TRANS_A), on adapters whose subgroup size SG is
// fixed: one workgroup is one subgroup (a workgroup of exactly SG invocations; checked against
// the CPU on lavapipe, SG 8, and in the browser on SwiftShader, SG 4). Each lane keeps TM rows × CN vec4 columns in registers
// (columns strided by SG, so neighbouring lanes read neighbouring vec4s). Per step of k a lane
// loads its CN vec4s of W but only TM / SG scalars of X: the TM values of X the block
// needs are spread over the lanes and shuffled to each, instead of every lane loading all TM.
// On a software adapter, where each lane's load is a separate scalar load and a shuffle is a
// register move, this is faster than matmul_nn_vec4 (bench/REPORT.md history).
// The output goes through `store` (shaders/mm_store*.wgsl), as in matmul_nn_vec4, then
// `store_done` (on a recorded step, the statistics of what was stored: mm_stats.wgsl).
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;

// Rows of X each lane loads per step of k, and lanes that load one (the block's row i is loaded
// by lane i % LN as its load i / LN). The loops over rows are nested this way, each at most SG
// long, because a shader compiler unrolls (and keeps the accumulators in registers) only loops
// that short: one loop over 32 rows ran far slower on lavapipe (bench/REPORT.md history).
const LN: u32 = min(SG, TM);
const RL: u32 = TM / LN;
const_assert TM % LN == 0u;

@compute @workgroup_size(SG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {
  let N4 = P.N / 4u;
  let r0 = wid.y * TM;
  let cBase = wid.x * SG * CN + lane;
  // Rows and columns past the edges read the last one (in bounds) and are never stored; every
  // lane runs the whole loop, since the shuffles need the full subgroup.
  var col: array<u32, CN>;
  for (var j = 0u; j < CN; j++) { col[j] = min(cBase + j * SG, N4 - 1u); }
  // Where this lane's rows of X start (TRANS_A = 1, dW = Xᵀ·dZ: X is stored K×M, a row is a column).
  var rowOff: array<u32, RL>;
  for (var q = 0u; q < RL; q++) {
    let r = min(r0 + q * LN + lane, P.M - 1u);
    if (TRANS_A == 1u) { rowOff[q] = r; } else { rowOff[q] = r * P.K; }
  }
  var acc: array<array<vec4<f32>, CN>, TM>;
  for (var k = 0u; k < P.K; k++) {
    var xs: array<f32, RL>;
    for (var q = 0u; q < RL; q++) {
      if (TRANS_A == 1u) { xs[q] = X[k * P.M + rowOff[q]]; } else { xs[q] = X[rowOff[q] + k]; }
    }
    var w: array<vec4<f32>, CN>;
    for (var j = 0u; j < CN; j++) { w[j] = W[k * N4 + col[j]]; }
    for (var q = 0u; q < RL; q++) {
      for (var l = 0u; l < LN; l++) {
        let x = subgroupShuffle(xs[q], l);
        for (var j = 0u; j < CN; j++) { acc[q * LN + l][j] = acc[q * LN + l][j] + x * w[j]; }
      }
    }
  }
  for (var j = 0u; j < CN; j++) {
    let c = cBase + j * SG;
    if (c >= N4) { continue; }
    var b = vec4<f32>(0.0);
    if (BIAS == 1u) { b = bias[c]; }
    for (var q = 0u; q < RL; q++) {
      for (var l = 0u; l < LN; l++) {
        let i = q * LN + l;
        if (r0 + i < P.M) { store((r0 + i) * N4 + c, acc[i][j] + b); }
      }
    }
  }
  store_done(lane, wid.x + wid.y * nwg.x);
}
