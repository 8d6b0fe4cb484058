// Philox4x32-10 (Salmon et al., SC'11), the same arithmetic as src/core/rng.ts.
// Counter layout: c = (index, attempt, stream, layer); key = (seed_lo, seed_hi).

fn mulhi32(a: u32, b: u32) -> u32 {
  // 16-bit limbs: every partial product fits in a u32, as in the TypeScript copy.
  let al = a & 0xffffu; let ah = a >> 16u;
  let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let lh = al * bh; let hl = ah * bl; let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox4x32(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var x = ctr;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    let hi0 = mulhi32(0xd2511f53u, x.x); let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi32(0xcd9e8d57u, x.z); let lo1 = 0xcd9e8d57u * x.z;
    x = vec4<u32>(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return x;
}

// Uniform in [0, 1) with 24 bits: exact in f32.
fn to_uniform(w: u32) -> f32 { return f32(w >> 8u) * (1.0 / 16777216.0); }
// Uniform in (0, 1]: safe for log.
fn to_uniform_open(w: u32) -> f32 { return (f32(w >> 8u) + 1.0) * (1.0 / 16777216.0); }

// Box-Muller, cosine branch (rng.ts rounds the same intermediates to f32).
fn to_normal(w0: u32, w1: u32) -> f32 {
  let r = sqrt(-2.0 * log(to_uniform_open(w0)));
  let theta = 6.2831855 * to_uniform(w1);
  return r * cos(theta);
}
