/** @file The units' symmetry statistic against hand-computed kernels. */
import { describe, expect, it } from 'vitest';
import { maxUnitDiff } from './stats';

describe('maxUnitDiff', () => {
  it('is 0 when every unit has the same incoming weights, and for a single unit', () => {
    // (fanIn 3, units 4), row-major: each row constant across the units.
    const copies = [0.5, 0.5, 0.5, 0.5, -2, -2, -2, -2, 0, 0, 0, 0];
    expect(maxUnitDiff(copies, 3, 4)).toBe(0);
    expect(maxUnitDiff([1, -7, 3], 3, 1)).toBe(0);
  });

  it('is the largest spread across the units of any one input', () => {
    const W = [0, 0.25, -0.5, 1, 1, 1, 3, -1, 2]; // (3, 3): rows spread 0.75, 0, 4
    expect(maxUnitDiff(W, 3, 3)).toBe(4);
    // One unit differing in one weight breaks the symmetry by exactly that difference.
    const nearly = [0.5, 0.5, 0.5, 0.5, -2, -2, -2, -1.5, 0, 0, 0, 0];
    expect(maxUnitDiff(nearly, 3, 4)).toBe(0.5);
  });
});
