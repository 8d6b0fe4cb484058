/**
 * @file The legend every chart draws under its plot: HTML (it wraps on narrow windows and is
 * read by screen readers), one entry per run, per line style or per layer, or a depth ramp.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { LegendItem, Ramp } from './spec';

function swatch(color: string, style: string): TemplateResult {
  return html`<span class="swatch ${style}" style=${styleMap({ '--c': color })} aria-hidden="true"></span>`;
}

export function legend(items: readonly LegendItem[], ramp?: Ramp): TemplateResult | typeof nothing {
  if (items.length === 0 && !ramp) return nothing;
  return html`<div class="legend" role="list" aria-label="Legend">
    ${items.map((i) => html`<span class="item" role="listitem">${swatch(i.color, i.style)}${i.label}</span>`)}
    ${
      ramp
        ? html`<span class="ramp" role="listitem">${ramp.from}<span class="stops" aria-hidden="true"
            >${ramp.colors.map((c) => swatch(c, 'fill'))}</span>${ramp.to}</span>`
        : nothing
    }
  </div>`;
}
