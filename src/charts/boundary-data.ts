/**
 * @file Pixels of <decision-boundary> and the grid the page must predict on. One convention,
 * here only: the grid is G×G cell centres, row-major, row 0 at ymin, column 0 at xmin, so
 * `grid[r * G + c]` is P(class 1) at (xmin + (c + ½)·dx, ymin + (r + ½)·dy) for two classes,
 * and `grid[(r * G + c) * K + k]` is P(class k) for K ≥ 3. `gridInputs` produces exactly these
 * points for `engine.predict`.
 */
import { CLASS_COLORS, classColor, hexToRgb } from './palette';

export interface Extent {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

/** The G×G cell centres, as n × 2 row-major inputs for `Engine.predict`. */
export function gridInputs(extent: Extent, g: number): Float32Array {
  const out = new Float32Array(g * g * 2);
  const dx = (extent.xmax - extent.xmin) / g,
    dy = (extent.ymax - extent.ymin) / g;
  for (let r = 0; r < g; r++)
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      out[2 * i] = extent.xmin + (c + 0.5) * dx;
      out[2 * i + 1] = extent.ymin + (r + 0.5) * dy;
    }
  return out;
}

/** The extent of some 2-D points, padded by `pad` of its size and made square-ish for the eye. */
export function pointsExtent(points: Float32Array, pad = 0.1): Extent {
  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    xmin = Math.min(xmin, points[i]);
    xmax = Math.max(xmax, points[i]);
    ymin = Math.min(ymin, points[i + 1]);
    ymax = Math.max(ymax, points[i + 1]);
  }
  if (!(xmin <= xmax)) return { xmin: -1, xmax: 1, ymin: -1, ymax: 1 };
  const s = Math.max(xmax - xmin, ymax - ymin, 1e-6) * (1 + 2 * pad);
  const cx = (xmin + xmax) / 2,
    cy = (ymin + ymax) / 2;
  return { xmin: cx - s / 2, xmax: cx + s / 2, ymin: cy - s / 2, ymax: cy + s / 2 };
}

/** Light tints of the two class colours, white at p = ½, so the data points on top stay visible. */
const TINT = 0.45;
const C0 = hexToRgb(CLASS_COLORS[0]).map((v) => 1 - (1 - v) * TINT);
const C1 = hexToRgb(CLASS_COLORS[1]).map((v) => 1 - (1 - v) * TINT);

/** Background colour (0–255 RGB) for probability p of class 1. */
export function probColor(p: number): [number, number, number] {
  const q = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
  const t = Math.abs(q - 0.5) * 2;
  const c = q < 0.5 ? C0 : C1;
  return c.map((v) => Math.round(255 * (1 + (v - 1) * t))) as [number, number, number];
}

/**
 * RGBA pixels of a G×G image of the grid with row 0 at the top (ymax), as canvases count rows,
 * so that drawing it into the plot area keeps y pointing up.
 */
export function heatmapPixels(grid: ArrayLike<number>, g: number): Uint8ClampedArray<ArrayBuffer> {
  return gridPixels(g, (cell) => probColor(grid[cell]));
}

/** RGBA pixels of a G×G image, each cell (row-major, row 0 at ymin) coloured by `colorOf`. */
function gridPixels(g: number, colorOf: (cell: number) => readonly number[]): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(g * g * 4);
  for (let r = 0; r < g; r++)
    for (let c = 0; c < g; c++) {
      const [R, G, B] = colorOf(r * g + c);
      const o = ((g - 1 - r) * g + c) * 4;
      px[o] = R;
      px[o + 1] = G;
      px[o + 2] = B;
      px[o + 3] = 255;
    }
  return px;
}

/**
 * Background colour (0–255 RGB) of a cell whose most probable class is k with probability p, of
 * K classes: the class's tint, faded to white as p falls to 1/K (where the classes tie).
 */
