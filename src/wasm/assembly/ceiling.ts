// The CPU's multiply-add ceiling in WebAssembly SIMD: independent chains of a·q + m in
// registers, no memory traffic, so the time is the arithmetic alone. Enough chains to cover the
// latency of a multiply followed by an add at two of each per cycle; the benchmark runs it on
// every thread at once and reports the engine's products as a fraction of it.
export function ceiling(iters: i32, seed: f32): f32 {
  const m = f32x4.splat(seed), q = f32x4.splat(0.999);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8);
  let a8 = f32x4.splat(9), a9 = f32x4.splat(10), a10 = f32x4.splat(11), a11 = f32x4.splat(12);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, q), m); a1 = f32x4.add(f32x4.mul(a1, q), m);
    a2 = f32x4.add(f32x4.mul(a2, q), m); a3 = f32x4.add(f32x4.mul(a3, q), m);
    a4 = f32x4.add(f32x4.mul(a4, q), m); a5 = f32x4.add(f32x4.mul(a5, q), m);
    a6 = f32x4.add(f32x4.mul(a6, q), m); a7 = f32x4.add(f32x4.mul(a7, q), m);
    a8 = f32x4.add(f32x4.mul(a8, q), m); a9 = f32x4.add(f32x4.mul(a9, q), m);
    a10 = f32x4.add(f32x4.mul(a10, q), m); a11 = f32x4.add(f32x4.mul(a11, q), m);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
  );
  return f32x4.extract_lane(s, 0);
}

/** Multiply-adds one call of `ceiling` does: 12 chains of four lanes, a multiply and an add each. */
export const CEILING_FLOPS_PER_ITER = 12 * 4 * 2;

/** One chunk of the ceiling job: `iters` rounds, the result kept in scratch so the loop stays live. */
export function ceilingChunk(chunk: i32, scratch: usize, iters: i32): void {
  store<f32>(scratch, ceiling(iters, 0.5 + <f32>chunk * 1e-3));
}
