/**
 * @file <decision-boundary>: for the 2-D datasets, the model's P(class 1) over the plane as a
 * heat map (orange = class 0, white = undecided, blue = class 1) with the p = ½ contour, the
 * training points (filled) and test points (rings) on top.
 *
 * The grid convention is in boundary-data.ts; use `gridInputs(extent, gridSize)` to get the
 * points to predict. Assign new arrays to redraw (or call `requestUpdate()` after mutating).
 *
 *   <decision-boundary .grid=${probs} .gridSize=${64} .extent=${ext} .points=${x} .labels=${y}></decision-boundary>
 */
import { type CSSResultGroup, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { FrameElement } from './base';
import { contourSegments, type Extent, gridAccuracy, heatmapPixels } from './boundary-data';
import { FONT, fitCanvas, LABEL_FONT, type Rect } from './canvas';
import { legend } from './legend';
import { CLASS_COLORS, INK, MUTED } from './palette';
import { formatPercent, formatTick, niceTicks } from './scale';
import { chartStyles } from './styles';

export class DecisionBoundary extends FrameElement {
  static override styles: CSSResultGroup = [chartStyles, css`canvas { margin: 0 auto; }`];
  static override properties: PropertyDeclarations = {
    grid: { attribute: false },
    gridSize: { attribute: false },
    extent: { attribute: false },
    points: { attribute: false },
    labels: { attribute: false },
    testPoints: { attribute: false },
    testLabels: { attribute: false },
    caption: { type: String },
  };

  /** gridSize² probabilities of class 1, row-major, row 0 at ymin (see boundary-data.ts). */
  declare grid: Float32Array | null;
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
  private heat: HTMLCanvasElement | null = null;

  constructor() {
    super();
    this.grid = null;
    this.gridSize = 0;
    this.extent = null;
    this.points = null;
    this.labels = null;
    this.testPoints = null;
    this.testLabels = null;
    this.caption = '';
    this.height = 380;
  }

  private get ready(): boolean {
    return !!this.extent && !!this.grid && this.gridSize > 0 && this.grid.length >= this.gridSize * this.gridSize;
  }

  override render(): TemplateResult {
    const parts: string[] = [];
    if (this.caption) parts.push(this.caption);
    if (this.ready) {
      const acc = (p?: Float32Array | null, l?: ArrayLike<number> | null) =>
        p && l ? gridAccuracy(this.grid!, this.gridSize, this.extent!, p, l) : null;
      const tr = acc(this.points, this.labels),
        te = acc(this.testPoints, this.testLabels);
      if (tr != null) parts.push(`train accuracy ${formatPercent(tr)}`);
      if (te != null) parts.push(`test ${formatPercent(te)}`);
    }
    const items = [
      { label: 'class 0', color: CLASS_COLORS[0], style: 'dot' as const },
      { label: 'class 1', color: CLASS_COLORS[1], style: 'dot' as const },
      ...(this.testPoints?.length ? [{ label: 'test points', color: MUTED, style: 'ring' as const }] : []),
      { label: 'p = ½ boundary', color: INK, style: 'thin' as const },
    ];
    return this.frame(
      'Decision boundary',
      this.ready ? parts.join(' · ') : 'Waiting for predictions…',
      nothing,
      html`<canvas role="img" aria-label="Model output over the input plane with the data points"></canvas>`,
      html`${legend(items, { colors: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(rampColor), from: 'P(class 1): 0', to: '1' })}`,
    );
  }

  protected draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const m = { l: 44, r: 10, t: 8, b: 38 };
    const side = Math.max(80, Math.min(this.bodyWidth - m.l - m.r, this.height - m.t - m.b));
    const W = side + m.l + m.r,
      H = side + m.t + m.b;
    const ctx = fitCanvas(canvas, W, H);
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
    this.heat ??= document.createElement('canvas');
    this.heat.width = g;
    this.heat.height = g;
    this.heat.getContext('2d')!.putImageData(new ImageData(heatmapPixels(this.grid!, g), g, g), 0, 0);
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
    for (const [c0, r0, c1, r1] of contourSegments(this.grid!, g)) {
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
    ctx.save();
    ctx.strokeStyle = '#8c959f';
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    ctx.font = FONT;
    ctx.fillStyle = INK;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(e.xmin, e.xmax, 5)) ctx.fillText(formatTick(t), sx(t), r.y + r.h + 3);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(e.ymin, e.ymax, 5)) ctx.fillText(formatTick(t), r.x - 4, sy(t));
    ctx.font = LABEL_FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText('x₁ (input 1)', r.x + r.w / 2, r.y + r.h + 36);
    ctx.translate(10, r.y + r.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('x₂ (input 2)', 0, 0);
    ctx.restore();
  }
}

function rampColor(p: number): string {
  const [R, G, B] = heatmapPixels([p], 1);
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
    const color = labels && i < labels.length ? CLASS_COLORS[labels[i] ? 1 : 0] : MUTED;
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
