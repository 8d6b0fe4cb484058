// The optimizer of a kernel W on a recorded step, with pass 1 of the statistics of what it
// touches: the new W (part1[P.part + wg], with the spread), the gradient dW
// (part1[P.part + P.groups + wg]) and the update, new W − old W (part1[P.part + 2·P.groups + wg]),
// the last two norms only. One read of W and dW instead of the optimizer's and three statistics
// passes, and no copy of the old W. APPLY = 0 (the record before any step) leaves W as it is:
// an update of zero.
@group(0) @binding(1) var<storage, read_write> w: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> g: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> s1: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> s2: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> step_info: StepInfo;
@group(0) @binding(6) var<storage, read_write> part1: array<array<f32, 8>>;

// The new weights of vec4 q, stored where the step updates.
fn step4(q: u32, old: vec4<f32>, gi: vec4<f32>) -> vec4<f32> {
  if (APPLY == 0u) { return old; }
  let nw = update4(q, old, gi);
  w[q] = nw;
  return nw;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let range = stat_chunk(P.n, wid.x);
  let start = range.x;
  let end = range.y;
  var aw = acc_new(); var ag = acc_new(); var au = acc_new();
  let blocks = (end - start) / (4u * WG);
  for (var j = 0u; j < blocks; j++) {
    let q = start / 4u + j * WG + t;
    let old = w[q];
    let gi = g[q];
    let nw = step4(q, old, gi);
    acc_add(&aw, nw, j, true, SATURATION_NONE);
    acc_add(&ag, gi, j, false, SATURATION_NONE);
    acc_add(&au, nw - old, j, false, SATURATION_NONE);
  }
  var pw = acc_part(aw, blocks, true);
  var pg = acc_part(ag, blocks, false);
  var pu = acc_part(au, blocks, false);
  // The tail, a vec4 at a time (chunks start and end at multiples of 4, but for the last at
  // P.n): the whole vec4 is updated (the padding past P.n holds zeros, which stay zeros), only
  // its elements before `end` are counted.
  for (var q = (start + blocks * 4u * WG) / 4u + t; q < (end + 3u) / 4u; q += WG) {
    let old = w[q];
    let gi = g[q];
    let nw = step4(q, old, gi);
    for (var c = 0u; c < 4u; c++) {
      if (4u * q + c < end) {
        part_add(&pw, nw[c], true, SATURATION_NONE);
        part_add(&pg, gi[c], false, SATURATION_NONE);
        part_add(&pu, nw[c] - old[c], false, SATURATION_NONE);
      }
    }
  }
  reduce_store(t, pw, true, P.part + wid.x);
  reduce_store(t, pg, false, P.part + P.groups + wid.x);
  reduce_store(t, pu, false, P.part + 2u * P.groups + wid.x);
}