export function classTint(k: number, p: number, K: number): [number, number, number] {
  const t = Number.isFinite(p) ? Math.min(1, Math.max(0, (p - 1 / K) / (1 - 1 / K))) : 0;
  const c = hexToRgb(classColor(k)).map((v) => 1 - (1 - v) * TINT);
  return c.map((v) => Math.round(255 * (1 + (v - 1) * t))) as [number, number, number];
}

/** RGBA pixels of a K-class grid (K probabilities per cell), rows as in heatmapPixels. */
export function classHeatmapPixels(probs: ArrayLike<number>, g: number, K: number): Uint8ClampedArray<ArrayBuffer> {
  return gridPixels(g, (cell) => {
    const { k, p } = winner(probs, cell * K, K);
    return classTint(k, p, K);
  });
}

/** The most probable class of the K probabilities at `o` (the first, on a tie, as argmax) and its probability. */
function winner(probs: ArrayLike<number>, o: number, K: number): { k: number; p: number } {
  let k = 0;
  for (let j = 1; j < K; j++) if (probs[o + j] > probs[o + k]) k = j;
  return { k, p: probs[o + k] };
}

/**
 * Per cell, how far class k leads the best other class (P(k) − max other P): positive where k
 * wins, so its 0-contour (contourSegments at level 0) outlines class k's region.
 */
export function classMargin(probs: ArrayLike<number>, g: number, K: number, k: number): Float32Array {
  const m = new Float32Array(g * g);
  for (let i = 0; i < g * g; i++) {
    let other = -Infinity;
    for (let j = 0; j < K; j++) if (j !== k) other = Math.max(other, probs[i * K + j]);
    m[i] = probs[i * K + k] - other;
  }
  return m;
}

/**
 * The edges (0 bottom, 1 right, 2 top, 3 left) a cell's contour joins, by case 1 to 7 (a bit per
 * corner above the level: 1 bottom-left, 2 bottom-right, 4 top-right, 8 top-left).
 */
const CROSSED: readonly (readonly [number, number][])[] = [
  [],
  [[3, 0]],
  [[0, 1]],
  [[3, 1]],
  [[1, 2]],
  [],
  [[0, 2]],
  [[3, 2]],
];
/** Cases 5 and 10, saddles: [0] cuts off the top-left and bottom-right corners, [1] the other two. */
const SADDLE: readonly (readonly [number, number][])[] = [
  [
    [3, 2],
    [0, 1],
  ],
  [
    [3, 0],
    [1, 2],
  ],
];

/**
 * Line segments where the G×G grid crosses `level` (marching squares with linear
 * interpolation), in grid coordinates: column c and row r of the cell centres. Ambiguous
 * saddles are split by the cell's mean, which is enough for a drawn outline.
 */
export function contourSegments(grid: ArrayLike<number>, g: number, level = 0.5): number[][] {
  const segs: number[][] = [];
  const v = (r: number, c: number) => grid[r * g + c];
  const lerp = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let r = 0; r + 1 < g; r++)
    for (let c = 0; c + 1 < g; c++) {
      const a = v(r, c),
        b = v(r, c + 1),
        d = v(r + 1, c),
        e = v(r + 1, c + 1); // a b bottom, d e top
      if (![a, b, d, e].every(Number.isFinite)) continue;
      const idx = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (e > level ? 4 : 0) | (d > level ? 8 : 0);
      if (idx === 0 || idx === 15) continue;
      const bottom = [c + lerp(a, b), r],
        right = [c + 1, r + lerp(b, e)],
        top = [c + lerp(d, e), r + 1],
        left = [c, r + lerp(a, d)];
      const edges = [bottom, right, top, left];
      // A case and its complement (15 − idx) cross the same edges.
      const k = idx < 8 ? idx : 15 - idx;
      // A saddle keeps its high corners joined when the cell's mean is above the level.
      const cutTopLeft = (idx === 5) === (a + b + d + e) / 4 > level;
      const pairs = k === 5 ? SADDLE[cutTopLeft ? 0 : 1] : CROSSED[k];
      for (const [p, q] of pairs) segs.push([...edges[p], ...edges[q]]);
    }
  return segs;
}
