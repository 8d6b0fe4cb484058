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

// a + p with the product p rounded on its own, as src/core/initializers.ts computes it: WGSL lets
// a compiler fuse a multiply and an add into one FMA, one rounding fewer (NVIDIA's does, and the
// draws then differed from the CPU's in the last bit). An integer XOR with `zero`, a uniform that
// is always 0 but unknown to the compiler, keeps the product a value of its own.
fn add_product(a: f32, p: f32, zero: u32) -> f32 { return a + bitcast<f32>(bitcast<u32>(p) ^ zero); }

// Box-Muller, cosine branch. The GPU's own log and cos are only required to be accurate to about
// 2^-21 absolute (and are worse in practice near cos's zeros), so both are computed here from
// polynomials with exact range reduction; src/core/rng.ts evaluates the same float32 operations.
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.428606765330187e-6;

// ln(x) for a positive normal x: x = m·2^e with m in [sqrt(1/2), sqrt(2)), then the atanh series.
fn ln_f32(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  var e = i32(bits >> 23u) - 127;
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135) { m = m * 0.5; e = e + 1; }
  let t = (m - 1.0) / (m + 1.0);
  let t2 = t * t;
  let p = 2.0 * t * (1.0 + t2 * (0.33333334 + t2 * (0.2 + t2 * (0.14285715 + t2 * (0.11111111 + t2 * (0.09090909 + t2 * 0.07692308))))));
  let fe = f32(e);
  return fe * LN2_HI + (fe * LN2_LO + p);
}

fn cos_poly(x: f32) -> f32 {
  let x2 = x * x;
  return 1.0 + x2 * (-0.5 + x2 * (0.041666668 + x2 * (-0.0013888889 + x2 * (0.0000248016 + x2 * -2.7557319e-7))));
}

fn sin_poly(x: f32) -> f32 {
  let x2 = x * x;
  return x * (1.0 + x2 * (-0.16666667 + x2 * (0.008333334 + x2 * (-0.0001984127 + x2 * (0.0000027557319 + x2 * -2.5052108e-8)))));
}

// cos(2π·u) for u in [0, 1): the quadrant and the fraction of u·4 are exact; each piece is evaluated on [0, π/4].
fn cos_2pi(u: f32) -> f32 {
  let q = u * 4.0;
  let k = u32(floor(q));
  let f = q - floor(q);
  var c: f32; var s: f32;
  if (f <= 0.5) {
    let x = f * 1.5707964;
    c = cos_poly(x); s = sin_poly(x);
  } else {
    let x = (1.0 - f) * 1.5707964;
    c = sin_poly(x); s = cos_poly(x);
  }
  switch k {
    case 0u: { return c; }
    case 1u: { return -s; }
    case 2u: { return -c; }
    default: { return s; }
  }
}

fn to_normal(w0: u32, w1: u32) -> f32 {
  let r = sqrt(-2.0 * ln_f32(to_uniform_open(w0)));
  return r * cos_2pi(to_uniform(w1));
}
