// Whole training steps of a small network in one dispatch: one workgroup runs steps
// range.x .. range.x + range.y of the chunk's step table, each step the same sequence as the
// multi-kernel path (gather, forward, loss, backward, update), separated by barriers. Small
// networks are dominated by per-dispatch overhead, not arithmetic; this removes it.
// The math is the multi-kernel path's own (activations.wgsl, softmax_row.wgsl, loss_row.wgsl,
// optimizer_step.wgsl), tested against the CPU engine.
//
// The network's tensors live in two arenas: `state` (parameters, gradients, optimizer slots) and
// `activations` (batch inputs and targets, per-layer Z, A, dA, dZ, per-row loss). `offsets` holds
// where each tensor starts, in floats (src/gpu/fused.ts fusedLayout):
//   offsets[0] = (layers, inDim, outDim, batch)   offsets[1] = (xb, yb, rowOut, -)
//   offsets[2] = (lr, decay1, decay2, eps) as f32 bits
//   per layer l, from 3 + 4l: (fanIn, units, act, alpha bits) (W, b, dW, db)
//                             (sW1, sW2, sb1, sb2) (Z, A, dA, dZ)
@group(0) @binding(1) var<uniform> offsets: array<vec4<u32>, LAYOUT_LEN>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read> perm: array<u32>;
@group(0) @binding(5) var<storage, read> table: array<StepInfo>;
@group(0) @binding(6) var<storage, read> range: vec4<u32>;
@group(0) @binding(7) var<storage, read_write> state: array<f32>;
@group(0) @binding(8) var<storage, read_write> activations: array<f32>;
@group(0) @binding(9) var<storage, read_write> totals: array<f32>;

// Loop bounds must be workgroup-uniform for the barriers inside the loops; storage may be bound
// writable (the engine's arenas), so they are passed through workgroup memory.
var<workgroup> w_range: vec4<u32>;
var<workgroup> w_info: StepInfo;

// Where the rows that softmax_row.wgsl and loss_row.wgsl read live in `activations`: the
// (Z, A, dA, dZ) offsets of the layer at hand, and the batch's targets.
var<private> rows_at: vec4<u32>;
var<private> targets_at: u32;

fn row_z(i: u32) -> f32 { return activations[rows_at.x + i]; }
fn out_a(i: u32) -> f32 { return activations[rows_at.y + i]; }
fn target_y(i: u32) -> f32 { return activations[targets_at + i]; }
fn set_out_grads(i: u32, g: f32, dz: f32) {
  activations[rows_at.z + i] = g;
  activations[rows_at.w + i] = dz;
}

fn sync() {
  storageBarrier();
  workgroupBarrier();
}

fn layer_shape(l: u32) -> vec4<u32> { return offsets[3u + 4u * l]; }
fn layer_params(l: u32) -> vec4<u32> { return offsets[4u + 4u * l]; }
fn layer_slots(l: u32) -> vec4<u32> { return offsets[5u + 4u * l]; }
fn layer_tensors(l: u32) -> vec4<u32> { return offsets[6u + 4u * l]; }

// This step's rows of X and Y into the batch buffers; rows past this step's are zero.
fn gather_batch(lane: u32, info: StepInfo) {
  let inDim = offsets[0].y; let outDim = offsets[0].z; let B = offsets[0].w;
  let xb = offsets[1].x; let yb = offsets[1].y;
  let rows = info.rows;
  for (var i = lane; i < B * inDim; i += WG) {
    let r = i / inDim;
    activations[xb + i] = select(0.0, X[perm[info.perm_offset + min(r, rows - 1u)] * inDim + i % inDim], r < rows);
  }
  for (var i = lane; i < B * outDim; i += WG) {
    let r = i / outDim;
    activations[yb + i] = select(0.0, Y[perm[info.perm_offset + min(r, rows - 1u)] * outDim + i % outDim], r < rows);
  }
}

// Z = input·W + b and A = f(Z) of layer l (softmax: row by row after a barrier).
fn forward_layer(lane: u32, l: u32, input: u32) {
  let B = offsets[0].w;
  let shape = layer_shape(l); let params = layer_params(l); let tensors = layer_tensors(l);
  let fanIn = shape.x; let units = shape.y; let act = shape.z; let alpha = bitcast<f32>(shape.w);
  for (var i = lane; i < B * units; i += WG) {
    let r = i / units; let j = i % units;
    var z = state[params.y + j];
    for (var k = 0u; k < fanIn; k++) { z += activations[input + r * fanIn + k] * state[params.x + k * units + j]; }
    activations[tensors.x + i] = z;
    if (act != ACT_SOFTMAX) { activations[tensors.y + i] = act_f(act, alpha, z); }
  }
  if (act == ACT_SOFTMAX) {
    sync();
    rows_at = tensors;
    for (var r = lane; r < B; r += WG) {
      let o = r * units;
      let max_sum = softmax_max_sum(o, units);
      for (var j = 0u; j < units; j++) { activations[tensors.y + o + j] = softmax_at(o + j, max_sum); }
    }
  }
}

