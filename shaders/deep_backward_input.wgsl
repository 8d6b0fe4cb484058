// The gradient a dense layer of many networks passes down (src/atlas/depth/): for each slot of
// the table, dA_prev = dZ · Wᵀ with dZ = dA ⊙ φ′(Z) (or dA itself, DZ_GIVEN = 1: the output
// layer, whose dZ the loss wrote). m × k output tiles, reduced over the layer's n units.
// Table per slot: this layer's Z, its parameters, dA in, dA_prev out (scratch halves).
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> zs: array<f32>;
@group(0) @binding(3) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(4) var<storage, read> table: array<u32>;
@group(0) @binding(5) var<storage, read> info: array<u32>;

var<workgroup> tile_a: array<f32, TILE * TILE>;
var<workgroup> tile_b: array<f32, TILE * TILE>;

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = P.table_base + wid.z * 4u;
  let z_off = table[t];
  let p_off = table[t + 1u];
  let da_off = table[t + 2u];
  let out_off = table[t + 3u];
  let m = info[0];
  let row = wid.y * TILE + lid.y;
  let col = wid.x * TILE + lid.x; // an input unit, 0 .. k
  var acc = 0.0;
  for (var j0 = 0u; j0 < P.n; j0 += TILE) {
    let aj = j0 + lid.x;
    var a = 0.0;
    if (row < m && aj < P.n) { a = dz_at(z_off, da_off, row, aj); }
    tile_a[lid.y * TILE + lid.x] = a;
    let bj = j0 + lid.y;
    var b = 0.0;
    if (bj < P.n && col < P.k) { b = params[p_off + col * P.n + bj]; }
    tile_b[lid.y * TILE + lid.x] = b;
    workgroupBarrier();
    for (var i = 0u; i < TILE; i++) { acc += tile_a[lid.y * TILE + i] * tile_b[i * TILE + lid.x]; }
    workgroupBarrier();
  }
  if (row < m && col < P.k) { scratch[out_off + row * P.k + col] = acc; }
}
