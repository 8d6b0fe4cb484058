/**
 * @file <model-summary>: the network as Keras' `model.summary()` prints it (layer, output shape,
 * params, totals), plus the memory training it needs, so the cost of depth and width is in view
 * while editing. The rows come from summary-rows.ts (pure, unit-tested).
 */
import { css, html, LitElement, type PropertyDeclarations, type TemplateResult } from 'lit';
import { estimateBytes, layerShapes, paramCount } from '../train/model';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';
import { formatBytes, summaryRows } from './summary-rows';

class ModelSummary extends LitElement {
  static override styles = [
    uiStyles,
    css`
    :host { display: block; }
    section.card { padding: 8px 10px; }
    .scroll { max-height: var(--summary-max-height, 14em); overflow: auto; }
    table { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11.5px; }
    th { position: sticky; top: 0; background: #fff; }
    .totals { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11.5px; margin-top: 4px; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false } };
  declare store: PlaygroundStore;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.stateVersion],
    );
  }

  override render(): TemplateResult {
    const cfg = this.store.state.config;
    const rows = summaryRows(cfg);
    const shapes = layerShapes(cfg);
    const total = paramCount(shapes);
    const n = Math.round(cfg.dataset.samples * (1 - cfg.dataset.test_fraction));
    const inDim = shapes[0].fanIn,
      outDim = shapes[shapes.length - 1].units;
    const train = estimateBytes(shapes, Math.min(cfg.batch_size, n), n, inDim, outDim);
    return html`<section class="card" aria-labelledby="sum-h">
      <h2 id="sum-h">Model: "sequential"</h2>
      <div class="scroll" tabindex="0" role="region" aria-label="Layers of the model">
        <table>
          <thead><tr><th>Layer (type)</th><th>Output Shape</th><th class="num">Param #</th></tr></thead>
          <tbody>
            <tr><td>input (InputLayer)</td><td>(None, ${inDim})</td><td class="num">0</td></tr>
            ${rows.map((r) => html`<tr><td>${r.name} (${r.type})</td><td>${r.shape}</td><td class="num">${r.params.toLocaleString('en-US')}</td></tr>`)}
          </tbody>
        </table>
      </div>
      <div class="totals">
        Total params: ${total.toLocaleString('en-US')} (${formatBytes(total * 4)})<br />
        Trainable params: ${total.toLocaleString('en-US')} (${formatBytes(total * 4)})<br />
        Non-trainable params: 0 (0.00 B)<br />
        <span class="muted">Training memory ≈ ${formatBytes(train)} (weights ×5, activations, data)</span>
      </div>
    </section>`;
  }
}

customElements.define('model-summary', ModelSummary);

declare global {
  interface HTMLElementTagNameMap {
    'model-summary': ModelSummary;
  }
}
