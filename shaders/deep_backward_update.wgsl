// Plain SGD (optimizer_step.wgsl's) on a dense layer of many networks (src/atlas/depth/):
// [W; b] -= lr · [in, 1]ᵀ · dZ for each slot of the table, in place, so no gradient is ever stored. Runs after the layer's
// deep_backward_input, which read the old W. A (k + 1) × n output tile per workgroup, reduced
// over the batch's m rows; row k of [W; b] is the bias, whose input is 1.
// Table per slot: the input (previous Z, unused for IN_X = 1), this layer's Z, dA, parameters.
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> zs: array<f32>;
@group(0) @binding(3) var<storage, read> data: array<f32>;
@group(0) @binding(4) var<storage, read> rows: array<u32>;
@group(0) @binding(5) var<storage, read> scratch: array<f32>;
@group(0) @binding(6) var<storage, read> table: array<u32>;
@group(0) @binding(7) var<storage, read> info: array<u32>;

var<workgroup> tile_a: array<f32, TILE * TILE>;
var<workgroup> tile_b: array<f32, TILE * TILE>;

fn input_at(offset: u32, r: u32, k: u32) -> f32 {
  if (k == P.k) { return 1.0; }
  if (IN_X == 1u) { return data[rows[r] * P.k + k]; }
  return act_f(ACT, ALPHA, zs[offset + r * P.k + k]);
}

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = P.table_base + wid.z * 4u;
  let in_off = table[t];
  let z_off = table[t + 1u];
  let da_off = table[t + 2u];
  let p_off = table[t + 3u];
  let m = info[0];
  let row = wid.y * TILE + lid.y; // 0 .. k: an input, or the bias
  let col = wid.x * TILE + lid.x; // a unit
  var acc = 0.0;
  for (var r0 = 0u; r0 < m; r0 += TILE) {
    // tile_a holds [in, 1]ᵀ: element (row, r) = input_at(r, row).
    let ar = r0 + lid.x;
    var a = 0.0;
    if (row <= P.k && ar < m) { a = input_at(in_off, ar, row); }
    tile_a[lid.y * TILE + lid.x] = a;
    let br = r0 + lid.y;
    var b = 0.0;
    if (br < m && col < P.n) { b = dz_at(z_off, da_off, br, col); }
    tile_b[lid.y * TILE + lid.x] = b;
    workgroupBarrier();
    for (var i = 0u; i < TILE; i++) { acc += tile_a[lid.y * TILE + i] * tile_b[i * TILE + lid.x]; }
    workgroupBarrier();
  }
  if (row <= P.k && col < P.n) {
    let i = p_off + row * P.n + col;
    params[i] = opt_update(OPT_SGD, OptHyper(P.lr, 0.0, 0.0, 0.0, 0.0), params[i], acc, 0.0, 0.0).w;
  }
}
