/**
 * @file <phase-diagram-chart>: the (σ_w², σ_b²) plane of one activation coloured by ln χ₁ (blue:
 * ordered, signals die out; white: critical; orange: chaotic, signals blow up and decorrelate),
 * the critical line χ₁ = 1, and labelled points (initializers) that are buttons: clicking one
 * fires PhasePickEvent with its id. Hovering the plane reads χ₁ out in the caption. Rows of χ₁
 * may arrive one at a time (NaN where not yet computed).
 *
 *   <phase-diagram-chart .plane=${plane} .chi=${chi} .critical=${line} .points=${points}></phase-diagram-chart>
 */
import { type CSSResultGroup, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { PhasePlane } from '../core/theory/phase-grid';
import { FrameElement } from './base';
import { fitCanvas, planeFrame, putPixels, type Rect } from './canvas';
import { legend } from './legend';
import { INK } from './palette';
import { formatTick, niceTicks } from './scale';
import { chartStyles } from './styles';

/** A labelled point of the plane: an initializer of the current network. */
export interface PhasePoint {
  id: string;
  label: string;
  weightVariance: number;
  biasVariance: number;
  /** The network's own initializer: drawn filled. */
  current: boolean;
}

export class PhasePickEvent extends Event {
  static readonly type = 'phase-pick';
  constructor(readonly id: string) {
    super(PhasePickEvent.type, { bubbles: true, composed: true });
  }
}

/** The most |ln χ₁| at which either side's colour saturates. */
const LOG_LIMIT = 1.5;
const ORDERED: [number, number, number] = [0, 114, 178];
const CHAOTIC: [number, number, number] = [213, 94, 0];
const MARGIN = { l: 50, r: 14, t: 10, b: 40 };

/**
 * The ln χ₁ at which each side saturates: the plane's own extreme, at most LOG_LIMIT. The two
 * sides differ (tanh's χ₁ stays under 1.6 up to σ_w² = 4 while it falls to 0 at σ_w² = 0), so
 * each gets its full ramp; the legend states both ends.
 */
interface ChiLimits {
  ordered: number;
  chaotic: number;
}

function chiLimits(chi: Float64Array | null): ChiLimits {
  let low = 0,
    high = 0;
  for (const v of chi ?? []) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    low = Math.min(low, Math.log(v));
    high = Math.max(high, Math.log(v));
  }
  const side = (x: number) => Math.min(LOG_LIMIT, Math.max(0.05, x));
  return { ordered: side(-low), chaotic: side(high) };
}

/** The colour of ln χ₁: white at 0, towards blue below and orange above. */
function chiColor(chi: number, limits: ChiLimits): [number, number, number] {
  if (!Number.isFinite(chi) || chi <= 0) return chi > 0 ? CHAOTIC : ORDERED;
  const ln = Math.log(chi);
  const t = Math.max(-1, Math.min(1, ln / (ln < 0 ? limits.ordered : limits.chaotic)));
  const end = t < 0 ? ORDERED : CHAOTIC;
  const a = Math.abs(t);
  return [0, 1, 2].map((k) => Math.round(255 + a * (end[k] - 255))) as [number, number, number];
}

const toCss = (c: readonly number[]) => `rgb(${c.join(',')})`;

class PhaseDiagramChart extends FrameElement {
  static override styles: CSSResultGroup = [
    chartStyles,
    css`
      .plot { position: relative; }
      canvas { display: block; cursor: crosshair; }
      button.point { position: absolute; transform: translate(8px, -50%); font: 600 11.5px system-ui, sans-serif;
        padding: 1px 6px; border: 1px solid #8c959f; border-radius: 10px; background: rgba(255, 255, 255, 0.92);
        color: #1f2328; cursor: pointer; white-space: nowrap; }
      button.point.current { background: #1f2328; color: #fff; border-color: #1f2328; }
      button.point:hover, button.point:focus-visible { border-color: #0969da; outline: 2px solid #0969da; }
      button.point.off { transform: translate(-100%, -50%); }
    `,
  ];
  static override properties: PropertyDeclarations = {
    plane: { attribute: false },
    chi: { attribute: false },
    critical: { attribute: false },
    points: { attribute: false },
    caption: { type: String },
    hover: { state: true },
  };

