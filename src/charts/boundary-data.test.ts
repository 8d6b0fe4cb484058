import { describe, expect, it } from 'vitest';
import { contourSegments, gridAccuracy, gridInputs, heatmapPixels, pointsExtent, probColor } from './boundary-data';

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

describe('pointsExtent and gridAccuracy', () => {
  it('pads the points into a square extent', () => {
    const e = pointsExtent(new Float32Array([0, 0, 2, 1]), 0);
    expect(e).toEqual({ xmin: 0, xmax: 2, ymin: -0.5, ymax: 1.5 });
  });
  it('scores points by the cell they fall in', () => {
    const grid = [0, 1, 0, 1]; // 2×2: left column class 0, right column class 1
    const pts = new Float32Array([-1, 1, 1, 1, 1, 3]);
    expect(gridAccuracy(grid, 2, ext, pts, [0, 1, 0])).toBeCloseTo(2 / 3);
  });
});
