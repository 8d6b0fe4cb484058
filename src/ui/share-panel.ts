/**
 * @file <share-panel>: keeping and sharing an experiment: the link (the URL already holds the
 * whole config), config JSON in and out, the recorded statistics as CSV, weights in the engine's
 * file format, and a runnable Keras script. Every refused file names the field or line at fault.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { download } from '../charts/download';
import { configToJSON } from '../core/config';
import { ConfigError } from '../core/errors';
import { exportName, firstFile, readText } from './files';
import { current, type InputMessage, inputMessage } from './input-message';
import { kerasScript } from './keras-script';
import { findLesson } from './presets';
import type { PlaygroundStore } from './state/store';
import { statsToCsv } from './stats-csv';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';
import { parseConfigText } from './url-state';

class SharePanel extends LitElement {
  static override styles = [
    uiStyles,
    css`
    .actions { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 6px; }
    .actions button, .actions label.button { width: 100%; text-align: center; }
    label.button { position: relative; display: inline-block; border: 1px solid #afb8c1; border-radius: 6px; background: #f6f8fa; padding: 4px 10px; cursor: pointer; font-size: 13px; }
    label.button:focus-within { outline: 2px solid #0969da; }
    label.button input { position: absolute; inset: 0; opacity: 0; width: 1px; height: 1px; }
  `,
  ];
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    error: { state: true },
    done: { state: true },
  };
  declare store: PlaygroundStore;
  declare error: InputMessage | null;
  declare done: InputMessage | null;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.stateVersion, s.notice, s.phase],
    );
    this.error = null;
    this.done = null;
  }

  private name(ext: string, what = ''): string {
    const s = this.store.state;
    return exportName(`${s.lesson ?? 'experiment'}${what}`, s.config.seed, ext);
  }

  private async guard(f: () => Promise<void> | void, okText: string): Promise<void> {
    try {
      await f();
      this.error = null;
      this.done = inputMessage(okText, this.store);
    } catch (e) {
      this.done = null;
      this.error = inputMessage(e instanceof ConfigError ? e.message : (e as Error).message, this.store);
    }
  }

  private async copyLink(): Promise<void> {
    await this.guard(async () => {
      if (!navigator.clipboard) throw new Error('this browser does not allow copying; copy the address bar instead');
      await navigator.clipboard.writeText(location.href);
    }, 'Link copied: it reproduces this experiment exactly.');
  }

  private async openConfig(e: Event): Promise<void> {
    // Read the input now: after the event has been dispatched its target is cleared (shadow DOM).
    const input = e.target as HTMLInputElement;
    const f = firstFile(e);
    if (!f) return;
    await this.guard(async () => {
      const cfg = parseConfigText(await readText(f));
      await this.store.setState({ config: cfg, lesson: null });
    }, `Config loaded from ${f.name}.`);
    input.value = '';
  }

  private async openWeights(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const f = firstFile(e);
    if (!f) return;
    await this.guard(async () => {
      let doc: unknown;
      try {
        doc = JSON.parse(await readText(f));
      } catch (err) {
        throw new ConfigError('weights', `is not valid JSON (${(err as Error).message})`);
      }
      await this.store.loadWeights(doc);
    }, `Weights loaded from ${f.name}.`);
    input.value = '';
  }

  private file(label: string, accept: string, on: (e: Event) => void): TemplateResult {
    return html`<label class="button">${label}<input type="file" accept=${accept} @change=${on} /></label>`;
  }

  override render(): TemplateResult {
    const s = this.store;
    const cfg = s.state.config;
    const built = s.runs.length > 0 && s.runs.every((r) => r.engine);
    const script = () =>
      kerasScript(cfg, {
        title: findLesson(s.state.lesson)?.title,
        csvFile: s.csv?.fileName,
        csvHeader: s.csv?.header,
      });
    return html`<section class="card" aria-labelledby="share-h">
      <h2 id="share-h">Share and keep</h2>
      <div class="actions">
        <button @click=${this.copyLink}>Copy link</button>
        <button @click=${() => this.guard(() => download(this.name('json', '-config'), `${JSON.stringify(configToJSON(cfg), null, 2)}\n`), 'Config saved.')}>Export config JSON</button>
        ${this.file('Import config JSON', '.json,application/json', (e) => this.openConfig(e))}
        <button @click=${() => this.guard(() => download(this.name('py'), script(), 'text/x-python'), 'Keras script saved.')}>Export Keras script</button>
        <button ?disabled=${!built} @click=${() => this.guard(() => download(this.name('csv', '-stats'), statsToCsv(s.runs), 'text/csv'), 'Statistics saved.')}>Export statistics CSV</button>
        <button ?disabled=${!built} @click=${() => this.guard(async () => download(this.name('json', '-weights'), JSON.stringify(await s.saveWeights())), 'Weights saved.')}>Save weights</button>
        ${this.file('Load weights', '.json,application/json', (e) => this.openWeights(e))}
      </div>
      ${current(this.error, s) ? html`<p class="error" role="alert">${current(this.error, s)}</p>` : nothing}
      ${current(this.done, s) ? html`<p class="muted">${current(this.done, s)}</p>` : nothing}
    </section>`;
  }
}

customElements.define('share-panel', SharePanel);

declare global {
  interface HTMLElementTagNameMap {
    'share-panel': SharePanel;
  }
}