  declare plane: PhasePlane | null;
  /** rows × columns of χ₁, row 0 at the plane's lowest σ_b²; NaN where not computed yet. */
  declare chi: Float64Array | null;
  declare critical: { biasVariance: number; weightVariance: number | null }[];
  declare points: PhasePoint[];
  declare caption: string;
  declare protected hover: string;
  private heat: HTMLCanvasElement | null = null;

  constructor() {
    super();
    this.plane = null;
    this.chi = null;
    this.critical = [];
    this.points = [];
    this.caption = '';
    this.hover = '';
    this.height = 360;
  }

  /** The plot rectangle for the current width. */
  private get rect(): Rect {
    const w = Math.max(120, this.bodyWidth - MARGIN.l - MARGIN.r);
    return { x: MARGIN.l, y: MARGIN.t, w, h: Math.max(120, Math.min(this.height, Math.round(w * 0.62))) };
  }

  private scales(r: Rect, plane: PhasePlane) {
    const [w0, w1] = plane.weight,
      [b0, b1] = plane.bias;
    return {
      sx: (v: number) => r.x + ((v - w0) / (w1 - w0)) * r.w,
      sy: (v: number) => r.y + r.h - ((v - b0) / (b1 - b0)) * r.h,
    };
  }

  override render(): TemplateResult {
    const plane = this.plane;
    const subtitle = this.hover || this.caption || 'Computing…';
    const limits = chiLimits(this.chi);
    const ramp = {
      colors: [-1, -0.6, -0.3, 0, 0.3, 0.6, 1].map((t) =>
        toCss(chiColor(Math.exp(t * (t < 0 ? limits.ordered : limits.chaotic)), limits)),
      ),
      from: `ordered: χ₁ ≤ ${Math.exp(-limits.ordered).toFixed(2)}`,
      to: `chaotic: χ₁ ≥ ${Math.exp(limits.chaotic).toFixed(2)}`,
    };
    return this.frame(
      'Order-to-chaos phase diagram',
      subtitle,
      nothing,
      html`<div class="plot">
        <canvas role="img" aria-label="ln χ₁ over σ_w² and σ_b², with the critical line and the initializers"
          @mousemove=${this.onMove} @mouseleave=${() => {
            this.hover = '';
          }}></canvas>
        ${plane && this.bodyWidth > 0 ? this.pointButtons(plane) : nothing}
      </div>`,
      legend([{ label: 'critical line χ₁ = 1', color: INK, style: 'line' }], ramp),
    );
  }

  private pointButtons(plane: PhasePlane): TemplateResult[] {
    const r = this.rect;
    const { sx, sy } = this.scales(r, plane);
    // Labels go right of their marker, raised a level wherever they would overlap one already
    // placed (a label's width is estimated from its length: the font is fixed).
    const levels: number[] = [];
    const order = this.points.map((p, i) => ({ p, i })).sort((a, b) => a.p.weightVariance - b.p.weightVariance);
    const placed = new Map<number, TemplateResult>();
    for (const { p, i } of order) {
      const off = p.weightVariance > plane.weight[1];
      const x = off ? r.x + r.w : sx(p.weightVariance);
      const text = off ? `${p.label} (σ_w² = ${formatTick(p.weightVariance)}) →` : p.label;
      const width = text.length * 6.6 + 16;
      const [from, to] = off ? [x - width, x] : [x + 8, x + 8 + width];
      let level = levels.findIndex((end) => end < from - 4);
      if (level < 0) level = levels.length;
      levels[level] = to;
      const y = Math.min(r.y + r.h, Math.max(r.y, sy(p.biasVariance))) - 16 - level * 22;
      placed.set(
        i,
        html`<button class="point ${p.current ? 'current' : ''} ${off ? 'off' : ''}" data-id=${p.id}
        style=${styleMap({ left: `${x}px`, top: `${y}px` })}
        aria-label=${`Load ${p.label} (σ_w² = ${formatTick(p.weightVariance)}, σ_b² = ${formatTick(p.biasVariance)})`}
        @click=${() => this.dispatchEvent(new PhasePickEvent(p.id))}>${text}</button>`,
      );
    }
    return this.points.map((_, i) => placed.get(i)!);
  }

