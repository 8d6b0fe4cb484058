/**
 * @file <phase-diagram-view>: the "Phase diagram" page. For the chosen activation (by default
 * the network's), the order-to-chaos phase diagram of the mean-field theory, computed a row at a
 * time so it appears as it comes; the network's Keras initializers on it, with χ₁, the phase and
 * the trainable depth 6ξ_c of each; clicking one makes it every layer's kernel initializer.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import '../charts/phase-diagram-chart';
import type { PhasePickEvent, PhasePoint } from '../charts/phase-diagram-chart';
import { parseConfig } from '../core/config';
import { initializerToKeras } from '../core/initializers';
import { ELEMENTWISE, theoryActivation } from '../core/theory/activation';
import { TRAINABLE_XI } from '../core/theory/mean-field';
import { chiRow, criticalLine, type PhasePlane } from '../core/theory/phase-grid';
import type { Activation, ActivationName, RunConfig } from '../core/types';
import { applyToAll, type Doc } from './config-edits';
import { type NetworkPoints, networkPoints } from './phase-points';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

const PLANE: PhasePlane = { weight: [0, 4], bias: [0, 0.5], columns: 96, rows: 48 };
/** Quadrature points for the page (the CLI's 64 would take four times as long, for nothing visible). */
const POINTS = 32;
const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leaky_relu: 0.2, elu: 1 };

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '∞');

