// The optimizer over a tensor, four elements per invocation (shaders/optimizer_update.wgsl).
// Tensors are whole vec4s (the engine sizes every buffer so); the padding past P.n holds zeros
// in the weights, gradient and slots, and every formula keeps a zero a zero.
@group(0) @binding(1) var<storage, read_write> w: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> g: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> s1: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> s2: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> step_info: StepInfo;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let q = flat_index(gid, nwg);
  if (q >= (P.n + 3u) / 4u) { return; }
  w[q] = update4(q, w[q], g[q]);
}
