// The tensor the statistics passes reduce, read as vec4s: a software adapter (lavapipe) checks
// the bounds of every load of every lane, and one vec4 load per lane costs about what one f32
// load does. Every buffer the engine binds here is sized to whole vec4s.
fn stat_value4(q: u32) -> vec4<f32> {
  return x[q];
}

fn stat_value(i: u32) -> f32 {
  return stat_value4(i >> 2u)[i & 3u];
}
