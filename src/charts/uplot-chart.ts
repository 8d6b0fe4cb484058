/**
 * @file Base of the charts drawn by uPlot (loss, layer series): builds a PlotModel each update,
 * renders its subtitle and legend with Lit, and hands spec and columns to a PlotHost that
 * lives in a container Lit never touches. uPlot's stylesheet is adopted into the shadow root.
 */
import { type CSSResultGroup, html, nothing, type TemplateResult, unsafeCSS } from 'lit';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { RunsChartElement } from './base';
import { legend } from './legend';
import type { PlotModel } from './spec';
import { chartStyles } from './styles';
import { PlotHost } from './uplot-host';

export const uplotStyles = unsafeCSS(uplotCss);

export abstract class UplotChartElement extends RunsChartElement {
  static override styles: CSSResultGroup = [chartStyles, uplotStyles];

  protected model: PlotModel | null = null;
  private host: PlotHost | null = null;

  /** The plot's model for the current runs and options. */
  protected abstract buildModel(): PlotModel;
  protected abstract chartTitle(): string;
  protected controls(): TemplateResult | typeof nothing {
    return nothing;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    this.model = this.buildModel();
  }

  override render(): TemplateResult {
    const m = this.model;
    const waiting = m?.empty ? html`<div class="note">Waiting for data…</div>` : nothing;
    const body = html`<div class="plot"></div>${waiting}`;
    return this.frame(
      this.chartTitle(),
      m?.subtitle ?? '',
      this.controls(),
      body,
      m && !m.empty ? legend(m.legend, m.ramp) : nothing,
    );
  }

  protected draw(): void {
    const m = this.model;
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!m || !target) return;
    if (m.empty) {
      this.host?.destroy();
      return;
    }
    this.host ??= new PlotHost(target);
    this.host.update(m.spec, m.data, this.bodyWidth, this.plotHeight());
  }

  /** A little shorter on phones, so two charts fit a screen. */
  protected plotHeight(): number {
    return this.bodyWidth < 480 ? Math.min(this.height, 230) : this.height;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.host?.destroy();
    this.host = null;
  }
}
