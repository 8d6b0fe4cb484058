/**
 * @file <trainable-depth-map>: the page's reproduction of Schoenholz et al.'s figure of trainable
 * depth. One cell per network, σ_w² across and depth up, coloured by its held-out accuracy
 * (viridis from chance to 1), with the theory's 6ξ_c drawn over it (and ξ_c, thinner): networks
 * above the curve should fail to train. A read-out names the cell under the pointer.
 *
 *   <trainable-depth-map .config=${cfg} .accuracy=${acc} .curve=${points}></trainable-depth-map>
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { fitCanvas, planeFrame, type Rect } from '../charts/canvas';
import { INK } from '../charts/palette';
import { formatTick } from '../charts/scale';
import { css as rgb, viridis } from './colormap';
import type { DepthConfig } from './depth/config';
import { atlasStyles } from './styles';

/** The theory's depth scale at one σ_w²: ξ_c in layers (Infinity at the critical point). */
export interface DepthScalePoint {
  weightVariance: number;
  xiC: number;
}

const MARGIN = { l: 48, r: 12, t: 10, b: 40 };

/** Cell edges of sorted values: halfway between neighbours, a half step beyond the ends. */
function cellEdges(values: readonly number[]): number[] {
  const v = [...values];
  if (v.length === 1) return [v[0] - 0.5, v[0] + 0.5];
  const edges = [v[0] - (v[1] - v[0]) / 2];
  for (let i = 0; i + 1 < v.length; i++) edges.push((v[i] + v[i + 1]) / 2);
  edges.push(v[v.length - 1] + (v[v.length - 1] - v[v.length - 2]) / 2);
  return edges;
}

class TrainableDepthMap extends LitElement {
  static override styles = [
    atlasStyles,
    css`
      canvas { display: block; cursor: crosshair; }
      .readout { min-height: 1.4em; font-size: 12px; font-variant-numeric: tabular-nums; margin-top: 4px; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font-size: 12px; margin-top: 4px; }
      .ramp { display: inline-block; width: 120px; height: 10px; vertical-align: middle; }
      .line { display: inline-block; width: 22px; border-top: 2.5px dashed #fff; outline: 1px solid #1f2328; vertical-align: middle; }
      .line.thin { border-top: 1.5px dotted #fff; }
    `,
  ];
  static override properties: PropertyDeclarations = {
    config: { attribute: false },
    accuracy: { attribute: false },
    curve: { attribute: false },
    width: { type: Number },
    hover: { state: true },
  };
  declare config: DepthConfig | null;
  /** Row-major over (weight_variances, depths), as DepthResult holds it. */
  declare accuracy: Float64Array | null;
  declare curve: DepthScalePoint[];
  /** CSS width of the figure. */
  declare width: number;
  declare protected hover: string;

  constructor() {
    super();
    this.config = null;
    this.accuracy = null;
    this.curve = [];
    this.width = 640;
    this.hover = '';
  }

  private get rect(): Rect {
    const w = Math.max(160, this.width - MARGIN.l - MARGIN.r);
    return { x: MARGIN.l, y: MARGIN.t, w, h: Math.round(Math.min(420, w * 0.62)) };
  }

  /** Linear value → pixel maps over the cells' outer edges. */
  private scales(cfg: DepthConfig, r: Rect) {
    const xe = cellEdges(cfg.weight_variances),
      ye = cellEdges(cfg.depths);
    const [x0, x1] = [xe[0], xe[xe.length - 1]],
      [y0, y1] = [ye[0], ye[ye.length - 1]];
    return {
      xe,
      ye,
      sx: (v: number) => r.x + ((v - x0) / (x1 - x0)) * r.w,
      sy: (v: number) => r.y + r.h - ((v - y0) / (y1 - y0)) * r.h,
      invert: (px: number, py: number) => ({
        w: x0 + ((px - r.x) / r.w) * (x1 - x0),
        d: y0 + ((r.y + r.h - py) / r.h) * (y1 - y0),
      }),
    };
  }

  /** Accuracy `a` on the colour scale: chance (1/classes) dark, 1 bright. */
  private color(a: number, chance: number): string {
    return rgb(viridis((a - chance) / (1 - chance)));
  }

  private chance(): number {
    const cfg = this.config;
    const classes = cfg?.dataset.name === 'mnist' ? 10 : cfg?.dataset.name === 'random' ? cfg.dataset.classes : 2;
    return 1 / classes;
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const cfg = this.config;
    if (!canvas || !cfg) return;
    const r = this.rect;
    const ctx = fitCanvas(canvas, r.x + r.w + MARGIN.r, r.y + r.h + MARGIN.b);
    const { xe, ye, sx, sy } = this.scales(cfg, r);
    const acc = this.accuracy;
    const chance = this.chance();
    ctx.fillStyle = '#eaeef2';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    if (acc) {
      for (let i = 0; i < cfg.weight_variances.length; i++) {
        for (let j = 0; j < cfg.depths.length; j++) {
          ctx.fillStyle = this.color(acc[i * cfg.depths.length + j], chance);
          const x = sx(xe[i]),
            y = sy(ye[j + 1]);
          ctx.fillRect(x, y, sx(xe[i + 1]) - x + 0.5, sy(ye[j]) - y + 0.5);
        }
      }
    }
    this.drawCurves(ctx, r, sx, sy);
    this.drawAxes(ctx, r, cfg, sx, sy);
  }

