/**
 * @file <network-editor>: depth, width, one row per layer (units, activation, kernel and bias
 * initializers with their Keras parameters), "apply to all layers", and building the network
 * from a pasted Keras model. Every edit is a pure function of the config document
 * (config-edits.ts) handed to the store, which parses it: a refused value shows the
 * ConfigError's message naming the field, and the last valid network stays.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ACTIVATIONS, MAX_UNITS } from '../core/config';
import { ConfigError } from '../core/errors';
import { initializerToKeras, parseInitializer } from '../core/initializers';
import type { Activation, Initializer, LayerConfig } from '../core/types';
import {
  applyToAll,
  type Doc,
  insertLayer,
  type LayerField,
  removeLayer,
  setDepth,
  setLayerField,
  setWidth,
} from './config-edits';
import type { InitializerChangeEvent } from './events';
import { firstFile, readText } from './files';
import { current, type InputMessage, inputMessage } from './input-message';
import type { PlaygroundStore } from './state/store';
import './initializer-field';
import { configWithModel, importKerasModel } from './keras-model';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

/** Above this many layers only the first and last few rows are shown until expanded. */
const COLLAPSE_OVER = 10;
/** Bound of the depth input (the width's is the config's); the engine refuses what the device cannot hold. */
const MAX_HIDDEN = 200;