  private onMove(e: MouseEvent): void {
    const plane = this.plane;
    if (!plane || !this.chi) return;
    const r = this.rect;
    const box = (e.target as HTMLCanvasElement).getBoundingClientRect();
    const fx = (e.clientX - box.left - r.x) / r.w,
      fy = 1 - (e.clientY - box.top - r.y) / r.h;
    if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) {
      this.hover = '';
      return;
    }
    const c = Math.floor(fx * plane.columns),
      row = Math.floor(fy * plane.rows);
    const chi = this.chi[row * plane.columns + c];
    const w = plane.weight[0] + fx * (plane.weight[1] - plane.weight[0]);
    const b = plane.bias[0] + fy * (plane.bias[1] - plane.bias[0]);
    const phase = Math.abs(chi - 1) < 0.02 ? 'near critical' : chi < 1 ? 'ordered' : 'chaotic';
    this.hover = Number.isFinite(chi)
      ? `σ_w² = ${w.toFixed(2)}, σ_b² = ${b.toFixed(3)}: χ₁ = ${chi.toFixed(3)} (${phase})`
      : `σ_w² = ${w.toFixed(2)}, σ_b² = ${b.toFixed(3)}`;
  }

  protected draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const plane = this.plane;
    if (!canvas || !plane) return;
    const r = this.rect;
    const ctx = fitCanvas(canvas, r.x + r.w + MARGIN.r, r.y + r.h + MARGIN.b);
    const { sx, sy } = this.scales(r, plane);
    if (this.chi) this.drawHeat(ctx, r, plane, this.chi);
    this.drawCritical(ctx, r, sx, sy);
    this.drawAxes(ctx, r, plane, sx, sy);
    for (const p of this.points) {
      const x = Math.min(sx(p.weightVariance), r.x + r.w),
        y = Math.min(r.y + r.h, Math.max(r.y, sy(p.biasVariance)));
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.fillStyle = p.current ? INK : '#fff';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = INK;
      ctx.stroke();
    }
  }

  private drawHeat(ctx: CanvasRenderingContext2D, r: Rect, plane: PhasePlane, chi: Float64Array): void {
    const { columns, rows } = plane;
    const limits = chiLimits(chi);
    const pixels = new Uint8ClampedArray(columns * rows * 4);
    for (let row = 0; row < rows; row++) {
      for (let c = 0; c < columns; c++) {
        const v = chi[row * columns + c];
        const o = ((rows - 1 - row) * columns + c) * 4; // row 0 at the bottom
        if (Number.isNaN(v)) continue;
        pixels.set([...chiColor(v, limits), 255], o);
      }
    }
    this.heat = putPixels(this.heat, pixels, columns, rows);
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, r.x, r.y, r.w, r.h);
    ctx.restore();
  }

  private drawCritical(ctx: CanvasRenderingContext2D, r: Rect, sx: (v: number) => number, sy: (v: number) => number) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    for (const p of this.critical) {
      if (p.weightVariance === null) {
        drawing = false;
        continue;
      }
      const [x, y] = [sx(p.weightVariance), sy(p.biasVariance)];
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.stroke();
    ctx.restore();
  }

  private drawAxes(
    ctx: CanvasRenderingContext2D,
    r: Rect,
    plane: PhasePlane,
    sx: (v: number) => number,
    sy: (v: number) => number,
  ): void {
    const ticks = (range: [number, number], n: number) =>
      niceTicks(range[0], range[1], n).map((t): [number, string] => [t, formatTick(t)]);
    const titleAt = r.y + r.h + MARGIN.b - 2;
    planeFrame(
      ctx,
      r,
      { ticks: ticks(plane.weight, 8), at: sx, title: 'σ_w² (weight variance × fan-in)', titleAt },
      { ticks: ticks(plane.bias, 5), at: sy, title: 'σ_b² (bias variance)', titleAt: 12 },
    );
  }
}

customElements.define('phase-diagram-chart', PhaseDiagramChart);

declare global {
  interface HTMLElementTagNameMap {
    'phase-diagram-chart': PhaseDiagramChart;
  }
  interface HTMLElementEventMap {
    'phase-pick': PhasePickEvent;
  }
}
