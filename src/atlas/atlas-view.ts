/**
 * @file <atlas-view>: the weight-space atlas tab. It owns one atlas run at a time (config text,
 * progress, cancellation, zoom history, result) and hands the result to thin views: the basin
 * map, the initializer table, the SOM. It never acquires a GPU behind the page's back when the
 * page gives it one:
 *   .device  a GPUDevice to run on (preferred; the page keeps ownership),
 *   .adapter a GPUAdapter to request a device from (the view then owns that device),
 *   .backend 'gpu' (default: .device, else .adapter, else navigator.gpu) or 'cpu'.
 * Without any WebGPU adapter a 'gpu' run falls back to the CPU trainer and says so.
 * Fires `atlas-done` (AtlasDoneEvent) with every finished result; `data-state` on the host is
 * idle | running | done | error, for tests and styling.
 */
import { css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { download } from '../charts/download';
import { describeAdapter } from '../gpu/adapter';
import { acquireBrowserDevice, deviceOn } from '../gpu/browser-device';
import { AtlasZoomEvent } from './atlas-basin-map';
import './atlas-basin-map';
import './atlas-init-table';
import './atlas-som';
import { parseAtlasConfig } from './config';
import { atlasResultJson, basinCsv, tableCsv } from './export';
import { histogramSvg } from './histogram-svg';
import { ATLAS_PRESETS } from './presets';
import { type AtlasBackend, type AtlasResult, runAtlas } from './run';
import { RunView } from './run-view';
import { atlasStyles } from './styles';
import './trainable-depth-view';
import type { AtlasConfig } from './types';

class AtlasDoneEvent extends Event {
  static readonly type = 'atlas-done';
  constructor(readonly result: AtlasResult) {
    super(AtlasDoneEvent.type, { bubbles: true, composed: true });
  }
}

type AtlasMode = 'populations' | 'depth';
type Ranges = { x: [number, number]; y: [number, number] };

class AtlasView extends RunView {
  static override styles = [
    atlasStyles,
    css`
    :host { display: grid; gap: 10px; }
    textarea { width: 100%; min-height: 13em; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
    progress { width: 180px; }
    .results { display: grid; gap: 10px; }
    .status { min-height: 1.4em; }
  `,
  ];

  static override properties: PropertyDeclarations = {
    adapter: { attribute: false },
    config: { attribute: false },
    autorun: { type: Boolean },
    result: { state: true },
    mode: { state: true },
  };

  /** A GPUAdapter to request a device from when no `device` is given (the view then owns it). */
  declare adapter: GPUAdapter | null;
  /** The atlas config document shown in the editor (JSON, as parseAtlasConfig reads it). */
  declare config: Record<string, unknown>;
  /** Runs as soon as the element is connected (the fixture page and demos). */
  declare autorun: boolean;
  declare protected result: AtlasResult | null;
  /** Populations of small networks (the atlas proper), or the trainable-depth experiment. */
  declare protected mode: AtlasMode;
  /** The trainable-depth view stays mounted once shown, so its run survives a switch back. */
  private get depthOpened(): boolean {
    return this.renderRoot?.querySelector?.('trainable-depth-view') != null;
  }

  private ownDevice: GPUDevice | null = null;
  private adapterName = '';
  /** Zoomed basin ranges, innermost last; empty: the config's own. */
  private zooms: Ranges[] = [];

  constructor() {
    super();
    this.adapter = null;
    this.config = ATLAS_PRESETS[0].config;
    this.autorun = false;
    this.result = null;
    this.mode = 'populations';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(AtlasZoomEvent.type, this.onZoom);
    if (this.autorun) queueMicrotask(() => void this.run());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener(AtlasZoomEvent.type, this.onZoom);
    this.ownDevice?.destroy();
    this.ownDevice = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('config')) {
      this.text = JSON.stringify(this.config, null, 2);
      this.zooms = [];
    }
  }

  /** Parses the editor's config, applies the zoom, and runs it; resolves when done or failed. */
  async run(): Promise<void> {
    const started = this.startRun((doc) => this.zoomed(parseAtlasConfig(doc)));
    if (!started) return;
    const { run, config: cfg } = started;
    try {
      const be = await this.backendFor();
      const t0 = performance.now();
      const result = await runAtlas(cfg, be, { signal: run.signal, onProgress: this.progressOf(run) });
      if (!run.current()) return;
      this.result = result;
      this.status = 'done';
      const where = be.backend === 'gpu' ? `GPU (${be.adapter})` : 'CPU';
      const seconds = ((performance.now() - t0) / 1000).toFixed(2);
      const networks = result.population.networks.toLocaleString('en');
      this.message =
        `${networks} networks × ${cfg.epochs} epochs on the ${where} in ${seconds} s` +
        (this.message ? ` — ${this.message}` : '');
      this.dispatchEvent(new AtlasDoneEvent(result));
    } catch (e) {
      if (run.current()) this.showFailure(e as Error, this.result ? 'done' : 'idle');
    } finally {
      run.finish();
    }
  }

  /** The device to run on, or the CPU when there is no WebGPU (said in the status line). */
  private async backendFor(): Promise<AtlasBackend> {
    if (this.backend === 'cpu') return { backend: 'cpu' };
    if (this.device)
      return {
        backend: 'gpu',
        device: this.device,
        adapter: this.adapterName || (this.adapter ? describeAdapter(this.adapter) : 'WebGPU'),
      };
    if (!this.ownDevice) {
      // A lost device is forgotten: the next run asks for a new one (the run it ended says why).
      let device: GPUDevice | null = null;
      const forget = () => {
        if (this.ownDevice === device) this.ownDevice = null;
      };
      const got = this.adapter ? await deviceOn(this.adapter, forget) : await acquireBrowserDevice(forget);
      if ('unavailable' in got) {
        this.message = `${got.unavailable}, so the TypeScript trainer ran on the CPU`;
        return { backend: 'cpu' };
      }
      this.adapterName = got.adapter;
      device = got.device;
      this.ownDevice = device;
    }
    return { backend: 'gpu', device: this.ownDevice, adapter: this.adapterName };
  }

  /** The config with the innermost zoom's ranges on the basin axes. */
  private zoomed(cfg: AtlasConfig): AtlasConfig {
    const z = this.zooms.at(-1);
    if (!z || cfg.mode.mode !== 'basin') return cfg;
    const [ax, ay] = cfg.mode.axes;
    return {
      ...cfg,
      mode: {
        ...cfg.mode,
        axes: [
          { ...ax, range: z.x },
          { ...ay, range: z.y },
        ],
      },
    };
  }

  private readonly onZoom = (ev: Event): void => {
    const z = ev as AtlasZoomEvent;
    this.zooms = [...this.zooms, { x: z.x, y: z.y }];
    void this.run();
  };

  private unzoom(all: boolean): void {
    this.zooms = all ? [] : this.zooms.slice(0, -1);
    void this.run();
  }

  private pickPreset(id: string): void {
    const p = ATLAS_PRESETS.find((q) => q.id === id);
    if (p) this.config = p.config;
  }

  private async exportPng(): Promise<void> {
    const blob = await this.renderRoot.querySelector('atlas-basin-map')?.toBlob();
    if (blob) download('basin-map.png', blob);
  }

  private exports(r: AtlasResult): TemplateResult {
    const json = () => download('atlas.json', JSON.stringify(atlasResultJson(r)));
    const csv = () =>
      download(
        r.basin ? 'basin-map.csv' : 'initializers.csv',
        r.basin ? basinCsv(r.basin) : tableCsv(r.table),
        'text/csv',
      );
    return html`<div class="row">
      <span class="muted">Export:</span>
      <button @click=${json}>JSON</button>
      ${r.basin || r.table.length ? html`<button @click=${csv}>CSV</button>` : nothing}
      ${r.basin ? html`<button @click=${() => this.exportPng()}>PNG</button>` : nothing}
      ${
        r.basin && this.zooms.length
          ? html`<button @click=${() => this.unzoom(false)}>Zoom out</button>
        <button @click=${() => this.unzoom(true)}>Reset zoom</button>`
          : nothing
      }
    </div>`;
  }

  private results(r: AtlasResult): TemplateResult {
    const s = r.summary,
      T = r.config.epochs;
    return html`<div class="results">
      <section class="card" aria-label="summary">
        <h2>${(s.success_rate * 100).toFixed(1)}% of ${s.networks.toLocaleString('en')} networks converged</h2>
        <div class="row">
          <span class="muted">median ${s.median_epoch ?? '–'} epochs; epochs to converge, 0 to ${T}:</span>
          ${histogramSvg(s.histogram, T, 200, 28)}
        </div>
        ${this.exports(r)}
      </section>
      ${r.basin ? html`<atlas-basin-map .map=${r.basin} .epochs=${T}></atlas-basin-map>` : nothing}
      ${r.table.length ? html`<atlas-init-table .rows=${r.table} .epochs=${T}></atlas-init-table>` : nothing}
      ${r.som ? html`<atlas-som .som=${r.som}></atlas-som>` : nothing}
    </div>`;
  }

  override render(): TemplateResult {
    const modes: [AtlasMode, string][] = [
      ['populations', 'Populations of small networks'],
      ['depth', 'Trainable depth'],
    ];
    return html`<div class="row" role="tablist" aria-label="Atlas mode">
        ${modes.map(
          ([
            mode,
            label,
          ]) => html`<button type="button" role="tab" aria-selected=${this.mode === mode ? 'true' : 'false'}
            class=${this.mode === mode ? 'primary' : ''} @click=${() => {
              this.mode = mode;
            }}>${label}</button>`,
        )}
      </div>
      <div ?hidden=${this.mode !== 'populations'}>${this.populations()}</div>
      ${
        this.depthOpened || this.mode === 'depth'
          ? html`<trainable-depth-view ?hidden=${this.mode !== 'depth'} .device=${this.device}
              .backend=${this.backend}></trainable-depth-view>`
          : nothing
      }`;
  }

  private populations(): TemplateResult {
    const running = this.status === 'running';
    const failed = this.status === 'error';
    return html`<section class="card" aria-label="atlas config">
        <h2>Weight-space atlas</h2>
        <p class="muted">Train thousands of small networks at once, each from its own initial weights, and
          map where training succeeds: a basin map of two weights, a table of initializers and scales, or a
          population with a SOM.</p>
        <div class="row">
          <label>Preset <select @change=${(e: Event) => this.pickPreset((e.target as HTMLSelectElement).value)}>
            <option value="">choose…</option>
            ${ATLAS_PRESETS.map((p) => html`<option value=${p.id}>${p.title}</option>`)}
          </select></label>
        </div>
        <textarea aria-label="atlas config (JSON)" spellcheck="false" .value=${this.text}
          @input=${(e: Event) => {
            this.text = (e.target as HTMLTextAreaElement).value;
          }}></textarea>
        <div class="row">
          <button class="primary" ?disabled=${running} @click=${() => {
            this.zooms = [];
            void this.run();
          }}>Run</button>
          <button ?disabled=${!running} @click=${() => this.cancel()}>Cancel</button>
          ${running ? html`<progress max="1" .value=${this.progress}></progress>` : nothing}
          <span class="status ${failed ? 'error' : 'muted'}" role="status"
            >${failed ? `error: ${this.message}` : this.message}</span>
        </div>
      </section>
      ${this.result ? this.results(this.result) : nothing}`;
  }
}

if (!customElements.get('atlas-view')) customElements.define('atlas-view', AtlasView);

declare global {
  interface HTMLElementTagNameMap {
    'atlas-view': AtlasView;
  }
  interface HTMLElementEventMap {
    'atlas-done': AtlasDoneEvent;
  }
}
