// Adds this batch's summed loss and correct count, and its rows, to the running totals that a
// record reads and then clears. One workgroup: batches are small next to the matrix products.
@group(0) @binding(1) var<storage, read> rowOut: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> step_info: StepInfo;
@group(0) @binding(3) var<storage, read_write> totals: array<f32>;

var<workgroup> part: array<vec2<f32>, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var s = vec2<f32>(0.0, 0.0);
  for (var r = lid.x; r < step_info.rows; r += WG) { s += rowOut[r]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (lid.x < w) { part[lid.x] += part[lid.x + w]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    totals[0] += part[0].x;
    totals[1] += part[0].y;
    totals[2] += f32(step_info.rows);
  }
}
