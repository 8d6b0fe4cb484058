/**
 * @file <chart-board>: the charts, laid out so the story reads top to bottom: loss and the model's
 * output (decision boundary or test digits), the depth profile (vanishing or exploding signal),
 * one statistic per layer over time, dead and saturated units, and the histograms. The charts
 * poll their runs' histories each frame themselves; this view only hands them the runs and the
 * predictions, and offers a PNG of each.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import '../charts/decision-boundary';
import '../charts/depth-profile-chart';
import '../charts/digit-grid';
import { chartToPng } from '../charts/export';
import '../charts/histogram-grid';
import '../charts/layer-series-chart';
import '../charts/loss-chart';
import '../charts/unit-health-chart';
import { download } from '../charts/download';
import type { LayerSeries } from '../train/history';
import { exportName } from './files';
import { runTheories } from './run-theory';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

class ChartBoard extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 400px), 1fr)); gap: 12px; }
    .cell { min-width: 0; display: flex; flex-direction: column; }
    .cell > :first-child { flex: 1 1 auto; }
    .cell.full { grid-column: 1 / -1; }
    .tools { display: flex; justify-content: flex-end; gap: 6px; align-items: center; margin-top: 3px; }
    .tools select { width: auto; font-size: 12px; padding: 1px 4px; }
    .empty { padding: 16px; color: #57606a; font-size: 12.5px; background: #fff; border: 1px dashed #d0d7de; border-radius: 8px; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false }, series: { state: true } };
  declare store: PlaygroundStore;
  declare series: LayerSeries;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.runs, s.boundary, s.digits, s.data, s.primary, s.phase],
    );
    this.series = 'act_std';
  }

  private async png(id: string, name: string): Promise<void> {
    const el = this.renderRoot.querySelector<HTMLElement>(`#${id}`);
    if (!el) return;
    const s = this.store;
    download(exportName(`${s.state.lesson ?? 'experiment'}-${name}`, s.state.config.seed, 'png'), await chartToPng(el));
  }

  private cell(
    id: string,
    title: string,
    chart: TemplateResult,
    full = false,
    extra: TemplateResult | typeof nothing = nothing,
  ): TemplateResult {
    return html`<div class="cell ${full ? 'full' : ''}">
      ${chart}
      <div class="tools">${extra}<button class="small" aria-label="Save the ${title} chart as PNG" @click=${() => this.png(id, id)}>PNG</button></div>
    </div>`;
  }

  private outputView(): TemplateResult {
    const s = this.store;
    const run = s.lead;
    const at = s.boundary?.step ?? s.digits?.step ?? 0;
    const caption = run ? `${s.runs.length > 1 ? `${run.label} · ` : ''}step ${at}` : '';
    const picker =
      s.runs.length > 1
        ? html`<label class="inline">run <select aria-label="Run shown"
        @change=${(e: Event) => s.setPrimary(Number((e.target as HTMLSelectElement).value))}>
        ${s.runs.map((r, i) => html`<option value=${i} .selected=${i === s.primary}>${r.label}</option>`)}</select></label>`
        : nothing;
    const d = s.data;
    const ev = run?.history.evaluation;
    if (s.boundary && d) {
      return this.cell(
        'boundary',
        'decision boundary',
        html`<decision-boundary id="boundary" .grid=${s.boundary.grid} .classes=${s.boundary.classes} .gridSize=${s.boundary.gridSize}
        .trainAccuracy=${ev?.step === s.boundary.step ? ev.train.accuracy : null}
        .testAccuracy=${ev?.step === s.boundary.step ? (ev.test?.accuracy ?? null) : null}
        .extent=${s.boundary.extent} .points=${d.train.x} .labels=${d.train.labels}
        .testPoints=${d.test?.x ?? null} .testLabels=${d.test?.labels ?? null} caption=${caption}></decision-boundary>`,
        false,
        picker,
      );
    }
    if (s.digits) {
      return this.cell(
        'digits',
        'test digits',
        html`<digit-grid id="digits" .images=${s.digits.images} .labels=${s.digits.labels}
        .predicted=${s.digits.predicted} max="40" caption=${caption}></digit-grid>`,
        false,
        picker,
      );
    }
    return html`<div class="cell"><div class="empty">${this.noOutputReason()}</div></div>`;
  }

  /** Why the output cell is empty: said for what is actually the case, never guessed from the data alone. */
  private noOutputReason(): string {
    const s = this.store,
      d = s.data;
    if (s.phase === 'error' || s.phase === 'lost')
      return 'The network is not built (see the message above), so there is no model output to draw.';
    if (s.phase === 'cancelled')
      return 'The network is not built (building was cancelled): Play builds it, and so does any change to it.';
    if (s.phase === 'building' || s.phase === 'starting')
      return 'Building the network: its decision boundary (or predicted digits) appears when it is ready.';
    if (!d) return 'Waiting for data…';
    if (d.train.inputDim === 2 || d.train.inputDim === 784) return 'Predicting…';
    return `The inputs have ${d.train.inputDim} features: there is no plane to draw a decision boundary on.`;
  }

  override render(): TemplateResult {
    const runs = this.store.runs;
    return html`<div class="grid">
      ${this.cell('loss', 'loss', html`<loss-chart id="loss" .runs=${runs}></loss-chart>`)}
      ${this.outputView()}
      ${this.cell(
        'depth',
        'depth profile',
        html`<depth-profile-chart id="depth" .runs=${runs}
          .theory=${runTheories(runs, this.store.data?.train ?? null)}></depth-profile-chart>`,
        true,
      )}
      ${this.cell(
        'series',
        'per-layer statistic',
        html`<layer-series-chart id="series" .runs=${runs} series=${this.series} selectable
        @series-change=${(e: CustomEvent<LayerSeries>) => {
          this.series = e.detail;
        }}></layer-series-chart>`,
      )}
      ${this.cell('health', 'unit health', html`<unit-health-chart id="health" .runs=${runs}></unit-health-chart>`)}
      ${this.cell('hist', 'histograms', html`<histogram-grid id="hist" .runs=${runs}></histogram-grid>`, true)}
    </div>`;
  }
}

customElements.define('chart-board', ChartBoard);

declare global {
  interface HTMLElementTagNameMap {
    'chart-board': ChartBoard;
  }
}