class NetworkEditor extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .layer { border-top: 1px solid #eaeef2; padding: 6px 0; display: grid; gap: 4px; }
    .layer .head { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .layer .name { font-weight: 600; min-width: 5.5em; font-size: 12px; }
    .layer .head input { width: 5.5em; }
    .layer .head select { width: auto; }
    .layer .inits { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 8px; }
    .layer .inits > div { min-width: 0; }
    .tag { font-size: 11px; color: #57606a; }
    .all { background: #f6f8fa; border-radius: 6px; padding: 6px 8px; margin: 8px 0; display: grid; gap: 4px; }
    .more { text-align: center; padding: 6px; }
    textarea { min-height: 6em; font-family: ui-monospace, monospace; font-size: 11.5px; }
    details summary { cursor: pointer; font-size: 12px; color: #0969da; margin-top: 8px; }
  `,
  ];
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    expanded: { state: true },
    allAct: { state: true },
    allKernel: { state: true },
    allBias: { state: true },
    kerasError: { state: true },
    kerasNotes: { state: true },
  };

  declare store: PlaygroundStore;
  declare expanded: boolean;
  declare allAct: string;
  declare allKernel: Initializer;
  declare allBias: Initializer;
  declare kerasError: InputMessage | null;
  declare kerasNotes: InputMessage | null;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.stateVersion, s.editError, s.state.mode],
    );
    this.expanded = false;
    this.allAct = 'relu';
    this.allKernel = parseInitializer('he_normal', '');
    this.allBias = parseInitializer('zeros', '');
    this.kerasError = null;
    this.kerasNotes = null;
  }

  private get doc(): Doc {
    return this.store.configDoc() as Doc;
  }

  private edit(f: (d: Doc) => Doc): void {
    void this.store.setConfigDoc(f(this.doc));
  }

  private setField(i: number, key: LayerField, value: unknown): void {
    this.edit((d) => setLayerField(d, i, key, value));
  }

  private applyAll(): void {
    this.edit((d) =>
      applyToAll(
        applyToAll(applyToAll(d, 'activation', this.allAct), 'kernel_initializer', initializerToKeras(this.allKernel)),
        'bias_initializer',
        initializerToKeras(this.allBias),
      ),
    );
  }

  private activationControls(l: LayerConfig, i: number, last: boolean): TemplateResult {
    const names = ACTIVATIONS.filter((a) => last || a !== 'softmax');
    // A new name takes its Keras default slope; the α field then edits it.
    const set = (a: Activation | string) => this.setField(i, 'activation', a);
    return html`<select aria-label="Layer ${i + 1} activation"
        @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${names.map((a) => html`<option .selected=${a === l.activation.name}>${a}</option>`)}
      </select>
      ${
        l.activation.name === 'leaky_relu' || l.activation.name === 'elu'
          ? html`<label class="inline">α
        <input type="number" step="any" min="0" .value=${String(l.activation.alpha)} aria-label="Layer ${i + 1} activation alpha"
          @change=${(e: Event) => set({ name: l.activation.name, alpha: Number((e.target as HTMLInputElement).value) })} /></label>`
          : nothing
      }`;
  }

  private layerRow(l: LayerConfig, i: number, n: number): TemplateResult {
    const last = i === n - 1;
    return html`<div class="layer" role="group" aria-label="Layer ${i + 1}${last ? ' (output)' : ''}">
      <div class="head">
        <span class="name">${last ? 'Output' : `Layer ${i + 1}`}</span>
        <label class="inline">units <input type="number" min="1" max=${MAX_UNITS} .value=${String(l.units)} aria-label="Layer ${i + 1} units"
          @change=${(e: Event) => this.setField(i, 'units', Number((e.target as HTMLInputElement).value))} /></label>
        ${this.activationControls(l, i, last)}
        ${
          last
            ? nothing
            : html`
          <button class="small" title="Insert a copy after this layer" aria-label="Insert a layer after layer ${i + 1}" @click=${() => this.edit((d) => insertLayer(d, i))}>+</button>
          <button class="small" title="Remove this layer" aria-label="Remove layer ${i + 1}" @click=${() => this.edit((d) => removeLayer(d, i))}>×</button>`
        }
      </div>
      <div class="inits">
        <div><span class="tag">kernel</span>
          <initializer-field kernel-only .value=${l.kernel_initializer} label="Layer ${i + 1} kernel initializer"
            @initializer-change=${(e: InitializerChangeEvent) => this.setField(i, 'kernel_initializer', initializerToKeras(e.initializer))}></initializer-field></div>
        <div><span class="tag">bias</span>
          <initializer-field .value=${l.bias_initializer} label="Layer ${i + 1} bias initializer"
            @initializer-change=${(e: InitializerChangeEvent) => this.setField(i, 'bias_initializer', initializerToKeras(e.initializer))}></initializer-field></div>
      </div>
    </div>`;
  }

  private rows(layers: LayerConfig[]): TemplateResult[] {
    const n = layers.length;
    const all = layers.map((l, i) => ({ l, i }));
    if (this.expanded || n <= COLLAPSE_OVER) return all.map(({ l, i }) => this.layerRow(l, i, n));
    const head = all.slice(0, 4),
      tail = all.slice(n - 3);
    return [
      ...head.map(({ l, i }) => this.layerRow(l, i, n)),
      html`<div class="more"><button @click=${() => {
        this.expanded = true;
      }}>Show all ${n} layers (${n - 7} hidden here)</button></div>`,
      ...tail.map(({ l, i }) => this.layerRow(l, i, n)),
    ];
  }

  private async importKeras(text: string): Promise<void> {
    try {
      const model = importKerasModel(text);
      this.kerasError = null;
      await this.store.setConfigDoc(configWithModel(this.store.state.config, model));
      if (this.store.editError) this.kerasError = inputMessage(this.store.editError, this.store);
      else if (model.notes.length) this.kerasNotes = inputMessage(model.notes.join('; '), this.store);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.kerasError = inputMessage(e.message, this.store);
    }
  }

  /** A dropped or opened JSON file; dropped text falls through to the textarea as usual. */
  private async onKerasFile(e: Event): Promise<void> {
    const f = firstFile(e);
    if (!f) return;
    e.preventDefault();
    await this.importKeras(await readText(f));
  }

  override render(): TemplateResult {
    const cfg = this.store.state.config;
    const hidden = cfg.layers.slice(0, -1);
    const widths = new Set(hidden.map((l) => l.units));
    return html`<section class="card" aria-labelledby="net-h">
      <h2 id="net-h">Network</h2>
      <div class="fields">
        <label class="field">Hidden layers
          <input type="number" min="0" max=${MAX_HIDDEN} .value=${String(hidden.length)}
            @change=${(e: Event) => this.edit((d) => setDepth(d, Math.max(0, Math.min(MAX_HIDDEN, Math.floor(Number((e.target as HTMLInputElement).value) || 0)))))} /></label>
        <label class="field">Units per hidden layer
          <input type="number" min="1" max=${MAX_UNITS} .value=${widths.size === 1 ? String([...widths][0]) : ''}
            placeholder=${widths.size > 1 ? 'mixed' : ''} ?disabled=${hidden.length === 0}
            @change=${(e: Event) => this.edit((d) => setWidth(d, Number((e.target as HTMLInputElement).value)))} /></label>
      </div>
      ${this.store.editError ? html`<p class="error" role="alert">${this.store.editError}</p>` : nothing}
      ${this.store.state.mode === 'compare' ? html`<p class="muted">Comparing initializers: each run replaces every layer's kernel initializer below with its own.</p>` : nothing}
      <div class="all" role="group" aria-label="Apply to all layers">
        <div class="row"><strong>All layers</strong>
          <select aria-label="Activation for all hidden layers" @change=${(e: Event) => {
            this.allAct = (e.target as HTMLSelectElement).value;
          }}>
            ${ACTIVATIONS.filter((a) => a !== 'softmax').map((a) => html`<option .selected=${a === this.allAct}>${a}</option>`)}
          </select>
          <button @click=${this.applyAll}>Apply to all layers</button></div>
        <div class="inits" style="display:grid;grid-template-columns:1fr 1fr;gap:4px 8px">
          <div><span class="tag">kernel</span><initializer-field kernel-only .value=${this.allKernel} label="Kernel initializer for all layers"
            @initializer-change=${(e: InitializerChangeEvent) => {
              this.allKernel = e.initializer;
            }}></initializer-field></div>
          <div><span class="tag">bias</span><initializer-field .value=${this.allBias} label="Bias initializer for all layers"
            @initializer-change=${(e: InitializerChangeEvent) => {
              this.allBias = e.initializer;
            }}></initializer-field></div>
        </div>
        <p class="muted">Activation goes to the hidden layers (the output's fits the loss); initializers to every layer.</p>
      </div>
      ${this.rows(cfg.layers)}
      <details>
        <summary>Build from a Keras model (model.to_json())</summary>
        <p class="muted">Paste or drop the JSON of a Sequential model of Dense (and Activation) layers, Keras 2 or 3.</p>
        <textarea id="keras" aria-label="Keras model JSON" placeholder='{"class_name": "Sequential", "config": {"layers": [...]}}'
          @drop=${this.onKerasFile} @dragover=${(e: Event) => e.preventDefault()}></textarea>
        <div class="row">
          <button @click=${() => this.importKeras((this.renderRoot.querySelector('#keras') as HTMLTextAreaElement).value)}>Build network</button>
          <label class="inline">or open a file <input type="file" accept=".json,application/json" @change=${this.onKerasFile} /></label>
        </div>
        ${current(this.kerasError, this.store) ? html`<p class="error" role="alert">${current(this.kerasError, this.store)}</p>` : nothing}
        ${current(this.kerasNotes, this.store) ? html`<p class="muted">${current(this.kerasNotes, this.store)}</p>` : nothing}
      </details>
    </section>`;
  }
}

customElements.define('network-editor', NetworkEditor);

declare global {
  interface HTMLElementTagNameMap {
    'network-editor': NetworkEditor;
  }
}
