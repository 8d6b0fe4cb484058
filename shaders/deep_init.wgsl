// Initial [W; b] of a dense layer of many networks (src/atlas/depth/), the engine's normal draw
// (init_draw.wgsl): network s of the table uses seed P.seed + its seed offset (a 64-bit add),
// layer `layer`, element e of the kernel on the kernel stream and element j of the bias on the
// bias stream, so each network is exactly what sampleCpu draws for it (src/atlas/depth/cpu-train.ts).
// One invocation per (element, slot). Table per slot: parameter offset, layer index, seed offset,
// and the weights' standard deviation √(σ_w²/fan_in) as f32 bits (σ_w² is the network's own).
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> table: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let size = (P.k + 1u) * P.n;
  let i = flat_index(gid, nwg);
  if (i >= P.slots * size) { return; }
  let slot = i / size;
  let e = i % size;
  let t = P.table_base + slot * 4u;
  let lo = P.seed_lo + table[t + 2u];
  let key = vec2<u32>(lo, P.seed_hi + select(0u, 1u, lo < P.seed_lo));
  var v: f32;
  if (e < P.k * P.n) {
    v = init_draw(INIT_NORMAL, e, STREAM_KERNEL, table[t + 1u], key, 0.0, bitcast<f32>(table[t + 3u]), P.zero);
  } else {
    v = init_draw(INIT_NORMAL, e - P.k * P.n, STREAM_BIAS, table[t + 1u], key, 0.0, P.bias_sd, P.zero);
  }
  params[table[t] + e] = v;
}
