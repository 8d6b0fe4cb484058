/**
 * @file <playground-app>: the page's frame, exactly as tall as the window (it scrolls inside
 * itself). Settings on the left (lesson, data, network, training, sharing) with the model summary
 * below them, training controls and charts on the right; one column on narrow windows, the
 * training controls first and pinned. The training controls come first in the focus order, a few
 * Tab stops from the top. It owns no state: every view gets the store and subscribes to the part
 * it shows. Files dropped anywhere on the page go where they belong (a CSV becomes
 * the dataset, a Keras model builds the network, a weights file loads, a config replaces the
 * config), and Space plays or pauses when no field has focus.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { BenchRunningEvent } from '../bench/bench-view';
import { CsvError, parseCsv } from '../core/datasets/csv';
import { ConfigError } from '../core/errors';
import type { PlaygroundStore } from './state/store';
import './app-banners';
import './chart-board';
import './compare-panel';
import './data-panel';
import { readText } from './files';
import { current, type InputMessage, inputMessage } from './input-message';
import { configWithModel, importKerasModel } from './keras-model';
import './lesson-panel';
import './model-summary';
import './network-editor';
import './share-panel';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';
import './train-bar';
import './training-panel';
import { parseConfigText } from './url-state';

type View = 'playground' | 'phase' | 'atlas' | 'bench';
const VIEWS: [View, string][] = [
  ['playground', 'Playground'],
  ['phase', 'Phase diagram'],
  ['atlas', 'Weight-space atlas'],
  ['bench', 'Benchmark'],
];

class PlaygroundApp extends LitElement {
  static override styles = [
    uiStyles,
    css`
    /* The app is exactly the window: it scrolls inside itself and never makes the document
       taller (a page scrolled past its end into blank space loses the UI). Positioned, with its
       overflow clipped, so nothing positioned inside can escape into the document either. */
    :host { display: flex; flex-direction: column; height: 100vh; height: 100dvh; overflow: hidden; position: relative;
      background: #f6f8fa; }
    header.top { display: flex; align-items: baseline; gap: 6px 16px; flex-wrap: wrap; padding: 10px 16px 6px; }
    header.top h1 { font-size: 18px; margin: 0; }
    header.top p { margin: 0; color: #57606a; font-size: 12.5px; }
    nav.views { display: flex; flex-wrap: wrap; gap: 4px; margin-left: auto; }
    nav.views button[aria-selected='true'] { background: #1f2328; color: #fff; border-color: #1f2328; }
    .page { flex: 1 1 auto; min-height: 0; padding: 8px 16px 16px; overflow: auto; overscroll-behavior: contain; }
    [hidden] { display: none !important; }
    app-banners { padding: 0 16px; }
    .bench-note { margin: 0 16px; padding: 6px 10px; border: 1px solid #d4a72c; border-radius: 6px; background: #fff8c5; font-size: 13px; }
    /* Wide windows: settings and charts scroll separately, the training bar stays above the
       charts and the model summary below the settings, beside them, never over them. */
    .layout { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(340px, 400px) minmax(0, 1fr);
      grid-template-rows: auto minmax(0, 1fr); grid-template-areas: 'aside bar' 'aside main'; gap: 10px 12px; padding: 8px 16px 0; }
    train-bar { grid-area: bar; z-index: 3; }
    aside { grid-area: aside; display: flex; flex-direction: column; gap: 8px; min-height: 0; }
    .settings { flex: 1 1 auto; min-height: 0; overflow: auto; overscroll-behavior: contain; display: flex; flex-direction: column;
      gap: 10px; padding: 0 4px 8px 0; }
    .settings > * { flex: none; }
    model-summary { flex: none; --summary-max-height: 18vh; margin-bottom: 8px; }
    main { grid-area: main; display: flex; flex-direction: column; gap: 12px; min-width: 0; min-height: 0; overflow: auto;
      overscroll-behavior: contain; padding-bottom: 16px; }
    main > * { flex: none; }
    /* Narrow windows: one column that scrolls as a whole inside the app, the training bar first
       and pinned to its top. */
    @media (max-width: 900px) {
      /* The pinned bar's height (kept by barHeight below) is declared as scroll padding: content
         scrolled under it counts as out of view, and focus never scrolls a control beneath it. */
      :host { display: block; overflow-y: auto; overscroll-behavior: contain; scroll-padding-top: var(--train-bar-height, 0px); }
      .layout { display: flex; flex-direction: column; padding: 8px; }
      train-bar { position: sticky; top: 0; box-shadow: 0 4px 8px rgba(246, 248, 250, 0.95); }
      aside, .settings, main { overflow: visible; padding: 0; }
      .page { overflow: visible; padding: 8px; }
      header.top { padding: 8px; }
      app-banners { padding: 0 8px; }
    }
    .drop-note { position: fixed; inset: 0; background: rgba(9, 105, 218, 0.08); border: 3px dashed #0969da; z-index: 10;
      display: grid; place-items: center; font-size: 18px; color: #0550ae; pointer-events: none; }
  `,
  ];
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    dragging: { state: true },
    dropError: { state: true },
    view: { state: true },
    benchRunning: { state: true },
  };
  declare store: PlaygroundStore;
  /** Which page is shown: the playground, the weight-space atlas or the benchmark. */
  declare view: View;
  /** A benchmark is running on the Benchmark page (which stays mounted while another page shows). */
  declare benchRunning: boolean;
  declare dragging: boolean;
  declare dropError: InputMessage | null;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.state.mode, s.stateVersion],
    );
    this.dragging = false;
    this.dropError = null;
    this.view = 'playground';
    this.benchRunning = false;
  }

  /** Pages opened so far: each stays mounted (hidden when not shown), so its results survive a visit elsewhere. */
  private opened = new Set<View>(['playground']);

  /** Switches pages; the atlas and benchmark load on first use and share the page's GPU device. */
  private async show(view: View): Promise<void> {
    if (view === this.view) return;
    if (view !== 'playground' && this.store.playing) await this.store.pause();
    if (view === 'phase') await import('./phase-diagram-view');
    if (view === 'atlas') await import('../atlas/atlas-view');
    if (view === 'bench') await import('./bench-page');
    this.opened.add(view);
    this.view = view;
  }

  /** Keeps --train-bar-height, the pinned bar's height on narrow windows, in step with the bar. */
  private barHeight = new ResizeObserver((entries) => {
    this.style.setProperty('--train-bar-height', `${Math.ceil(entries[0].borderBoxSize[0].blockSize)}px`);
  });

  protected override firstUpdated(): void {
    this.barHeight.observe(this.renderRoot.querySelector('train-bar')!);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.barHeight.disconnect();
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key !== ' ' || e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.composedPath()[0] as HTMLElement | undefined;
    if (el && /^(INPUT|SELECT|TEXTAREA|BUTTON|A|SUMMARY)$/.test(el.tagName)) return;
    e.preventDefault();
    void (this.store.playing ? this.store.pause() : this.store.play());
  };

  private onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = true;
  };

  private onDragLeave = (e: DragEvent): void => {
    if (e.relatedTarget === null) this.dragging = false;
  };

  /** A file dropped outside the fields that take one: decide by its content what it is. */
  private onDrop = async (e: DragEvent): Promise<void> => {
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (!file || e.defaultPrevented) return;
    e.preventDefault();
    const text = await readText(file);
    try {
      if (/\.(csv|tsv|txt)$/i.test(file.name)) {
        const p = parseCsv(text);
        await this.store.useCsv({ fileName: file.name, header: p.header !== null, data: p.dataset });
      } else {
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(text);
        } catch (err) {
          throw new ConfigError(file.name, `is neither CSV nor valid JSON (${(err as Error).message})`);
        }
        if (doc.class_name === 'Sequential')
          await this.store.setConfigDoc(configWithModel(this.store.state.config, importKerasModel(doc)));
        else if (doc.format === 'mlp-playground-weights') await this.store.loadWeights(doc);
        else await this.store.setState({ config: parseConfigText(text), lesson: null });
      }
      this.dropError = null;
    } catch (err) {
      if (!(err instanceof ConfigError) && !(err instanceof CsvError)) throw err;
      this.dropError = inputMessage(`${file.name}: ${err.message}`, this.store);
    }
  };

  override render(): TemplateResult {
    const s = this.store;
    return html`
      <header class="top">
        <h1>WebGPU MLP Playground</h1>
        <p>Build a deep network, choose how its weights start, and watch why initialization matters.</p>
        <nav class="views" role="tablist" aria-label="Pages">
          ${VIEWS.map(
            ([v, label]) => html`<button type="button" role="tab" aria-selected=${this.view === v ? 'true' : 'false'}
            @click=${() => this.show(v)}>${label}</button>`,
          )}
        </nav>
      </header>
      <app-banners .store=${s}></app-banners>
      ${current(this.dropError, s) ? html`<p class="error" role="alert" style="padding:0 16px">${current(this.dropError, s)}</p>` : nothing}
      ${
        this.opened.has('phase')
          ? html`<div class="page" ?hidden=${this.view !== 'phase'}><phase-diagram-view .store=${s}></phase-diagram-view></div>`
          : nothing
      }
      ${
        this.opened.has('atlas')
          ? html`<div class="page" ?hidden=${this.view !== 'atlas'}><atlas-view .device=${s.sharedDevice?.device ?? null}
        .backend=${s.sharedDevice ? 'gpu' : 'cpu'}></atlas-view></div>`
          : nothing
      }
      ${
        this.benchRunning && this.view !== 'bench'
          ? html`<p class="bench-note" role="status">A benchmark is running on the Benchmark page:
        training here shares the processor and the GPU with it, and would slow both and skew its numbers.</p>`
          : nothing
      }
      ${
        this.opened.has('bench')
          ? html`<div class="page" ?hidden=${this.view !== 'bench'}><bench-page .store=${s}
        @bench-running=${(e: Event) => {
          this.benchRunning = (e as BenchRunningEvent).running;
        }}></bench-page></div>`
          : nothing
      }
      <div class="layout" ?hidden=${this.view !== 'playground'}>
        <train-bar .store=${s}></train-bar>
        <aside aria-label="Settings">
          <div class="settings">
            <lesson-panel .store=${s}></lesson-panel>
            <data-panel .store=${s}></data-panel>
            <network-editor .store=${s}></network-editor>
            <training-panel .store=${s}></training-panel>
            <share-panel .store=${s}></share-panel>
          </div>
          <model-summary .store=${s}></model-summary>
        </aside>
        <main>
          ${s.state.mode === 'compare' ? html`<compare-panel .store=${s}></compare-panel>` : nothing}
          <chart-board .store=${s}></chart-board>
        </main>
      </div>
      ${this.dragging ? html`<div class="drop-note" aria-hidden="true">Drop a CSV, a Keras model, a config or a weights file</div>` : nothing}`;
  }
}

customElements.define('playground-app', PlaygroundApp);

declare global {
  interface HTMLElementTagNameMap {
    'playground-app': PlaygroundApp;
  }
}
