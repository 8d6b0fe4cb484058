/**
 * @file <depth-profile-chart>: activation std (forward) and gradient std (backward) against
 * layer, now (solid) and at initialization (dashed), log y, one colour per run. Two panels side
 * by side (stacked when narrow), each with its fitted per-layer factor and verdict beneath, so
 * vanishing or exploding signals are named, not only drawn.
 *
 *   <depth-profile-chart .runs=${runs}></depth-profile-chart>
 */
import { type CSSResultGroup, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { RunsChartElement } from './base';
import { depthProfileModel, PROFILE_INFO, type ProfileKey } from './depth-profile-data';
import { legend } from './legend';
import type { PlotModel } from './spec';
import { chartStyles } from './styles';
import type { RunTheory } from './types';
import { uplotStyles } from './uplot-chart';
import { PlotHost } from './uplot-host';

const KEYS: ProfileKey[] = ['act_std', 'grad_std'];
/** Below this body width the two panels stack. */
const SIDE_BY_SIDE = 720;
const GAP = 16;

export class DepthProfileChart extends RunsChartElement {
  static override styles: CSSResultGroup = [
    chartStyles,
    uplotStyles,
    css`
    .panels { display: flex; flex-wrap: wrap; gap: 8px ${GAP}px; }
    .panel { flex: 1 1 300px; min-width: 0; }
    .panel h4 { margin: 0 0 2px; font-size: 13px; font-weight: 600; }
  `,
  ];

  static override properties: PropertyDeclarations = { theory: { attribute: false } };
  /** The theory's prediction and status of each run, by run id. */
  declare theory: ReadonlyMap<string, RunTheory>;

  private models: PlotModel[] = [];
  private hosts = new Map<ProfileKey, PlotHost>();

  constructor() {
    super();
    this.height = 250;
    this.theory = new Map();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    this.models = KEYS.map((k) => depthProfileModel(this.runs, k, this.theory));
  }

  override render(): TemplateResult {
    const [act] = this.models;
    const empty = !act || act.empty;
    const step = Math.max(0, ...this.runs.map((r) => r.history.latest?.step ?? 0));
    const subtitle = empty
      ? 'Waiting for data…'
      : `Std per layer at step ${step} (solid) and at initialization (dashed${
          this.theory.size ? '; dotted: as the mean-field theory predicts it' : ''
        }). Flat is healthy; a straight fall on this log axis is a vanishing signal, a rise an exploding one.${
          this.models.some((m) => m.spec.scales.some((s) => s.zeroAt))
            ? ' A std of exactly 0 sits on the axis floor, marked 0.'
            : ''
        }`;
    const body = html`<div class="panels">
      ${KEYS.map(
        (k, i) => html`<div class="panel">
        <h4>${PROFILE_INFO[k].title}</h4>
        <div class="plot" data-key=${k}></div>
        <div class="caption">${this.models[i]?.subtitle ?? ''}</div>
      </div>`,
      )}
    </div>`;
    return this.frame('Signal through depth', subtitle, nothing, body, empty ? nothing : legend(act.legend));
  }

  protected draw(): void {
    const twoUp = this.bodyWidth >= SIDE_BY_SIDE;
    const w = twoUp ? Math.floor((this.bodyWidth - GAP) / 2) : this.bodyWidth;
    KEYS.forEach((k, i) => {
      const m = this.models[i];
      const target = this.renderRoot.querySelector<HTMLElement>(`.plot[data-key="${k}"]`);
      if (!m || !target) return;
      let host = this.hosts.get(k);
      if (m.empty) {
        host?.destroy();
        return;
      }
      if (!host) {
        host = new PlotHost(target);
        this.hosts.set(k, host);
      }
      host.update(m.spec, m.data, w, this.bodyWidth < 480 ? Math.min(this.height, 220) : this.height);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const h of this.hosts.values()) h.destroy();
    this.hosts.clear();
  }
}

customElements.define('depth-profile-chart', DepthProfileChart);

declare global {
  interface HTMLElementTagNameMap {
    'depth-profile-chart': DepthProfileChart;
  }
}
