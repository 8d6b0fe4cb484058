/**
 * @file <compare-panel>: which kernel initializers are trained side by side (toggles for the
 * named ones, a text field for parameterized ones such as `random_normal:stddev=0.01`), the
 * target loss, and the results table: final loss and accuracy, test metrics, and the first step
 * that reached the target.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ConfigError } from '../core/errors';
import { INITIALIZER_NAMES, parseInitializer } from '../core/initializers';
import { LESSON_INITIALIZERS } from './defaults';
import { formatInitList, formatInitSpec, parseInitList } from './initializer-spec';
import { current, type InputMessage, inputMessage } from './input-message';
import type { PlaygroundStore } from './state/store';
import type { RunState } from './state/types';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';
import { formatLoss } from './train-bar';

export class ComparePanel extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .names { display: flex; flex-wrap: wrap; gap: 2px 12px; margin: 4px 0; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -2px; margin-right: 6px; }
    .spec { display: grid; grid-template-columns: 1fr auto; gap: 6px; align-items: end; }
    td.best { font-weight: 700; }
    details summary { cursor: pointer; font-size: 12px; color: #0969da; margin: 4px 0; }
    .target input { width: 7em; }
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
    const test = h.latestTest;
    return html`<tr>
      <td><span class="swatch" style="background:${r.color}" aria-hidden="true"></span>${r.label}</td>
      <td class="num ${last && last.loss === bestLoss ? 'best' : ''}">${formatLoss(last?.loss)}</td>
      <td class="num">${last ? last.accuracy.toFixed(3) : '–'}</td>
      ${this.store.data?.test ? html`<td class="num">${formatLoss(test?.loss)}</td><td class="num">${test ? test.accuracy.toFixed(3) : '–'}</td>` : nothing}
      <td class="num">${r.stepsToTarget === null ? 'not yet' : r.stepsToTarget.toLocaleString('en-US')}</td>
    </tr>`;
  }

  override render(): TemplateResult {
    const s = this.store;
    const chosen = new Set(s.state.compare.map(formatInitSpec));
    const losses = s.runs.map((r) => r.history.latest?.loss ?? Infinity).filter((l) => !Number.isNaN(l));
    const best = Math.min(...losses);
    const hasTest = !!s.data?.test;
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
      <table aria-label="Comparison results">
        <thead><tr><th>Kernel initializer</th><th class="num">Loss</th><th class="num">Accuracy</th>
          ${hasTest ? html`<th class="num">Test loss</th><th class="num">Test acc.</th>` : nothing}
          <th class="num">Steps to loss ≤ ${s.state.target}</th></tr></thead>
        <tbody>${s.runs.map((r) => this.row(r, best))}</tbody>
      </table>
    </section>`;
  }
}

customElements.define('compare-panel', ComparePanel);

declare global {
  interface HTMLElementTagNameMap {
    'compare-panel': ComparePanel;
  }
}