// The loss of every row (loss_row.wgsl) and, by invocation 0, the step's totals.
fn loss_rows(lane: u32, rows: u32) {
  let nL = offsets[0].x; let B = offsets[0].w;
  let rowOut = offsets[1].z;
  let units = layer_shape(nL - 1u).y;
  rows_at = layer_tensors(nL - 1u);
  targets_at = offsets[1].y;
  for (var r = lane; r < B; r += WG) {
    let row = loss_row(LOSS, OUT_ACT, OUT_ALPHA, FUSED == 1u, r, units, rows);
    activations[rowOut + 2u * r] = row.x;
    activations[rowOut + 2u * r + 1u] = row.y;
  }
  sync();
  if (lane == 0u) {
    var loss_sum = 0.0; var correct = 0.0;
    for (var r = 0u; r < rows; r++) {
      loss_sum += activations[rowOut + 2u * r];
      correct += activations[rowOut + 2u * r + 1u];
    }
    totals[0] += loss_sum; totals[1] += correct; totals[2] += f32(rows);
  }
}

// dZ of layer l (below the output layer), then dW, db, and dA of the layer below.
fn backward_layer(lane: u32, l: u32) {
  let nL = offsets[0].x; let B = offsets[0].w;
  let shape = layer_shape(l); let params = layer_params(l); let tensors = layer_tensors(l);
  let fanIn = shape.x; let units = shape.y;
  if (l != nL - 1u) {
    let act = shape.z; let alpha = bitcast<f32>(shape.w);
    for (var i = lane; i < B * units; i += WG) {
      activations[tensors.w + i] = activations[tensors.z + i] * act_df(act, alpha, activations[tensors.x + i]);
    }
    sync();
  }
  var input = offsets[1].x;
  if (l > 0u) { input = layer_tensors(l - 1u).y; }
  for (var i = lane; i < fanIn * units; i += WG) {
    let k = i / units; let j = i % units;
    var sum = 0.0;
    for (var r = 0u; r < B; r++) { sum += activations[input + r * fanIn + k] * activations[tensors.w + r * units + j]; }
    state[params.z + i] = sum;
  }
  for (var j = lane; j < units; j += WG) {
    var sum = 0.0;
    for (var r = 0u; r < B; r++) { sum += activations[tensors.w + r * units + j]; }
    state[params.w + j] = sum;
  }
  if (l > 0u) {
    let below_dA = layer_tensors(l - 1u).z;
    for (var i = lane; i < B * fanIn; i += WG) {
      let r = i / fanIn; let k = i % fanIn;
      var sum = 0.0;
      for (var j = 0u; j < units; j++) { sum += activations[tensors.w + r * units + j] * state[params.x + k * units + j]; }
      activations[below_dA + i] = sum;
    }
  }
}

// The optimizer (optimizer_step.wgsl) over every layer's kernel, then its bias.
fn update_all(lane: u32, alpha: f32) {
  let nL = offsets[0].x;
  let h = OptHyper(bitcast<f32>(offsets[2].x), bitcast<f32>(offsets[2].y), bitcast<f32>(offsets[2].z),
    bitcast<f32>(offsets[2].w), alpha);
  for (var l = 0u; l < nL; l++) {
    let shape = layer_shape(l); let params = layer_params(l); let slots = layer_slots(l);
    let kernel_size = shape.x * shape.y;
    for (var e = lane; e < kernel_size + shape.y; e += WG) {
      // (weight, gradient, s1, s2) of element e: the kernel's, then the bias's.
      var addr = vec4<u32>(params.x, params.z, slots.x, slots.y) + e;
      if (e >= kernel_size) { addr = vec4<u32>(params.y, params.w, slots.z, slots.w) + (e - kernel_size); }
      var m = 0.0;
      var v = 0.0;
      if (opt_uses_s1(OPT)) { m = state[addr.z]; }
      if (opt_uses_s2(OPT)) { v = state[addr.w]; }
      let r = opt_update(OPT, h, state[addr.x], state[addr.y], m, v);
      state[addr.x] = r.w;
      if (opt_uses_s1(OPT)) { state[addr.z] = r.s1; }
      if (opt_uses_s2(OPT)) { state[addr.w] = r.s2; }
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  let lane = lid.x;
  let nL = offsets[0].x;
  if (lane == 0u) { w_range = range; }
  let steps = workgroupUniformLoad(&w_range);
  for (var s = steps.x; s < steps.x + steps.y; s++) {
    if (lane == 0u) { w_info = table[s]; }
    let info = workgroupUniformLoad(&w_info);
    gather_batch(lane, info);
    sync();
    var input = offsets[1].x;
    for (var l = 0u; l < nL; l++) {
      forward_layer(lane, l, input);
      sync();
      input = layer_tensors(l).y;
    }
    loss_rows(lane, info.rows);
    for (var li = 0u; li < nL; li++) {
      backward_layer(lane, nL - 1u - li);
      sync();
    }
    update_all(lane, info.alpha);
    sync();
  }
}
