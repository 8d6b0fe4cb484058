/**
 * @file <atlas-som>: the Self-Organizing Map of the initial weights, as two grids side by side:
 * cells coloured by the fraction of their networks that converged (empty cells white), and the
 * U-matrix (dark ridges: neighbouring prototypes far apart, i.e. where the weight space folds).
 */
import {
  css,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { putPixels } from '../charts/canvas';
import { EMPTY_RGB, heightColor, css as rgb, viridis } from './colormap';
import { somImage } from './render';
import type { SomResult } from './som';
import { atlasStyles } from './styles';

const ramp = (f: (t: number) => readonly [number, number, number]) =>
  `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => `${rgb(f(i / 10))} ${i * 10}%`).join(', ')})`;

class AtlasSom extends LitElement {
  static override styles = [
    atlasStyles,
    css`
    .grids { display: flex; flex-wrap: wrap; gap: 16px; }
    .frame { border: 1px solid #8c959f; width: max-content; }
    .readout { min-height: 1.4em; font-size: 12px; margin-top: 4px; font-variant-numeric: tabular-nums; }
  `,
  ];

  static override properties: PropertyDeclarations = {
    som: { attribute: false },
    cell: { type: Number },
    hover: { state: true },
  };

  declare som: SomResult | null;
  /** CSS pixels per SOM cell. */
  declare cell: number;
  declare protected hover: number | null;

  constructor() {
    super();
    this.som = null;
    this.cell = 22;
    this.hover = null;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('som') || !this.som) return;
    for (const kind of ['success', 'umatrix'] as const) {
      const c = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas.${kind}`);
      const img = somImage(this.som, kind);
      if (c) putPixels(c, img.rgba, img.width, img.height);
    }
  }

  private onMove(ev: PointerEvent): void {
    const s = this.som;
    if (!s) return;
    const r = (ev.currentTarget as HTMLElement).getBoundingClientRect();
    const col = Math.min(s.cols - 1, Math.floor(((ev.clientX - r.left) / r.width) * s.cols));
    const row = Math.min(s.rows - 1, Math.floor(((ev.clientY - r.top) / r.height) * s.rows));
    this.hover = row * s.cols + col;
  }

  private grid(kind: 'success' | 'umatrix', label: string): TemplateResult {
    const s = this.som!;
    return html`<div><h3>${label}</h3><div class="frame" @pointermove=${this.onMove} @pointerleave=${() => {
      this.hover = null;
    }}>
      <canvas class="map ${kind}" width=${s.cols} height=${s.rows}
        style="width:${s.cols * this.cell}px;height:${s.rows * this.cell}px"
        role="img" aria-label="${label}, ${s.rows} by ${s.cols} cells"></canvas></div></div>`;
  }

  override render(): TemplateResult {
    const s = this.som;
    if (!s) return html`<section class="card"><p class="muted">No SOM in this run (add a "som" section).</p></section>`;
    const h = this.hover;
    const readout =
      h === null
        ? nothing
        : html`cell (${Math.floor(h / s.cols)}, ${h % s.cols}): ${s.count[h]} networks,
      ${s.count[h] ? `${(s.success[h] * 100).toFixed(1)}% converged` : 'empty'},
      U-height ${s.umatrix[h].toPrecision(3)}`;
    return html`<section class="card" aria-label="self-organizing map">
      <h2>Self-organizing map of the initial weights (${s.rows}×${s.cols}, ${s.dim} weights per network)</h2>
      <div class="grids">${this.grid('success', 'Fraction converged')}${this.grid('umatrix', 'U-matrix')}</div>
      <div class="readout">${readout}</div>
      <div class="legend">
        <span>converged: 0%</span><span class="ramp" style="background:${ramp(viridis)}"></span><span>100%</span>
        <span><span class="swatch" style="background:${rgb(EMPTY_RGB)}"></span> empty cell</span>
        <span>U-matrix: near</span><span class="ramp" style="background:${ramp(heightColor)}"></span><span>far</span>
      </div>
    </section>`;
  }
}

if (!customElements.get('atlas-som')) customElements.define('atlas-som', AtlasSom);

declare global {
  interface HTMLElementTagNameMap {
    'atlas-som': AtlasSom;
  }
}