class PhaseDiagramView extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: 10px; max-width: 1100px; }
      .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; }
      .card h2 { margin: 0 0 4px; font-size: 16px; }
      .card p { margin: 4px 0; font-size: 13px; color: #3d444d; }
      table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
      th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #eaeef2; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      .row { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
      .table-wrap { overflow-x: auto; }
    `,
  ];
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    activation: { state: true },
    chi: { state: true },
    critical: { state: true },
    message: { state: true },
  };
  declare store: PlaygroundStore;
  /** The activation drawn; null: the network's own. */
  declare activation: Activation | null;
  declare chi: Float64Array | null;
  declare critical: { biasVariance: number; weightVariance: number | null }[];
  declare message: string;
  /** Bumped for every new computation; a stale one stops at its next row. */
  private generation = 0;
  private computedFor = '';

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.state.config],
    );
    this.activation = null;
    this.chi = null;
    this.critical = [];
    this.message = '';
  }

  private get config(): RunConfig {
    return this.store.state.config;
  }

  private get network(): NetworkPoints | null {
    try {
      return networkPoints(this.config, this.shownActivation(), POINTS);
    } catch {
      return null;
    }
  }

  /** The activation shown: the chosen one, else the network's (tanh where that has no theory). */
  private shownActivation(): Activation {
    if (this.activation) return this.activation;
    const own = this.config.layers[Math.max(0, Math.min(1, this.config.layers.length - 2))].activation;
    return ELEMENTWISE.includes(own.name) ? own : { name: 'tanh', alpha: 0 };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    this.computedFor = '';
  }

  protected override updated(): void {
    this.dataset.state = this.critical.length ? 'ready' : 'computing';
    const act = this.shownActivation();
    const key = JSON.stringify(act);
    if (key !== this.computedFor) {
      this.computedFor = key;
      void this.compute(act);
    }
  }

  /** Fills the plane row by row, yielding to the page between rows; a newer call stops this one. */
  private async compute(act: Activation): Promise<void> {
    const generation = ++this.generation;
    const theoryAct = theoryActivation(act);
    const chi = new Float64Array(PLANE.columns * PLANE.rows).fill(Number.NaN);
    this.chi = chi;
    this.critical = [];
    for (let row = 0; row < PLANE.rows; row++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (generation !== this.generation) return;
      chi.set(chiRow(theoryAct, PLANE, row, POINTS), row * PLANE.columns);
      this.chi = new Float64Array(chi);
    }
    this.critical = criticalLine(theoryAct, PLANE, 41, POINTS);
  }

  private pick(e: PhasePickEvent): void {
    const point = this.network?.points.find((p) => p.id === e.id);
    if (!point || point.current) return;
    const doc = applyToAll(this.store.configDoc() as Doc, 'kernel_initializer', initializerToKeras(point.init));
    // One run with the picked initializer: a comparison would override it in every run.
    void this.store.setState({ config: parseConfig(doc), mode: 'single' });
    this.message = `${point.label} is now every layer's kernel initializer; the playground rebuilds the network with it.`;
  }

  private chooseActivation(name: string): void {
    this.activation =
      name === '' ? null : { name: name as ActivationName, alpha: DEFAULT_ALPHA[name as ActivationName] ?? 0 };
  }

  private table(net: NetworkPoints): TemplateResult {
    return html`<div class="table-wrap"><table aria-label="The network's initializers in theory">
      <thead><tr><th>Initializer</th><th class="num">σ_w²</th><th class="num">σ_b²</th><th class="num">χ₁</th>
        <th>phase</th><th class="num">ξ_c (layers)</th><th class="num">trainable depth 6ξ_c</th></tr></thead>
      <tbody>${net.points.map(
        (
          p,
        ) => html`<tr><td>${p.label}${p.current ? ' (the network’s)' : ''}</td><td class="num">${fmt(p.weightVariance, 3)}</td>
          <td class="num">${fmt(p.biasVariance, 3)}</td><td class="num">${fmt(p.theory.chi1, 3)}</td><td>${p.theory.phase}</td>
          <td class="num">${fmt(p.theory.xiC, 1)}</td><td class="num">${fmt(TRAINABLE_XI * p.theory.xiC, 0)}</td></tr>`,
      )}</tbody></table></div>`;
  }

  override render(): TemplateResult {
    const net = this.network;
    const act = this.shownActivation();
    const points: PhasePoint[] = (net?.points ?? []).map((p) => ({
      id: p.id,
      label: p.label,
      weightVariance: p.weightVariance,
      biasVariance: p.biasVariance,
      current: p.current,
    }));
    const where = net ? `hidden layer ${net.layer + 1} (${net.fanIn} → ${net.units} units)` : 'the network';
    return html`<section class="card" aria-label="phase diagram">
        <h2>Order and chaos: where an initializer puts a deep network</h2>
        <p>A wide random layer with weights of variance σ_w²/fan_in and biases of variance σ_b² multiplies a small
          difference between two inputs by χ₁ on average. Below χ₁ = 1 (blue, ordered) differences and gradients fade
          with depth; above (orange, chaotic) they grow and nearby inputs decorrelate; on the critical line signals
          travel through any depth. The depth scale ξ_c says over how many layers correlations settle, and networks
          deeper than about 6ξ_c do not train (Poole et al. 2016; Schoenholz et al. 2017).</p>
        <div class="row">
          <label>Activation <select aria-label="Activation" @change=${(e: Event) => this.chooseActivation((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this.activation === null}>the network's (${act.name})</option>
            ${ELEMENTWISE.map((name) => html`<option value=${name} ?selected=${this.activation?.name === name}>${name}</option>`)}
          </select></label>
          <span class="muted">Points: the initializers for ${where}. Click one to use it in every layer.</span>
        </div>
        ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
      </section>
      <phase-diagram-chart .plane=${PLANE} .chi=${this.chi} .critical=${this.critical} .points=${points}
        caption=${`${act.name}: ln χ₁ over the plane; hover to read χ₁.`}
        @phase-pick=${(e: PhasePickEvent) => this.pick(e)}></phase-diagram-chart>
      ${net ? html`<section class="card" aria-label="initializers in theory">${this.table(net)}${net.note ? html`<p>${net.note}</p>` : nothing}</section>` : nothing}`;
  }
}

customElements.define('phase-diagram-view', PhaseDiagramView);

declare global {
  interface HTMLElementTagNameMap {
    'phase-diagram-view': PhaseDiagramView;
  }
}
