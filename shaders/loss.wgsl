// Loss, accuracy and the output layer's gradients (shaders/loss_row.wgsl), one invocation per
// row. FUSED = 1 where dZ = (p − y) / n directly (sigmoid + binary, softmax + categorical
// cross-entropy). rowOut[r] = (the row's loss, 1 if correct); rows past this step's get zeros.
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Aout: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read> step_info: StepInfo;
@group(0) @binding(5) var<storage, read_write> dA: array<f32>;
@group(0) @binding(6) var<storage, read_write> dZ: array<f32>;
@group(0) @binding(7) var<storage, read_write> rowOut: array<vec2<f32>>;

fn row_z(i: u32) -> f32 { return Z[i]; }
fn out_a(i: u32) -> f32 { return Aout[i]; }
fn target_y(i: u32) -> f32 { return Y[i]; }
fn set_out_grads(i: u32, g: f32, dz: f32) {
  dA[i] = g;
  dZ[i] = dz;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= P.batch) { return; }
  rowOut[r] = loss_row(LOSS, ACT, ALPHA, FUSED == 1u, r, P.units, step_info.rows);
}
