/**
 * @file <atlas-basin-map>: the basin map of two weights (Kolen & Pollack's picture): one cell
 * per network, coloured by the epoch it converged at (failures grey), with axes, a legend and a
 * read-out of the cell under the pointer. Dragging a rectangle asks for that region at full
 * resolution (an `AtlasZoomEvent`; the coordinator recomputes). Thin: pixels come from render.ts.
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
import { FAIL_RGB, css as rgb } from './colormap';
import { epochRampCss } from './histogram-svg';
import { basinImage } from './render';
import { atlasStyles } from './styles';
import type { BasinMap } from './summary';

/** A rectangle of the map to recompute: the two axes' new ranges. */
export class AtlasZoomEvent extends Event {
  static readonly type = 'atlas-zoom';
  constructor(
    readonly x: [number, number],
    readonly y: [number, number],
  ) {
    super(AtlasZoomEvent.type, { bubbles: true, composed: true });
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

class AtlasBasinMap extends LitElement {
  static override styles = [
    atlasStyles,
    css`
    .plot { display: grid; grid-template-columns: auto 1fr; gap: 2px 6px; align-items: stretch; width: max-content; }
    .frame { position: relative; cursor: crosshair; touch-action: none; border: 1px solid #8c959f; }
    .sel { position: absolute; border: 1.5px solid #fff; outline: 1.5px solid #1f2328; pointer-events: none; }
    .yaxis {
      display: flex; flex-direction: column; justify-content: space-between; align-items: flex-end; font-size: 11px;
    }
    .yname { writing-mode: vertical-rl; transform: rotate(180deg); color: #424a53; }
    .xaxis { display: flex; justify-content: space-between; font-size: 11px; }
    .xname { text-align: center; color: #424a53; font-size: 11px; }
    .readout { min-height: 1.4em; font-size: 12px; font-variant-numeric: tabular-nums; margin-top: 4px; }
  `,
  ];

  static override properties: PropertyDeclarations = {
    map: { attribute: false },
    epochs: { type: Number },
    size: { type: Number },
    hover: { state: true },
    drag: { state: true },
  };

  declare map: BasinMap | null;
  /** Epochs the networks trained for (the legend's end). */
  declare epochs: number;
  /** Side of the map in CSS pixels. */
  declare size: number;
  declare protected hover: { i: number; j: number } | null;
  declare protected drag: { x0: number; y0: number; x1: number; y1: number } | null;

  constructor() {
    super();
    this.map = null;
    this.epochs = 1;
    this.size = 384;
    this.hover = null;
    this.drag = null;
  }

  /** The map at `scale` pixels per cell, as a PNG. */
  toBlob(scale = Math.max(1, Math.floor(512 / (this.map?.resolution ?? 512)))): Promise<Blob | null> {
    if (!this.map) return Promise.resolve(null);
    const img = basinImage(this.map, this.epochs, scale);
    const c = putPixels(null, img.rgba, img.width, img.height);
    return new Promise((res) => c.toBlob(res, 'image/png'));
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('map') && !changed.has('epochs')) return;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.map');
    if (!canvas || !this.map) return;
    const img = basinImage(this.map, this.epochs);
    putPixels(canvas, img.rgba, img.width, img.height);
  }

  /** Fraction (0..1, left to right and bottom to top) of the pointer within the frame. */
  private at(ev: PointerEvent): [number, number] {
    const r = (ev.currentTarget as HTMLElement).getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
    const fy = Math.min(1, Math.max(0, 1 - (ev.clientY - r.top) / r.height));
    return [fx, fy];
  }

  private onDown(ev: PointerEvent): void {
    if (ev.button !== 0) return;
    (ev.currentTarget as HTMLElement).setPointerCapture(ev.pointerId);
    const [x, y] = this.at(ev);
    this.drag = { x0: x, y0: y, x1: x, y1: y };
  }

  private onMove(ev: PointerEvent): void {
    const [x, y] = this.at(ev);
    const res = this.map?.resolution ?? 1;
    this.hover = { i: Math.min(res - 1, Math.floor(x * res)), j: Math.min(res - 1, Math.floor(y * res)) };
    if (this.drag) this.drag = { ...this.drag, x1: x, y1: y };
  }

  private onUp(): void {
    const d = this.drag,
      m = this.map;
    this.drag = null;
    if (!d || !m) return;
    const res = m.resolution;
    // Less than two cells either way is a click, not a zoom.
    if (Math.abs(d.x1 - d.x0) * res < 2 || Math.abs(d.y1 - d.y0) * res < 2) return;
    const span = (r: [number, number], a: number, b: number): [number, number] => [
      r[0] + Math.min(a, b) * (r[1] - r[0]),
      r[0] + Math.max(a, b) * (r[1] - r[0]),
    ];
    this.dispatchEvent(new AtlasZoomEvent(span(m.x.range, d.x0, d.x1), span(m.y.range, d.y0, d.y1)));
  }

  private readout(): TemplateResult | typeof nothing {
    const m = this.map,
      h = this.hover;
    if (!m || !h) return nothing;
    const n = h.j * m.resolution + h.i,
      e = m.epoch[n];
    const verdict = e >= 0 ? html`converged at epoch <b>${e}</b>` : html`<b>failed</b>`;
    const at = `${m.x.name} = ${fmt(m.x.values[h.i])}, ${m.y.name} = ${fmt(m.y.values[h.j])}`;
    return html`${at}: ${verdict} (final loss ${m.finalLoss[n].toPrecision(3)})`;
  }

  override render(): TemplateResult {
    const m = this.map;
    if (!m) return html`<section class="card"><p class="muted">No basin map yet.</p></section>`;
    const d = this.drag,
      s = this.size;
    const pct = (v: number) => `${v * 100}%`;
    const sel = d
      ? html`<div class="sel" style=${
          `left:${pct(Math.min(d.x0, d.x1))};width:${pct(Math.abs(d.x1 - d.x0))};` +
          `bottom:${pct(Math.min(d.y0, d.y1))};height:${pct(Math.abs(d.y1 - d.y0))}`
        }></div>`
      : nothing;
    return html`<section class="card" aria-label="basin map">
      <h2>Epochs to converge over ${m.x.name} × ${m.y.name}</h2>
      <div class="plot">
        <div class="yaxis" style="height:${s}px"
          ><span>${fmt(m.y.range[1])}</span><span class="yname">${m.y.name}</span
          ><span>${fmt(m.y.range[0])}</span></div>
        <div class="frame" style="width:${s}px;height:${s}px"
          @pointerdown=${this.onDown} @pointermove=${this.onMove} @pointerup=${this.onUp}
          @pointercancel=${() => {
            this.drag = null;
          }} @pointerleave=${() => {
            this.hover = null;
          }}>
          <canvas class="map" width=${m.resolution} height=${m.resolution} style="width:100%;height:100%"
            role="img" aria-label="basin map, ${m.resolution} by ${m.resolution} networks"></canvas>
          ${sel}
        </div>
        <span></span>
        <div>
          <div class="xaxis"><span>${fmt(m.x.range[0])}</span><span>${fmt(m.x.range[1])}</span></div>
          <div class="xname">${m.x.name}</div>
        </div>
      </div>
      <div class="readout">${this.readout()}</div>
      <div class="legend">
        <span>epochs to converge: 0</span><span class="ramp" style="background:${epochRampCss(this.epochs)}"
          ></span><span>${this.epochs}</span>
        <span><span class="swatch" style="background:${rgb(FAIL_RGB)}"></span> never converged</span>
      </div>
      <p class="muted">Drag a rectangle to recompute that region at full resolution.</p>
    </section>`;
  }
}

if (!customElements.get('atlas-basin-map')) customElements.define('atlas-basin-map', AtlasBasinMap);

declare global {
  interface HTMLElementTagNameMap {
    'atlas-basin-map': AtlasBasinMap;
  }
  interface HTMLElementEventMap {
    'atlas-zoom': AtlasZoomEvent;
  }
}
