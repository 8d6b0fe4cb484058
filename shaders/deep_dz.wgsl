// dZ of a hidden layer of many networks (src/atlas/depth/) at row r, unit j: dA ⊙ φ′(Z), or dA
// itself where DZ_GIVEN = 1 (the output layer, whose dZ the loss wrote). The including kernel
// binds `zs` (the pre-activations) and `scratch` (dA) and has P.n (the layer's units).
fn dz_at(z_off: u32, da_off: u32, r: u32, j: u32) -> f32 {
  let da = scratch[da_off + r * P.n + j];
  if (DZ_GIVEN == 1u) { return da; }
  return da * act_df(ACT, ALPHA, zs[z_off + r * P.n + j]);
}
