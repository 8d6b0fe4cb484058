// Backward epilogue of a recorded step's dX: dA and dZ = dA ⊙ f'(Z), as mm_store_act_grad.wgsl,
// and pass 1 of dA's statistics (shaders/mm_stats.wgsl) at part1[P.part + wg].
@group(0) @binding(4) var<storage, read_write> dAout: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> Zin: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dZout: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read> step_info: StepInfo;
@group(0) @binding(8) var<storage, read_write> part1: array<array<f32, 8>>;

var<private> g_stats: Acc = ACC_NEW;

fn store(i: u32, g: vec4<f32>) {
  dAout[i] = g;
  let z = Zin[i];
  dZout[i] = g * act_df4(ACT, ALPHA, z);
  if (counted(i)) {
    var gs = g_stats;
    acc_add(&gs, g, counted_vec4s, true, SATURATION_NONE);
    g_stats = gs;
    counted_vec4s++;
  }
}

fn store_done(lane: u32, wg: u32) {
  subgroup_partial(g_stats, lane, P.part + wg);
}
