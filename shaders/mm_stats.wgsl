// Pass 1 of the statistics (shaders/stats_reduce.wgsl) in the epilogue of a subgroup product
// kernel on a recorded step (matmul_nn_sg.wgsl, where one workgroup is one subgroup): the
// tensors the epilogue stores are reduced while they are in registers, instead of being read
// back from memory by stats_partial.wgsl afterwards. Each lane accumulates the vec4s it stores;
// store_done merges the lanes with subgroup operations (no workgroup memory, no barriers) into
// one partial per workgroup. The histogram and final passes then run as for any tensor, over
// the product's P.groups partials. Rows at or past this step's batch (a short last batch) are
// stored but not counted, as stat_count() counts them. The epilogue declares `step_info` and `part1`.

// The vec4s this lane has counted so far (the same for every tensor of the epilogue).
var<private> counted_vec4s: u32;

// Whether the vec4 at index i of the M×N output lies in this step's rows.
fn counted(i: u32) -> bool {
  return i < step_info.rows * (P.N / 4u);
}

// The subgroup's statistics, each lane's `a` over its counted_vec4s vec4s, into part1[index].
fn subgroup_partial(a: Acc, lane: u32, index: u32) {
  let p = acc_part(a, counted_vec4s, true);
  let n = subgroupAdd(p.n);
  let sum = subgroupAdd(p.sum);
  // Chan's merge in its two-step form: each lane's M2 plus its count times its mean's squared
  // distance from the subgroup's mean.
  var dev = 0.0;
  if (p.n > 0u) {
    let d = p.sum / f32(p.n) - sum / f32(n);
    dev = f32(p.n) * d * d;
  }
  let m2 = subgroupAdd(p.m2 + dev);
  let sq = subgroupAdd(p.sq);
  let mn = subgroupMin(p.mn);
  let mx = subgroupMax(p.mx);
  let cnt = subgroupAdd(p.cnt);
  if (lane == 0u) {
    part1[index] = array<f32, 8>(sum, sq, mn, mx, f32(cnt.x), f32(cnt.y), m2, bitcast<f32>(n));
  }
}
