/**
 * @file <unit-health-chart>: per layer, the share of units that stopped responding, or add
 * nothing, at the latest record: dead (relu-like, output exactly 0; solid bars), saturated
 * (sigmoid, tanh, softsign at a rail; hatched bars), or identical (copies of one unit, as zero
 * initialization leaves them; striped bars). One run: coloured by kind. Compared runs: grouped
 * bars in the runs' colours, the pattern still telling the kind.
 *
 *   <unit-health-chart .runs=${runs}></unit-health-chart>
 */
import { html, nothing, type TemplateResult } from 'lit';
import { RunsChartElement } from './base';
import { axesLines, FONT, hatch, type Rect, stripes, xLabel, yAxis } from './canvas';
import { legend } from './legend';
import { HEALTH_COLORS, INK, MUTED } from './palette';
import { formatPercent, niceTicks } from './scale';
import type { LegendItem } from './spec';
import { type HealthKind, type HealthModel, healthModel, healthSummary } from './unit-health-data';

export class UnitHealthChart extends RunsChartElement {
  private model: HealthModel | null = null;

  constructor() {
    super();
    this.height = 220;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    this.model = healthModel(this.runs);
  }

  override render(): TemplateResult {
    const m = this.model;
    const empty = !m || m.layers === 0;
    const compare = this.runs.length > 1;
    const items: LegendItem[] = compare
      ? this.runs.map((r) => ({ label: r.label, color: r.color, style: 'fill' }))
      : [];
    // Compared runs take the colours, so the kind is told by the hatching alone.
    const kindColor = (k: HealthKind) => (compare ? MUTED : HEALTH_COLORS[k]);
    if (m?.kinds.has('dead'))
      items.push({
        label: `${compare ? 'solid: ' : ''}dead, output exactly 0 (relu-like)`,
        color: kindColor('dead'),
        style: 'fill',
      });
    if (m?.kinds.has('saturated'))
      items.push({
        label: `${compare ? 'hatched: ' : ''}saturated, at a rail (sigmoid, tanh, softsign)`,
        color: kindColor('saturated'),
        style: 'hatch',
      });
    if (m?.kinds.has('identical'))
      items.push({
        label: `${compare ? 'striped: ' : ''}identical, copies of one unit (all weights into them equal)`,
        color: kindColor('identical'),
        style: 'stripes',
      });
    return this.frame(
      'Dead, saturated and identical units',
      empty ? 'Waiting for data…' : healthSummary(this.runs),
      nothing,
      html`<canvas role="img" aria-label="Share of dead, saturated or identical units per layer"></canvas>`,
      empty ? legend([]) : legend(items),
    );
  }

  protected draw(): void {
    const m = this.model;
    const W = this.bodyWidth,
      H = this.height;
    const ctx = m && this.fitBodyCanvas(W, H);
    if (!ctx || !m || m.layers === 0) return;
    const r: Rect = { x: 58, y: 14, w: W - 66, h: H - 14 - 40 };
    const ticks = niceTicks(0, m.yMax, 4);
    yAxis(ctx, r, 0, m.yMax, ticks, formatPercent, 'units failed (%)');
    const R = this.runs.length;
    const gw = r.w / m.layers;
    const bw = Math.max(2, Math.min(40, (gw * 0.75) / R));
    ctx.font = FONT;
    m.bars.forEach((group, l) => {
      const gx = r.x + l * gw + (gw - bw * R) / 2;
      group.forEach((b, i) => {
        if (!b) return;
        const x = gx + i * bw;
        const h = (Math.min(b.frac, m.yMax) / m.yMax) * r.h;
        const color = R > 1 ? this.runs[i].color : HEALTH_COLORS[b.kind];
        ctx.fillStyle = color;
        ctx.fillRect(x, r.y + r.h - h, bw - (R > 1 ? 1 : 0), h);
        if (b.kind === 'saturated') hatch(ctx, x, r.y + r.h - h, bw, h);
        if (b.kind === 'identical') stripes(ctx, x, r.y + r.h - h, bw, h);
        if (R === 1 && gw >= 30 && b.frac > 0) {
          ctx.fillStyle = INK;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(`${Math.round(b.frac * 100)}`, x + bw / 2, r.y + r.h - h - 1);
        }
      });
      // Layer number, and its activation where there is room.
      ctx.fillStyle = INK;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      const act = group.find((b) => b)?.activation ?? '';
      const every = Math.ceil(22 / gw);
      if (l % every === 0)
        ctx.fillText(gw >= 56 ? `${l + 1} ${act}` : `${l + 1}`, r.x + l * gw + gw / 2, r.y + r.h + 4);
    });
    axesLines(ctx, r);
    xLabel(ctx, r, H, 'layer (activation)');
  }
}

customElements.define('unit-health-chart', UnitHealthChart);

declare global {
  interface HTMLElementTagNameMap {
    'unit-health-chart': UnitHealthChart;
  }
}