  private drawCurves(ctx: CanvasRenderingContext2D, r: Rect, sx: (v: number) => number, sy: (v: number) => number) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    for (const [factor, width, dash] of [
      [6, 2.5, [7, 4]],
      [1, 1.5, [2, 3]],
    ] as const) {
      ctx.beginPath();
      let on = false;
      for (const p of this.curve) {
        // Beyond the plot's top, or infinite at the critical point: the line leaves through the top.
        const y = Number.isFinite(p.xiC) ? Math.max(r.y - 4, sy(factor * p.xiC)) : r.y - 4;
        if (on) ctx.lineTo(sx(p.weightVariance), y);
        else ctx.moveTo(sx(p.weightVariance), y);
        on = true;
      }
      ctx.setLineDash([]);
      ctx.lineWidth = width + 2;
      ctx.strokeStyle = INK;
      ctx.stroke();
      ctx.setLineDash([...dash]);
      ctx.lineWidth = width;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
    ctx.restore();
  }

  private drawAxes(
    ctx: CanvasRenderingContext2D,
    r: Rect,
    cfg: DepthConfig,
    sx: (v: number) => number,
    sy: (v: number) => number,
  ) {
    // At most 9 and 10 labelled values: every k-th of the grid's own.
    const some = (values: number[], max: number, text: (v: number) => string) =>
      values
        .filter((_, i) => i % Math.max(1, Math.ceil(values.length / max)) === 0)
        .map((v): [number, string] => [v, text(v)]);
    planeFrame(
      ctx,
      r,
      {
        ticks: some(cfg.weight_variances, 9, formatTick),
        at: sx,
        title: 'σ_w² (weight variance × fan-in)',
        titleAt: r.y + r.h + MARGIN.b - 2,
      },
      { ticks: some(cfg.depths, 10, String), at: sy, title: 'depth (hidden layers)', titleAt: 12 },
    );
  }

  private onMove(e: MouseEvent): void {
    const cfg = this.config;
    if (!cfg) return;
    const box = (e.target as HTMLCanvasElement).getBoundingClientRect();
    const r = this.rect;
    const { xe, ye, invert } = this.scales(cfg, r);
    const { w, d } = invert(e.clientX - box.left, e.clientY - box.top);
    const i = xe.findIndex((edge, k) => k + 1 < xe.length && w >= edge && w < xe[k + 1]);
    const j = ye.findIndex((edge, k) => k + 1 < ye.length && d >= edge && d < ye[k + 1]);
    if (i < 0 || j < 0) {
      this.hover = '';
      return;
    }
    const a = this.accuracy?.[i * cfg.depths.length + j];
    const scale = this.curve.reduce((best, p) =>
      Math.abs(p.weightVariance - cfg.weight_variances[i]) < Math.abs(best.weightVariance - cfg.weight_variances[i])
        ? p
        : best,
    );
    const xi = scale && Number.isFinite(scale.xiC) ? `6ξ_c ≈ ${(6 * scale.xiC).toFixed(0)}` : '6ξ_c = ∞';
    this.hover = `σ_w² = ${cfg.weight_variances[i]}, ${cfg.depths[j]} layers: ${
      a === undefined ? 'not trained yet' : `accuracy ${(a * 100).toFixed(1)}%`
    } (${xi})`;
  }

  override render(): TemplateResult {
    const chance = this.chance();
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => this.color(chance + t * (1 - chance), chance));
    return html`<canvas role="img" aria-label="Held-out accuracy over σ_w² and depth, with the theory's 6ξ_c"
        @mousemove=${this.onMove} @mouseleave=${() => {
          this.hover = '';
        }}></canvas>
      <div class="readout" role="status">${this.hover || (this.accuracy ? 'Point at a cell to read it.' : nothing)}</div>
      <div class="legend">
        <span>accuracy ${(chance * 100).toFixed(0)}% (chance)
          <span class="ramp" style="background: linear-gradient(to right, ${stops.join(', ')})"></span> 100%</span>
        <span><span class="line"></span> 6ξ_c, the theory's trainable depth</span>
        <span><span class="line thin"></span> ξ_c</span>
      </div>`;
  }
}

customElements.define('trainable-depth-map', TrainableDepthMap);

declare global {
  interface HTMLElementTagNameMap {
    'trainable-depth-map': TrainableDepthMap;
  }
}
