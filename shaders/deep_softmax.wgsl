// The output layer of many networks (src/atlas/depth/), one invocation per (row, network),
// through the loss kernel's own row (loss_row.wgsl): softmax and categorical cross-entropy,
// fused. GRAD = 1: its dZ = (softmax(z) − onehot(label)) / m into the scratch; GRAD = 0:
// whether the row is classified right (Keras' first argmax), counted per network (accuracy).
// Table per network: its logits in zs, its dZ in the scratch.
@group(0) @binding(1) var<storage, read> zs: array<f32>;
@group(0) @binding(2) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read> rows: array<u32>;
@group(0) @binding(5) var<storage, read> table: array<u32>;
@group(0) @binding(6) var<storage, read> info: array<u32>;
@group(0) @binding(7) var<storage, read_write> correct: array<atomic<u32>>;

// This invocation's network and row: where its logits and dZ start, its label, its softmax's
// max and sum (loss_row reads the row through the functions below, by index within the network).
var<private> z_base: u32;
var<private> d_base: u32;
var<private> label: u32;
var<private> max_sum: vec2<f32>;

fn row_z(i: u32) -> f32 { return zs[z_base + i]; }
fn out_a(i: u32) -> f32 { return softmax_at(i, max_sum); }
fn target_y(i: u32) -> f32 { return select(0.0, 1.0, i % P.n == label); }
fn set_out_grads(i: u32, g: f32, dz: f32) {
  if (GRAD == 1u) { scratch[d_base + i] = dz; }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = info[0];
  let r = gid.x;
  let slot = gid.y;
  if (r >= m || slot >= P.slots) { return; }
  z_base = table[P.table_base + slot * 2u];
  d_base = table[P.table_base + slot * 2u + 1u];
  label = labels[rows[r]];
  max_sum = softmax_max_sum(r * P.n, P.n);
  let outcome = loss_row(LOSS_CATEGORICAL_CROSSENTROPY, ACT_SOFTMAX, 0.0, true, r, P.n, m);
  if (GRAD == 0u && outcome.y > 0.5) { atomicAdd(&correct[slot], 1u); }
}
