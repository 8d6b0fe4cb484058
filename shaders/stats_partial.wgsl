// Statistics of a tensor, pass 1 of 3: each of P.groups workgroups reduces one contiguous
// chunk to part1[P.part + wg] (shaders/stats_reduce.wgsl). FULL = 0: the norm only.
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> step_info: StepInfo;
@group(0) @binding(3) var<storage, read_write> part1: array<array<f32, 8>>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  let full = FULL == 1u;
  let range = stat_chunk(stat_count(), wid.x);
  let start = range.x;
  let end = range.y;
  // One vec4 per invocation and iteration into vec4 accumulators: fewer loads and less loop
  // overhead. The chunk's last partial block (fewer than 4·WG elements) goes to a plain
  // strided loop.
  var a = acc_new();
  let blocks = (end - start) / (4u * WG);
  for (var j = 0u; j < blocks; j++) {
    acc_add(&a, stat_value4(start / 4u + j * WG + t), j, full, SAT);
  }
  var p = acc_part(a, blocks, full);
  for (var i = start + blocks * 4u * WG + t; i < end; i += WG) {
    part_add(&p, stat_value(i), full, SAT);
  }
  reduce_store(t, p, full, P.part + wid.x);
}
