/**
 * @file <decision-boundary>: for the 2-D datasets, the model's output over the plane as a heat
 * map with the training points (filled) and test points (rings) on top. Two classes: P(class 1)
 * (orange = class 0, white = undecided, blue = class 1) with the p = ½ contour. Three or more:
 * the most probable class in its colour, paler as it is less sure, with the borders between the
 * classes' regions. The caption's accuracies are the page's, computed on every point at the
 * boundary's step, never estimated from the grid.
 *
 * The grid convention is in boundary-data.ts; use `gridInputs(extent, gridSize)` to get the
 * points to predict. Assign new arrays to redraw (or call `requestUpdate()` after mutating).
 *
 *   <decision-boundary .grid=${probs} .gridSize=${64} .extent=${ext} .points=${x} .labels=${y}></decision-boundary>
 */
import { type CSSResultGroup, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { FrameElement } from './base';
import {
  classHeatmapPixels,
  classMargin,
  classTint,
  contourSegments,
  type Extent,
  heatmapPixels,
} from './boundary-data';
import { planeFrame, putPixels, type Rect } from './canvas';
import { legend } from './legend';
import { classColor, INK, MUTED } from './palette';
import { formatPercent, formatTick, niceTicks } from './scale';
import { centredCanvasStyles } from './styles';

export class DecisionBoundary extends FrameElement {
  static override styles: CSSResultGroup = centredCanvasStyles;
  static override properties: PropertyDeclarations = {
    grid: { attribute: false },
    classes: { attribute: false },
    gridSize: { attribute: false },
    extent: { attribute: false },
    points: { attribute: false },
    labels: { attribute: false },
    testPoints: { attribute: false },
    testLabels: { attribute: false },
    caption: { type: String },
    trainAccuracy: { attribute: false },
    testAccuracy: { attribute: false },
  };

  /**
   * Row-major, row 0 at ymin (see boundary-data.ts): gridSize² probabilities of class 1 for two
   * classes, gridSize² × classes probabilities for more.
   */
  declare grid: Float32Array | null;
  declare classes: number;
  declare gridSize: number;
  declare extent: Extent | null;
  /** Training inputs, n × 2 row-major, and their classes (0 or 1). */
  declare points: Float32Array | null;
  declare labels: ArrayLike<number> | null;
  /** Optional held-out inputs and classes, drawn as rings. */
  declare testPoints: Float32Array | null | undefined;
  declare testLabels: ArrayLike<number> | null | undefined;
  /** Which model and when, e.g. "he_normal · step 1200". */
  declare caption: string;
  /** Accuracy on every training (and test) point at the boundary's step; null where unknown. */
  declare trainAccuracy: number | null;
  declare testAccuracy: number | null;
  private heat: HTMLCanvasElement | null = null;

  constructor() {
    super();
    this.grid = null;
    this.classes = 2;
    this.gridSize = 0;
    this.extent = null;
    this.points = null;
    this.labels = null;
    this.testPoints = null;
    this.testLabels = null;
    this.caption = '';
    this.trainAccuracy = null;
    this.testAccuracy = null;
    this.height = 380;
  }

  private get ready(): boolean {
    const cells = this.gridSize * this.gridSize * (this.classes > 2 ? this.classes : 1);
    return !!this.extent && !!this.grid && this.gridSize > 0 && this.grid.length >= cells;
  }

  override render(): TemplateResult {
    const parts: string[] = [];
    if (this.caption) parts.push(this.caption);
    if (this.ready) {
      if (this.trainAccuracy != null) parts.push(`training set accuracy ${formatPercent(this.trainAccuracy)}`);
      if (this.testAccuracy != null) parts.push(`test set ${formatPercent(this.testAccuracy)}`);
    }
    const K = Math.max(2, this.classes);
    const items = [
      ...Array.from({ length: K }, (_, k) => ({ label: `class ${k}`, color: classColor(k), style: 'dot' as const })),
      ...(this.testPoints?.length ? [{ label: 'test points', color: MUTED, style: 'ring' as const }] : []),
      { label: K > 2 ? 'border between classes' : 'p = ½ boundary', color: INK, style: 'thin' as const },
    ];
    const ramp =
      K > 2
        ? {
            colors: [0, 0.25, 0.5, 0.75, 1].map((t) => tintColor(0, 1 / K + t * (1 - 1 / K), K)),
            from: 'shade: tied',
            to: 'sure',
          }
        : {
            colors: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(rampColor),
            from: 'P(class 1): 0',
            to: '1',
          };
    return this.frame(
      'Decision boundary',
      this.ready ? parts.join(' · ') : 'Waiting for predictions…',
      nothing,
      html`<canvas role="img" aria-label="Model output over the input plane with the data points"></canvas>`,
      html`${legend(items, ramp)}`,
    );
  }

  protected draw(): void {
    const m = { l: 44, r: 10, t: 8, b: 38 };
    const side = Math.max(80, Math.min(this.bodyWidth - m.l - m.r, this.height - m.t - m.b));
    const ctx = this.fitBodyCanvas(side + m.l + m.r, side + m.t + m.b);
    if (!ctx) return;
    const r: Rect = { x: m.l, y: m.t, w: side, h: side };
    const e = this.extent;
    if (!e) return;
    const sx = (x: number) => r.x + ((x - e.xmin) / (e.xmax - e.xmin)) * r.w;
    const sy = (y: number) => r.y + r.h - ((y - e.ymin) / (e.ymax - e.ymin)) * r.h;
    if (this.ready) this.drawHeat(ctx, r);
    this.drawAxes(ctx, r, e, sx, sy);
    const n = (this.points?.length ?? 0) / 2 + (this.testPoints?.length ?? 0) / 2;
    const rad = n > 800 ? 2.2 : n > 300 ? 2.8 : 3.5;
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    drawPoints(ctx, this.points, this.labels, sx, sy, rad, false);
    drawPoints(ctx, this.testPoints, this.testLabels, sx, sy, rad, true);
    ctx.restore();
  }

  private drawHeat(ctx: CanvasRenderingContext2D, r: Rect): void {
    const g = this.gridSize;
    const K = this.classes;
    const pixels = K > 2 ? classHeatmapPixels(this.grid!, g, K) : heatmapPixels(this.grid!, g);
    this.heat = putPixels(this.heat, pixels, g, g);
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(this.heat, r.x, r.y, r.w, r.h);
    // Grid coordinates are cell centres: column c sits at (c + ½) of a cell from the left edge.
    const cx = (c: number) => r.x + ((c + 0.5) / g) * r.w;
    const cy = (row: number) => r.y + r.h - ((row + 0.5) / g) * r.h;
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    // Two classes: where P(class 1) crosses ½. More: the border of each class's region (where
    // it stops leading the others), so every border is drawn from both sides, on one line.
    const contours =
      K > 2
        ? Array.from({ length: K }, (_, k) => contourSegments(classMargin(this.grid!, g, K, k), g, 0)).flat()
        : contourSegments(this.grid!, g);
    for (const [c0, r0, c1, r1] of contours) {
      ctx.moveTo(cx(c0), cy(r0));
      ctx.lineTo(cx(c1), cy(r1));
    }
    ctx.stroke();
    ctx.restore();
  }

  private drawAxes(
    ctx: CanvasRenderingContext2D,
    r: Rect,
    e: Extent,
    sx: (x: number) => number,
    sy: (y: number) => number,
  ): void {
    const ticks = (lo: number, hi: number) => niceTicks(lo, hi, 5).map((t): [number, string] => [t, formatTick(t)]);
    planeFrame(
      ctx,
      r,
      { ticks: ticks(e.xmin, e.xmax), at: sx, title: 'x₁ (input 1)', titleAt: r.y + r.h + 36 },
      { ticks: ticks(e.ymin, e.ymax), at: sy, title: 'x₂ (input 2)', titleAt: 10 },
    );
  }
}

function rampColor(p: number): string {
  const [R, G, B] = heatmapPixels([p], 1);
  return `rgb(${R}, ${G}, ${B})`;
}

function tintColor(k: number, p: number, K: number): string {
  const [R, G, B] = classTint(k, p, K);
  return `rgb(${R}, ${G}, ${B})`;
}

function drawPoints(
  ctx: CanvasRenderingContext2D,
  pts: Float32Array | null | undefined,
  labels: ArrayLike<number> | null | undefined,
  sx: (x: number) => number,
  sy: (y: number) => number,
  rad: number,
  ring: boolean,
): void {
  if (!pts) return;
  const n = Math.floor(pts.length / 2);
  ctx.lineWidth = ring ? 1.6 : 0.8;
  for (let i = 0; i < n; i++) {
    const color = labels && i < labels.length ? classColor(labels[i]) : MUTED;
    ctx.beginPath();
    ctx.arc(sx(pts[2 * i]), sy(pts[2 * i + 1]), rad, 0, 2 * Math.PI);
    ctx.fillStyle = ring ? '#ffffff' : color;
    ctx.strokeStyle = ring ? color : 'rgba(31, 35, 40, 0.75)';
    ctx.fill();
    ctx.stroke();
  }
}

customElements.define('decision-boundary', DecisionBoundary);

declare global {
  interface HTMLElementTagNameMap {
    'decision-boundary': DecisionBoundary;
  }
}
