import { describe, expect, it } from 'vitest';
import {
  classHeatmapPixels,
  classMargin,
  classTint,
  contourSegments,
  gridInputs,
  heatmapPixels,
  pointsExtent,
  probColor,
} from './boundary-data';

const ext = { xmin: -2, xmax: 2, ymin: 0, ymax: 4 };

describe('gridInputs', () => {
  it('lists cell centres row-major with row 0 at ymin', () => {
    const g = gridInputs(ext, 4);
    expect(g.length).toBe(32);
    expect([g[0], g[1]]).toEqual([-1.5, 0.5]);
    expect([g[2], g[3]]).toEqual([-0.5, 0.5]); // next column
    expect([g[8], g[9]]).toEqual([-1.5, 1.5]); // next row
  });
});

describe('heatmapPixels and probColor', () => {
  it('is white at ½ and flips rows so ymax is at the top', () => {
    expect(probColor(0.5)).toEqual([255, 255, 255]);
    expect(probColor(0)).not.toEqual(probColor(1));
    const px = heatmapPixels([0, 0, 1, 1], 2); // row 0 (bottom) class 0, row 1 (top) class 1
    expect(Array.from(px.slice(0, 3))).toEqual(probColor(1));
    expect(Array.from(px.slice(8, 11))).toEqual(probColor(0));
    expect(px[3]).toBe(255);
  });
});

describe('contourSegments', () => {
  it('finds the p = ½ line of a vertical boundary', () => {
    const g = 4;
    const grid = Array.from({ length: g * g }, (_, i) => (i % g >= 2 ? 1 : 0));
    const segs = contourSegments(grid, g);
    expect(segs.length).toBe(3);
    for (const [c0, , c1] of segs) {
      expect(c0).toBeCloseTo(1.5);
      expect(c1).toBeCloseTo(1.5);
    }
    expect(contourSegments(new Array(16).fill(0.9), 4)).toEqual([]);
  });
});

describe('pointsExtent', () => {
  it('pads the points into a square extent', () => {
    const e = pointsExtent(new Float32Array([0, 0, 2, 1]), 0);
    expect(e).toEqual({ xmin: 0, xmax: 2, ymin: -0.5, ymax: 1.5 });
  });
});

describe('K-class grids', () => {
  it('colour each cell by its most probable class, white where the classes tie', () => {
    expect(classTint(2, 1 / 3, 3)).toEqual([255, 255, 255]);
    const sure = [classTint(0, 1, 3), classTint(1, 1, 3), classTint(2, 1, 3)];
    expect(new Set(sure.map(String)).size).toBe(3);
    // Paler as the winner is less sure: every channel moves towards white.
    for (const [i, v] of classTint(2, 0.6, 3).entries()) expect(v).toBeGreaterThanOrEqual(sure[2][i]);
    // 1×1 grid of 3 classes, class 2 sure.
    expect(Array.from(classHeatmapPixels([0, 0, 1], 1, 3).slice(0, 3))).toEqual(sure[2]);
  });

  it('outline each class by where it leads the best other class', () => {
    // 2×2 grid, 3 classes: class 0 in the bottom row, class 2 in the top row.
    const probs = [0.8, 0.1, 0.1, 0.7, 0.2, 0.1, 0.1, 0.2, 0.7, 0.2, 0.1, 0.7];
    expect(Array.from(classMargin(probs, 2, 3, 0))).toEqual([0.7, 0.5, -0.6, -0.5].map((v) => Math.fround(v)));
    expect(contourSegments(classMargin(probs, 2, 3, 0), 2, 0)).toHaveLength(1);
    expect(contourSegments(classMargin(probs, 2, 3, 1), 2, 0)).toHaveLength(0);
  });
});
