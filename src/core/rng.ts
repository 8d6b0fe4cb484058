/**
 * @file Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers:
 * as easy as 1, 2, 3" (SC'11). Every random number in the project is a pure function of
 * (seed, layer, stream, element index, attempt), so the GPU (shaders/rng.wgsl, the same
 * arithmetic) and this CPU copy draw identical uniforms with no shared state.
 *
 * Counter layout, shared with WGSL: c = [index, attempt, stream, layer], key = [seedLo, seedHi].
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Named streams, so that no two uses of one seed ever share a counter. Mirrored in rng.wgsl. */
export const Stream = {
  kernel: 0,
  bias: 1,
  dataset: 16,
  shuffle: 17,
  split: 18,
  /** Self-organizing map codebook initialization (src/atlas/som.ts). */
  som: 40,
} as const;

/** High 32 bits of the 64-bit product of two uint32, with 16-bit limbs (exact in doubles, and in WGSL u32). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff,
    ah = a >>> 16,
    bl = b & 0xffff,
    bh = b >>> 16;
  const ll = al * bl,
    lh = al * bh,
    hl = ah * bl,
    hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Philox4x32 with 10 rounds. Writes the four output words into `out` (reused to avoid allocation). */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let x0 = c0 >>> 0,
    x1 = c1 >>> 0,
    x2 = c2 >>> 0,
    x3 = c3 >>> 0;
  let key0 = k0 >>> 0,
    key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0),
      lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2),
      lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

/** Splits a seed (any integer in [0, 2^53)) into the two key words. */
export function seedKey(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** Uniform in [0, 1) with 24 bits, exactly representable in float32 (same on GPU). */
export function toUniform(word: number): number {
  return (word >>> 8) * (1 / 16777216);
}

/** Uniform in (0, 1]: safe for a logarithm. */
function toUniformOpen(word: number): number {
  return ((word >>> 8) + 1) * (1 / 16777216);
}

const f = Math.fround;
const LN2_HI = 0.693145751953125;
const LN2_LO = f(1.428606765330187e-6);
const f32view = new Float32Array(1);
const u32view = new Uint32Array(f32view.buffer);
const C = [0.33333334, 0.2, 0.14285715, 0.11111111, 0.09090909, 0.07692308].map(f);
const COS = [-0.5, 0.041666668, -0.0013888889, 0.0000248016, -2.7557319e-7].map(f);
const SIN = [-0.16666667, 0.008333334, -0.0001984127, 0.0000027557319, -2.5052108e-8].map(f);
const HALF_PI = f(Math.PI / 2);

/** Horner in float32: c0 + x·(c1 + x·(...)), every operation rounded as the GPU rounds it. */
function horner(x: number, c0: number, cs: number[]): number {
  let p = cs[cs.length - 1];
  for (let i = cs.length - 2; i >= 0; i--) p = f(cs[i] + f(x * p));
  return f(c0 + f(x * p));
}

/** ln(x) in float32 operations, as ln_f32 in shaders/rng.wgsl. */
export function lnF32(x: number): number {
  f32view[0] = x;
  const bits = u32view[0];
  let e = (bits >>> 23) - 127;
  u32view[0] = (bits & 0x007fffff) | 0x3f800000;
  let m = f32view[0];
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the same literal as ln_f32 in shaders/rng.wgsl
  if (m > f(1.4142135)) {
    m = f(m * 0.5);
    e += 1;
  }
  const t = f(f(m - 1) / f(m + 1));
  const t2 = f(t * t);
  const p = f(f(2 * t) * horner(t2, 1, C));
  return f(f(e * LN2_HI) + f(f(e * LN2_LO) + p));
}

/** cos(2π·u) in float32 operations, as cos_2pi in shaders/rng.wgsl. */
export function cos2pi(u: number): number {
  const q = f(u * 4);
  const k = Math.floor(q);
  const fr = q - k;
  const x = fr <= 0.5 ? f(fr * HALF_PI) : f(f(1 - fr) * HALF_PI);
  const x2 = f(x * x);
  const cp = horner(x2, 1, COS);
  const sp = f(x * horner(x2, 1, SIN));
  const [c, s] = fr <= 0.5 ? [cp, sp] : [sp, cp];
  return k === 0 ? c : k === 1 ? -s : k === 2 ? -c : s;
}

/**
 * One standard normal from two words (Box-Muller, cosine branch), with the same float32
 * operations as the GPU (only sqrt and division may differ there by an ulp or two).
 */
export function toNormal(w0: number, w1: number): number {
  const r = f(Math.sqrt(f(-2 * lnF32(toUniformOpen(w0)))));
  return f(r * cos2pi(toUniform(w1)));
}

/**
 * A keyed view of the generator: draws for one (seed, layer, stream) triple by element index.
 * Pure: the same arguments always give the same number, in any order.
 */
export class CounterRng {
  private readonly k0: number;
  private readonly k1: number;
  private readonly buf = new Uint32Array(4);
  constructor(
    seed: number,
    readonly layer: number,
    readonly stream: number,
  ) {
    [this.k0, this.k1] = seedKey(seed);
  }
  /** The four raw words for (index, attempt). */
  words(index: number, attempt = 0): Uint32Array {
    return philox4x32(index, attempt, this.stream, this.layer, this.k0, this.k1, this.buf);
  }
  uniform(index: number, attempt = 0): number {
    return toUniform(this.words(index, attempt)[0]);
  }
  normal(index: number, attempt = 0): number {
    const w = this.words(index, attempt);
    return toNormal(w[0], w[1]);
  }
  /** Integer uniform in [0, n), n <= 2^32 (multiply-shift; the bias is below 2^-32 * n). */
  below(n: number, index: number, attempt = 0): number {
    return Math.floor((this.words(index, attempt)[0] / 4294967296) * n);
  }
}

/** Fisher-Yates permutation of [0, n) drawn from one keyed stream; `round` selects an independent one. */
export function permutation(n: number, seed: number, stream: number, round: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = new CounterRng(seed, round, stream);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1, i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
