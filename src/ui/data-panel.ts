/**
 * @file <data-panel>: which data to learn (the built-in sets, or a CSV file the user drops in),
 * its size, noise and test split, and a preview. A malformed CSV is refused with the line and
 * column of the problem; a good one stands in for the dataset (see src/core/datasets/csv.ts).
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { DATASETS } from '../core/config';
import { DATASET_INFO } from '../core/datasets';
import { CsvError, parseCsv } from '../core/datasets/csv';
import type { DatasetName } from '../core/types';
import { type Doc, setDataset, setDatasetField } from './config-edits';
import type { PlaygroundStore } from './state/store';
import './data-preview';
import { firstFile, readText } from './files';
import { current, type InputMessage, inputMessage } from './input-message';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

const CSV = '__csv';

class DataPanel extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .drop { display: block; border: 1.5px dashed #afb8c1; border-radius: 6px; padding: 8px; margin-top: 8px; font-size: 12px; color: #424a53; }
    .drop.over { border-color: #0969da; background: #f0f6ff; }
    .drop input { margin-top: 4px; max-width: 100%; }
    data-preview { margin-top: 8px; }
  `,
  ];
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    csvError: { state: true },
    over: { state: true },
  };
  declare store: PlaygroundStore;
  declare csvError: InputMessage | null;
  declare over: boolean;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.stateVersion, s.data, s.csv],
    );
    this.csvError = null;
    this.over = false;
  }

  private edit(f: (d: Doc) => Doc): void {
    void this.store.setConfigDoc(f(this.store.configDoc() as Doc));
  }

  private onName(e: Event): void {
    const v = (e.target as HTMLSelectElement).value;
    if (v === CSV) return;
    this.edit((d) => setDataset(d, v as DatasetName));
  }

  private field(
    key: string,
    label: string,
    value: number,
    attrs: { min: number; max?: number; step?: number },
  ): TemplateResult {
    return html`<label class="field">${label}<input type="number" min=${attrs.min} max=${attrs.max ?? ''} step=${attrs.step ?? 1}
      .value=${String(value)} @change=${(e: Event) => this.edit((d) => setDatasetField(d, key, Number((e.target as HTMLInputElement).value)))} /></label>`;
  }

  private async onCsv(e: Event): Promise<void> {
    e.preventDefault();
    this.over = false;
    const input = e.target instanceof HTMLInputElement ? e.target : null;
    const f = firstFile(e);
    if (!f) return;
    if (input) input.value = ''; // so that opening the same file again (after fixing it) fires again
    try {
      const parsed = parseCsv(await readText(f));
      this.csvError = null;
      await this.store.useCsv({ fileName: f.name, header: parsed.header !== null, data: parsed.dataset });
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      this.csvError = inputMessage(`${f.name}: ${err.message}`, this.store);
    }
  }

  override render(): TemplateResult {
    const s = this.store;
    const d = s.state.config.dataset;
    const csv = s.csv;
    const plane = d.name !== 'xor' && d.name !== 'mnist' && d.name !== 'random';
    return html`<section class="card" aria-labelledby="data-h">
      <h2 id="data-h">Data</h2>
      <div class="fields">
        <label class="field">Dataset
          <select @change=${this.onName}>
            ${DATASETS.map((n) => html`<option value=${n} .selected=${!csv && n === d.name}>${n}</option>`)}
            ${csv ? html`<option value=${CSV} .selected=${true}>CSV: ${csv.fileName}</option>` : nothing}
          </select></label>
        ${d.name !== 'xor' && !csv ? this.field('samples', 'Samples', d.samples, { min: 1, max: d.name === 'mnist' ? 10000 : 1_000_000 }) : nothing}
        ${plane ? this.field('noise', 'Noise', d.noise, { min: 0, max: 0.5, step: 0.05 }) : nothing}
        ${d.name !== 'xor' ? this.field('test_fraction', 'Test fraction', d.test_fraction, { min: 0, max: 0.9, step: 0.05 }) : nothing}
        ${d.name === 'random' && !csv ? html`${this.field('dim', 'Features', d.dim, { min: 1 })}${this.field('classes', 'Classes', d.classes, { min: 2, max: 1000 })}` : nothing}
      </div>
      <p class="muted">${csv ? `Your file: ${csv.data.n} rows, ${csv.data.inputDim} features, ${csv.data.classes} classes. (A link does not carry the file.)` : DATASET_INFO[d.name].description}</p>
      <label class="drop ${this.over ? 'over' : ''}" @drop=${this.onCsv}
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.over = true;
        }} @dragleave=${() => {
          this.over = false;
        }}>
        Your own data: drop a CSV file here (numeric columns, the last one the integer class label; header optional), or choose one:
        <input type="file" accept=".csv,text/csv,text/plain" aria-label="Open a CSV file" @change=${this.onCsv} />
      </label>
      ${current(this.csvError, s) ? html`<p class="error" role="alert">${current(this.csvError, s)}</p>` : nothing}
      <data-preview .data=${s.data}></data-preview>
    </section>`;
  }
}

customElements.define('data-panel', DataPanel);

declare global {
  interface HTMLElementTagNameMap {
    'data-panel': DataPanel;
  }
}
