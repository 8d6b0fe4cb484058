// Forward epilogue of a recorded step: Z and A = f(Z), as mm_store_act.wgsl, and pass 1 of the
// statistics of both (shaders/mm_stats.wgsl): Z's partials at part1[P.part + wg], A's (with its
// saturation count, mode SAT) at part1[P.part + P.groups + wg].
@group(0) @binding(4) var<storage, read_write> Z: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> Aout: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> step_info: StepInfo;
@group(0) @binding(7) var<storage, read_write> part1: array<array<f32, 8>>;

var<private> z_stats: Acc = ACC_NEW;
var<private> a_stats: Acc = ACC_NEW;

fn store(i: u32, z: vec4<f32>) {
  Z[i] = z;
  let a = act_f4(ACT, ALPHA, z);
  Aout[i] = a;
  if (counted(i)) {
    // acc_add takes function-space pointers: the private accumulators go through locals.
    var zs = z_stats;
    var ast = a_stats;
    acc_add(&zs, z, counted_vec4s, true, SATURATION_NONE);
    acc_add(&ast, a, counted_vec4s, true, SAT);
    z_stats = zs;
    a_stats = ast;
    counted_vec4s++;
  }
}

fn store_done(lane: u32, wg: u32) {
  subgroup_partial(z_stats, lane, P.part + wg);
  subgroup_partial(a_stats, lane, P.part + P.groups + wg);
}
