import { describe, expect, it } from 'vitest';
import { CounterRng, permutation, philox4x32 } from './rng';

const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0'));

describe('philox4x32-10', () => {
  // Known-answer vectors from Random123's kat_vectors (philox4x32 10 rounds).
  it('matches the published test vectors', () => {
    expect(hex(philox4x32(0, 0, 0, 0, 0, 0))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    const f = 0xffffffff;
    expect(hex(philox4x32(f, f, f, f, f, f))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))).toEqual([
      'd16cfe09',
      '94fdcceb',
      '5001e420',
      '24126ea1',
    ]);
  });

  it('draws uniforms and normals with the right moments', () => {
    const rng = new CounterRng(7, 0, 0);
    const n = 200_000;
    let su = 0,
      sn = 0,
      sn2 = 0;
    for (let i = 0; i < n; i++) {
      su += rng.uniform(i);
      const z = rng.normal(i);
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(Math.sqrt(sn2 / n)).toBeCloseTo(1, 2);
  });

  it('permutations are permutations, reproducible, and differ by round', () => {
    const a = permutation(1000, 3, 17, 0);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, 3, 17, 0)).toEqual(a);
    expect(permutation(1000, 3, 17, 1)).not.toEqual(a);
  });
});

describe('float32 log and cos used by Box-Muller', async () => {
  const { lnF32, cos2pi } = await import('./rng');
  it('lnF32 is accurate to a few float32 ulps over (0, 1]', () => {
    let worst = 0;
    for (let k = 0; k < 1 << 24; k += 997) {
      const x = (k + 1) / 16777216;
      const err = Math.abs(lnF32(x) - Math.log(x)) / Math.max(1e-30, Math.abs(Math.log(x)));
      worst = Math.max(worst, err);
    }
    expect(worst).toBeLessThan(4e-7);
  });
  it('cos2pi is accurate to 2e-7 absolute on [0, 1)', () => {
    let worst = 0;
    for (let k = 0; k < 1 << 24; k += 1009) {
      const u = k / 16777216;
      worst = Math.max(worst, Math.abs(cos2pi(u) - Math.cos(2 * Math.PI * u)));
    }
    expect(worst).toBeLessThan(2e-7);
  });
});
