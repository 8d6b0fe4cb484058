// One dense layer of many networks in one dispatch (the trainable-depth populations,
// src/atlas/depth/): workgroup z is a slot of the dispatch's table, which names where that
// network's input, parameters and output live. out = [in, 1] · [W; b], a TILE × TILE tile of
// the m × n output per workgroup, through TILE-wide strips of k in workgroup memory.
// The input is the shared data's rows (IN_X = 1: the first layer) or φ of the previous layer's
// pre-activations, which are all this population stores: φ and φ′ are recomputed from them.
// P.m (rows) is info[0], written per batch: the same bind groups serve training and evaluation.
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> zs: array<f32>;
@group(0) @binding(3) var<storage, read> data: array<f32>;
@group(0) @binding(4) var<storage, read> rows: array<u32>;
@group(0) @binding(5) var<storage, read> table: array<u32>;
@group(0) @binding(6) var<storage, read> info: array<u32>;

var<workgroup> tile_a: array<f32, TILE * TILE>;
var<workgroup> tile_b: array<f32, TILE * TILE>;

fn input_at(offset: u32, r: u32, k: u32) -> f32 {
  if (IN_X == 1u) { return data[rows[r] * P.k + k]; }
  return act_f(ACT, ALPHA, zs[offset + r * P.k + k]);
}

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = P.table_base + wid.z * 3u;
  let in_off = table[t];
  let p_off = table[t + 1u];
  let out_off = table[t + 2u];
  let m = info[0];
  let row = wid.y * TILE + lid.y;
  let col = wid.x * TILE + lid.x;
  var acc = 0.0;
  for (var k0 = 0u; k0 < P.k; k0 += TILE) {
    let ak = k0 + lid.x;
    var a = 0.0;
    if (row < m && ak < P.k) { a = input_at(in_off, row, ak); }
    tile_a[lid.y * TILE + lid.x] = a;
    let bk = k0 + lid.y;
    var b = 0.0;
    if (bk < P.k && col < P.n) { b = params[p_off + bk * P.n + col]; }
    tile_b[lid.y * TILE + lid.x] = b;
    workgroupBarrier();
    for (var i = 0u; i < TILE; i++) { acc += tile_a[lid.y * TILE + i] * tile_b[i * TILE + lid.x]; }
    workgroupBarrier();
  }
  if (row < m && col < P.n) { zs[out_off + row * P.n + col] = acc + params[p_off + P.k * P.n + col]; }
}
