/**
 * @file <layer-series-chart>: one per-layer statistic against step, a line per layer coloured
 * by depth. In compare mode it shows one run (the `primary`, pickable in the header) because
 * layers × runs lines are unreadable; <depth-profile-chart> is the comparison view.
 *
 *   <layer-series-chart series="grad_std" .runs=${runs} selectable></layer-series-chart>
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { LAYER_SERIES, type LayerSeries } from '../train/history';
import { toggle } from './base';
import { canLog, isLayerSeries, layerSeriesModel, SERIES_INFO } from './layer-series-data';
import type { PlotModel } from './spec';
import { UplotChartElement } from './uplot-chart';

export class LayerSeriesChart extends UplotChartElement {
  static override properties: PropertyDeclarations = {
    series: { type: String, reflect: true },
    log: { type: Boolean, reflect: true },
    selectable: { type: Boolean },
  };

  /** Which statistic: any of LAYER_SERIES (unknown names fall back to act_std). */
  declare series: LayerSeries;
  /** Log y axis, where the statistic allows it (not for means and fractions). Default on. */
  declare log: boolean;
  /** Show a statistic picker in the header (fires `series-change` when used). */
  declare selectable: boolean;

  constructor() {
    super();
    this.series = 'act_std';
    this.log = true;
    this.selectable = false;
  }

  private get current(): LayerSeries {
    return isLayerSeries(this.series) ? this.series : 'act_std';
  }

  protected chartTitle(): string {
    return `${SERIES_INFO[this.current].title} per layer`;
  }

  protected buildModel(): PlotModel {
    return layerSeriesModel(this.primaryRun, this.current, this.log, this.runs.length);
  }

  protected override controls(): TemplateResult {
    const s = this.current;
    return html`${
      this.selectable
        ? html`<label>statistic <select @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
          ${LAYER_SERIES.map((k) => html`<option value=${k} ?selected=${k === s}>${SERIES_INFO[k].title}</option>`)}
        </select></label>`
        : nothing
    }
      ${
        canLog(s)
          ? toggle('log y', this.log, (v) => {
              this.log = v;
            })
          : nothing
      }
      ${this.runPicker()}`;
  }

  private pick(v: string): void {
    if (!isLayerSeries(v)) return;
    this.series = v;
    this.dispatchEvent(new CustomEvent<LayerSeries>('series-change', { detail: v, bubbles: true, composed: true }));
  }
}

customElements.define('layer-series-chart', LayerSeriesChart);

declare global {
  interface HTMLElementTagNameMap {
    'layer-series-chart': LayerSeriesChart;
  }
}
