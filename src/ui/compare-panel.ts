/**
 * @file <compare-panel>: which kernel initializers are trained side by side (toggles for the
 * named ones, a text field for parameterized ones such as `random_normal:stddev=0.01`), the
 * target loss, and the results table: final loss and accuracy, test metrics, and the first step
 * that reached the target.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ConfigError } from '../core/errors';
import { INITIALIZER_NAMES, parseInitializer } from '../core/initializers';
import type { SetMetrics } from '../train/history';
import { LESSON_INITIALIZERS } from './defaults';
import { formatInitList, formatInitSpec, parseInitList } from './initializer-spec';
import { current, type InputMessage, inputMessage } from './input-message';
import type { PlaygroundStore } from './state/store';
import type { RunState } from './state/types';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';
import { formatAccuracy, formatLoss } from './train-bar';

class ComparePanel extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .names { display: flex; flex-wrap: wrap; gap: 2px 12px; margin: 4px 0; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -2px; margin-right: 6px; }
    .spec { display: grid; grid-template-columns: 1fr auto; gap: 6px; align-items: end; }
    td.best { font-weight: 700; }
    details summary { cursor: pointer; font-size: 12px; color: #0969da; margin: 4px 0; }
    .target input { width: 7em; }
    .scroll { overflow-x: auto; }
    th.group { text-align: center; border-bottom: 1px solid #d0d7de; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false }, specError: { state: true } };
  declare store: PlaygroundStore;
  declare specError: InputMessage | null;

  constructor() {
    super();
    new StoreController(this, () => this.store);
    this.specError = null;
  }

  private toggle(name: string, on: boolean): void {
    const list = this.store.state.compare.filter((i) => formatInitSpec(i) !== name);
    const next = on ? [...list, parseInitializer(name, '')] : list;
    if (next.length) void this.store.setState({ compare: next });
  }

  private setSpec(text: string): void {
    try {
      const list = parseInitList(text, 'compare');
      this.specError = null;
      void this.store.setState({ compare: list });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.specError = inputMessage(e.message, this.store);
    }
  }

  private row(r: RunState, bestLoss: number): TemplateResult {
    const h = r.history;
    const last = h.latest;
    const ev = h.evaluation;
    const pair = (m: SetMetrics | null | undefined) =>
      html`<td class="num">${formatLoss(m?.loss)}</td><td class="num">${formatAccuracy(m?.accuracy)}</td>`;
    return html`<tr>
      <td><span class="swatch" style="background:${r.color}" aria-hidden="true"></span>${r.label}</td>
      <td class="num ${last && last.loss === bestLoss ? 'best' : ''}">${formatLoss(last?.loss)}</td>
      <td class="num">${formatAccuracy(last?.accuracy)}</td>
      ${pair(ev?.train)}
      ${this.store.data?.test ? pair(ev?.test) : nothing}
      <td class="num">${r.stepsToTarget === null ? 'not yet' : r.stepsToTarget.toLocaleString('en-US')}</td>
    </tr>`;
  }

  override render(): TemplateResult {
    const s = this.store;
    const chosen = new Set(s.state.compare.map(formatInitSpec));
    const losses = s.runs.map((r) => r.history.latest?.loss ?? Infinity).filter((l) => !Number.isNaN(l));
    const best = Math.min(...losses);
    const hasTest = !!s.data?.test;
    const steps = new Set(s.runs.map((r) => r.history.evaluation?.step));
    const evStep = steps.size === 1 ? [...steps][0] : undefined;
    const at = evStep !== undefined ? ` (step ${evStep.toLocaleString('en-US')})` : '';
    return html`<section class="card" aria-labelledby="cmp-h">
      <h2 id="cmp-h">Compare initializers</h2>
      <p class="muted">The same network, data and seed; only every layer's kernel initializer differs. Changing the list rebuilds the runs.</p>
      <details>
        <summary>Choose by name</summary>
        <div class="names" role="group" aria-label="Initializers to compare">
          ${INITIALIZER_NAMES.map(
            (n) => html`<label class="inline"><input type="checkbox" .checked=${chosen.has(n)}
            @change=${(e: Event) => this.toggle(n, (e.target as HTMLInputElement).checked)} />${n}</label>`,
          )}
        </div>
      </details>
      <div class="spec">
        <label class="field">Compared list (name:param=value, comma-separated)
          <input type="text" .value=${formatInitList(s.state.compare)} aria-invalid=${current(this.specError, s) ? 'true' : 'false'}
            @change=${(e: Event) => this.setSpec((e.target as HTMLInputElement).value)} /></label>
        <button @click=${() => void s.setState({ compare: LESSON_INITIALIZERS.map((n) => parseInitializer(n, '')) })}>The Keras lesson's seven</button>
      </div>
      ${current(this.specError, s) ? html`<p class="error" role="alert">${current(this.specError, s)}</p>` : nothing}
      <div class="row target" style="margin:6px 0">
        <label class="inline">Target loss <input type="number" min="0" step="any" .value=${String(s.state.target)}
          @change=${(e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (v > 0) void s.setState({ target: v });
          }} /></label>
      </div>
      <div class="scroll"><table aria-label="Comparison results">
        <thead>
          <tr><th rowspan="2">Kernel initializer</th>
            <th class="group" colspan="2" title="Mean over the batches since the previous record, each before its update">Recent batches</th>
            <th class="group" colspan="2" title="Every sample of the training set, with the weights at the step shown">Training set${at}</th>
            ${hasTest ? html`<th class="group" colspan="2">Test set${at}</th>` : nothing}
            <th class="num" rowspan="2">Steps to batch loss ≤ ${s.state.target}</th></tr>
          <tr><th class="num">loss</th><th class="num">acc.</th><th class="num">loss</th><th class="num">acc.</th>
            ${hasTest ? html`<th class="num">loss</th><th class="num">acc.</th>` : nothing}</tr>
        </thead>
        <tbody>${s.runs.map((r) => this.row(r, best))}</tbody>
      </table></div>
    </section>`;
  }
}

customElements.define('compare-panel', ComparePanel);

declare global {
  interface HTMLElementTagNameMap {
    'compare-panel': ComparePanel;
  }
}
