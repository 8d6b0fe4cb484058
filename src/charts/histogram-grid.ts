/**
 * @file <histogram-grid>: small multiples, one panel per layer, of the latest histogram of
 * activations, kernel weights or gradients (depth-coloured) over the initial one (grey, faint).
 * One canvas for the whole grid: cheap to redraw every frame and to export.
 *
 *   <histogram-grid .runs=${runs} kind="grad" shared-x></histogram-grid>
 */
import { html, type PropertyDeclarations, type TemplateResult } from 'lit';
import { RunsChartElement, toggle } from './base';
import { FONT, LABEL_FONT } from './canvas';
import {
  type Density,
  HIST_INFO,
  HIST_KINDS,
  type HistKind,
  type HistPanel,
  histPanels,
  isHistKind,
} from './histogram-data';
import { legend } from './legend';
import { GRID, INK, layerColor, MUTED, withAlpha } from './palette';
import { formatValue } from './scale';

const PANEL_MIN_W = 150;
const PANEL_H = 96;

export class HistogramGrid extends RunsChartElement {
  static override properties: PropertyDeclarations = {
    kind: { type: String, reflect: true },
    sharedX: { type: Boolean, attribute: 'shared-x', reflect: true },
  };

  /** Which tensor: 'act' (activations), 'kernel' (weights) or 'grad' (gradients). */
  declare kind: HistKind;
  /** One x range for every panel (shows spreads shrinking with depth) instead of each its own. */
  declare sharedX: boolean;
  private panels: HistPanel[] = [];

  constructor() {
    super();
    this.kind = 'act';
    this.sharedX = false;
  }

  private get current(): HistKind {
    return isHistKind(this.kind) ? this.kind : 'act';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    this.panels = histPanels(this.primaryRun, this.current, this.sharedX);
  }

  override render(): TemplateResult {
    const run = this.primaryRun;
    const k = this.current;
    const h = run?.history;
    const who = run
      ? `${run.label}${this.runs.length > 1 ? ` (showing 1 of ${this.runs.length} runs)` : ''}`
      : 'No run';
    const range = this.sharedX ? 'one range for all layers' : 'each layer its own range';
    const sub =
      this.panels.length === 0
        ? 'Waiting for data…'
        : `${who} · step ${h?.latest?.step ?? 0} · x: ${HIST_INFO[k].axis} (${range}) · y: density`;
    const controls = html`<label>show <select @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      if (isHistKind(v)) this.kind = v;
    }}>
        ${HIST_KINDS.map((x) => html`<option value=${x} ?selected=${x === k}>${HIST_INFO[x].label}</option>`)}
      </select></label>
      ${toggle('shared x range', this.sharedX, (v) => {
        this.sharedX = v;
      })}
      ${this.runPicker()}`;
    const n = this.panels.length;
    const items =
      this.panels.length === 0
        ? []
        : [
            { label: 'now, coloured by depth', color: layerColor(Math.floor(n / 2), n), style: 'fill' as const },
            { label: 'at initialization', color: MUTED, style: 'faint' as const },
          ];
    return this.frame(
      `Histograms of ${HIST_INFO[k].label} per layer`,
      sub,
      controls,
      html`<canvas role="img" aria-label=${`Histograms of ${HIST_INFO[k].label}, one per layer`}></canvas>`,
      legend(items),
    );
  }

  protected draw(): void {
    const n = this.panels.length;
    const cols = Math.max(1, Math.min(n, Math.floor(this.bodyWidth / PANEL_MIN_W)));
    const rows = Math.ceil(n / cols);
    const ctx = this.fitBodyCanvas(this.bodyWidth, Math.max(1, rows * PANEL_H));
    if (!ctx) return;
    const pw = this.bodyWidth / cols;
    this.panels.forEach((p, i) => {
      drawPanel(ctx, p, (i % cols) * pw, Math.floor(i / cols) * PANEL_H, pw - 8, PANEL_H - 6, layerColor(p.layer, n));
    });
  }
}

function drawPanel(
  ctx: CanvasRenderingContext2D,
  p: HistPanel,
  x: number,
  y: number,
  w: number,
  h: number,
  color: string,
): void {
  const top = y + 16,
    bottom = y + h - 14;
  const px = (v: number) => x + ((v - p.xMin) / (p.xMax - p.xMin)) * w;
  const py = (d: number) => bottom - Math.min(1, d / p.yMax) * (bottom - top);
  ctx.save();
  ctx.font = LABEL_FONT.replace('12px', '11px');
  ctx.fillStyle = INK;
  ctx.textBaseline = 'top';
  ctx.fillText(p.title, x, y + 1, w);
  if (p.xMin < 0 && p.xMax > 0) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(Math.round(px(0)) + 0.5, top);
    ctx.lineTo(Math.round(px(0)) + 0.5, bottom);
    ctx.stroke();
  }
  bars(ctx, p.init, px, py, bottom, withAlpha(MUTED, 0.35));
  bars(ctx, p.now, px, py, bottom, color);
  ctx.strokeStyle = '#8c959f';
  ctx.beginPath();
  ctx.moveTo(x, bottom + 0.5);
  ctx.lineTo(x + w, bottom + 0.5);
  ctx.stroke();
  ctx.font = FONT;
  ctx.fillStyle = INK;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(formatValue(p.xMin), x, bottom + 2);
  ctx.textAlign = 'right';
  ctx.fillText(formatValue(p.xMax), x + w, bottom + 2);
  if (p.xMin < 0 && p.xMax > 0 && px(0) - x > 36 && x + w - px(0) > 36) {
    ctx.textAlign = 'center';
    ctx.fillText('0', px(0), bottom + 2);
  }
  ctx.restore();
}

function bars(
  ctx: CanvasRenderingContext2D,
  d: Density | null,
  px: (v: number) => number,
  py: (d: number) => number,
  bottom: number,
  fill: string,
): void {
  if (!d) return;
  ctx.fillStyle = fill;
  for (let i = 0; i < d.d.length; i++) {
    if (d.d[i] <= 0) continue;
    const x0 = px(d.x0[i]),
      x1 = px(d.x1[i]);
    const y = py(d.d[i]);
    // At least a pixel wide, so a narrow spread (a vanishing layer on a shared range) stays visible.
    ctx.fillRect(x0, y, Math.max(1, x1 - x0), bottom - y);
  }
}

customElements.define('histogram-grid', HistogramGrid);

declare global {
  interface HTMLElementTagNameMap {
    'histogram-grid': HistogramGrid;
  }
}
