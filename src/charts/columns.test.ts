import { describe, expect, it } from 'vitest';
import { clean, cleanColumn, extent, joinTables } from './columns';

describe('cleanColumn', () => {
  it('turns NaN and infinities into null gaps', () => {
    expect(cleanColumn([1, NaN, Infinity, -2])).toEqual([1, null, null, -2]);
  });
  it('drops non-positive values on log axes', () => {
    expect(cleanColumn([1, 0, -2, 1e-30], true)).toEqual([1, null, null, 1e-30]);
    expect(clean(0, false)).toBe(0);
  });
});

describe('joinTables', () => {
  it('keeps one x column when the tables share it', () => {
    const d = joinTables([
      { x: [0, 10, 20], ys: [[1, 2, 3]] },
      {
        x: [0, 10, 20],
        ys: [
          [4, 5, 6],
          [7, 8, 9],
        ],
      },
    ]);
    expect(d).toEqual([
      [0, 10, 20],
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
  });
  it('aligns different x columns on their union, undefined where a run has no row', () => {
    const d = joinTables([
      { x: [0, 20, 40], ys: [[1, 2, 3]] },
      { x: [0, 10, 20, 30], ys: [[4, null, 6, 7]] },
    ]);
    expect(d[0]).toEqual([0, 10, 20, 30, 40]);
    expect(d[1]).toEqual([1, undefined, 2, undefined, 3]);
    expect(d[2]).toEqual([4, null, 6, 7, undefined]);
    for (const col of d) expect(col.length).toBe(d[0].length);
  });
  it('handles no tables and empty ones', () => {
    expect(joinTables([])).toEqual([[]]);
    expect(joinTables([{ x: [], ys: [[]] }])).toEqual([[], []]);
  });
});

describe('extent', () => {
  it('ignores null and undefined cells', () => {
    expect(extent([[null, 3, undefined, -1], [7]])).toEqual([-1, 7]);
    expect(extent([[null]])).toBeNull();
  });
});
