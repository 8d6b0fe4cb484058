/**
 * @file `<bench-view>`: "Where the GPU starts to win" on the page's Benchmark view. It runs the
 * quick ladder (crossover.ts: our GPU and CPU engines on products and networks of growing size),
 * or the whole ladder of `npm run bench`, in the user's browser on the user's GPU: a run button,
 * what the run will take, progress, a uPlot chart (ms vs size per engine, log scales) with the
 * crossover marked, the tables, and JSON/CSV export. TF.js is loaded by dynamic import only when
 * the run includes it.
 *
 * Mount: `<bench-view></bench-view>` after `import './bench/bench-view'`; optionally set
 * `.gpu = { device, adapter }` to share the page's device (otherwise it requests its own).
 * Fires `bench-results` (a `BenchResultsEvent`) when a run completes, and `bench-running` (a
 * `BenchRunningEvent`) when one starts and ends.
 */
import { css, html, LitElement, nothing, type PropertyValues, unsafeCSS } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { download } from '../charts/download';
import { browserEnv } from './browser-env';
import { chartColumns } from './charts';
import { crossover, isSoftwareAdapter, quickLadderOptions, quickLadderSeconds } from './crossover';
import { type BenchProgress, runBench } from './ladder';
import { toCsv } from './results-file';
import { type BenchOptions, defaultOptions, PRODUCT_SIZES, RUNGS, rungInfo } from './spec';
import { shortNumber } from './svg';
import { reportTables } from './tables';
import type { BenchResults, ProductMeasurement, TrainMeasurement } from './types';

type ChartView = 'forward' | 'dX' | 'dW' | 'training';

const FULL_LADDER_TITLE = 'Every engine and every product form, as npm run bench runs them';

/** Fired when a run starts and when it ends (completed, failed or cancelled): `running`. */
export class BenchRunningEvent extends Event {
  static readonly type = 'bench-running';
  constructor(readonly running: boolean) {
    super(BenchRunningEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when a run completes, with its results. */
class BenchResultsEvent extends Event {
  static readonly type = 'bench-results';
  constructor(readonly results: BenchResults) {
    super(BenchResultsEvent.type, { bubbles: true, composed: true });
  }
}

class BenchView extends LitElement {
  static override properties = {
    gpu: { attribute: false },
    full: { type: Boolean },
    maxSize: { type: Number, attribute: 'max-size' },
    includeTf: { type: Boolean, attribute: 'include-tf' },
    options: { attribute: false },
    running: { state: true },
    progress: { state: true },
    products: { state: true },
    training: { state: true },
    results: { state: true },
    error: { state: true },
    cancelled: { state: true },
    view: { state: true },
  };

  static override styles = [
    unsafeCSS(uplotCss),
    css`
    :host { display: block; font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; }
    .bar { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 8px; }
    label { display: inline-flex; gap: 4px; align-items: center; }
    button { font: inherit; padding: 3px 12px; }
    progress { width: 220px; }
    .muted { color: #57606a; }
    .error { color: #b42318; }
    table { border-collapse: collapse; margin: 4px 0 14px; font-variant-numeric: tabular-nums; }
    th, td { border-bottom: 1px solid #d0d7de; padding: 2px 8px; text-align: right; white-space: nowrap; }
    th:first-child, td:first-child { text-align: left; }
    caption { text-align: left; font-weight: 600; padding: 4px 0; }
    .scroll { overflow-x: auto; }
    #chart { min-height: 320px; }
    #chart:empty { min-height: 0; }
    ol { padding-left: 20px; }
    .crossover { font-weight: 600; margin: 4px 0 10px; }
  `,
  ];

  /** The page's device; when absent the view requests one itself. */
  gpu: { device: GPUDevice; adapter: string } | null = null;
  /** The whole ladder of `npm run bench` (every engine and product form; minutes) instead of the quick one. */
  full = false;
  maxSize: number = 1024;
  /** TF.js's webgpu and wasm backends too (its module loads only then). */
  includeTf = false;
  /** Overrides of the run's options (e.g. `{ rungs: ['xor', 'circle'] }`), applied over quick / max size. */
  options: Partial<BenchOptions> = {};
  protected running = false;
  protected progress: BenchProgress | null = null;
  protected products: ProductMeasurement[] = [];
  protected training: TrainMeasurement[] = [];
  protected results: BenchResults | null = null;
  protected error = '';
  /** The last run was cancelled (its partial measurements stay on view, not in the exports). */
  protected cancelled = false;
  protected view: ChartView = 'training';
  private abort: AbortController | null = null;
  private plot: uPlot | null = null;

  /** Keeps the chart as wide as the view (a window resized, a phone turned). */
  private resize = new ResizeObserver((entries) => {
    const width = Math.max(320, Math.floor(entries[entries.length - 1].contentRect.width));
    if (this.plot && width !== this.plot.width) this.plot.setSize({ width, height: this.plot.height });
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in a document after a removal, which destroyed the plot: watch and draw it again.
    if (this.hasUpdated) {
      this.resize.observe(this.renderRoot.querySelector('#chart')!);
      this.drawChart();
    }
  }

  protected override firstUpdated(): void {
    this.resize.observe(this.renderRoot.querySelector('#chart')!);
  }

  /** Partial results while running, the final ones after. */
  private runOptions(): BenchOptions {
    const base = this.full
      ? defaultOptions({ quick: true, maxSize: this.maxSize })
      : quickLadderOptions(this.maxSize, this.includeTf);
    const o = { ...base, ...this.options };
    if (!this.includeTf) o.engines = o.engines.filter((e) => !e.startsWith('tfjs'));
    return o;
  }

  private current(): BenchResults {
    const o = this.runOptions();
    return (
      this.results ?? {
        schema: 1,
        date: '',
        durationS: 0,
        options: {},
        ceiling: null,
        notes: [],
        environment: {
          runtime: '',
          machine: { cpu: '', cores: 0 },
          adapter: null,
          tfjsAdapter: null,
          driver: null,
          tfjsVersion: null,
          tfjsBackends: [],
        },
        products: this.products,
        training: this.training,
        rungs: o.rungs.map((id) => rungInfo(RUNGS.find((r) => r.id === id)!)),
      }
    );
  }

  private async run(): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.running = true;
    this.dispatchEvent(new BenchRunningEvent(true));
    this.error = '';
    this.cancelled = false;
    this.results = null;
    this.products = [];
    this.training = [];
    try {
      const opts = this.runOptions();
      const tfBackends = (['webgpu', 'wasm', 'cpu'] as const).filter((b) => opts.engines.includes(`tfjs-${b}`));
      const env = await browserEnv({ gpu: this.gpu, tfBackends: [...tfBackends] });
      if (signal.aborted) return;
      const results = await runBench(env, opts, {
        signal,
        onProgress: (p) => {
          this.progress = p;
        },
        onProduct: (m) => {
          this.products = [...this.products, m];
        },
        onTraining: (m) => {
          this.training = [...this.training, m];
        },
      });
      this.results = results;
      this.dispatchEvent(new BenchResultsEvent(results));
    } catch (e) {
      if ((e as Error).name === 'AbortError') this.cancelled = true;
      else this.error = (e as Error).message ?? String(e);
    } finally {
      this.running = false;
      this.abort = null;
      this.dispatchEvent(new BenchRunningEvent(false));
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('products') || changed.has('training') || changed.has('results') || changed.has('view'))
      this.drawChart();
  }

  private drawChart(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('#chart');
    if (!host) return;
    const r = this.current();
    const cols = chartColumns(r, this.view);
    this.plot?.destroy();
    this.plot = null;
    if (cols.x.length === 0 || cols.series.length === 0) return;
    const crossAt = this.view === 'forward' || this.view === 'training' ? crossover(r, this.view)?.x : null;
    const opts: uPlot.Options = {
      width: Math.max(320, host.clientWidth || 640),
      height: 320,
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
      // The report's tick labels: uPlot's own fixed-point ones print the tiny networks' GFLOP per
      // step (~1e-7) as 0. A log axis hands in null for the minor ticks it leaves unlabelled.
      axes: [
        { label: cols.xLabel, values: (_u, splits) => splits.map((v) => (v == null ? '' : shortNumber(v))) },
        { label: this.view === 'training' ? 'ms per step' : 'ms per product', size: 60 },
      ],
      series: [
        { label: cols.xLabel, value: (_u, v) => (v == null ? '--' : shortNumber(v)) },
        ...cols.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true, size: 5 } })),
      ],
      hooks: { draw: crossAt != null ? [(u: uPlot) => markCrossover(u, crossAt)] : [] },
    };
    this.plot = new uPlot(opts, [cols.x, ...cols.series.map((s) => s.y)] as uPlot.AlignedData, host);
  }

  /** A checkbox for one of the run's switches, locked while a run goes on. */
  private toggle(key: 'includeTf' | 'full', text: string, title = '') {
    const change = (e: Event) => {
      this[key] = (e.target as HTMLInputElement).checked;
    };
    return html`<label title=${title}><input type="checkbox" .checked=${this[key]} ?disabled=${this.running}
      @change=${change}> ${text}</label>`;
  }

  private exportRun(ext: 'json' | 'csv'): void {
    const name = `bench-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${ext}`;
    const r = this.results!;
    if (ext === 'json') download(name, JSON.stringify(r, null, 1));
    else download(name, toCsv(r), 'text/csv');
  }

  /** The run's controls: what to run, Run or Cancel, progress, exports. */
  private renderBar() {
    const p = this.progress;
    const size = (e: Event) => {
      this.maxSize = Number((e.target as HTMLSelectElement).value);
    };
    return html`<div class="bar">
        <button @click=${() => (this.running ? this.abort?.abort() : this.run())}>
          ${this.running ? 'Cancel' : 'Run benchmark'}</button>
        <label>up to <select aria-label="Largest product size" ?disabled=${this.running} @change=${size}>
          ${PRODUCT_SIZES.map((n) => html`<option value=${n} ?selected=${n === this.maxSize}>${n}³</option>`)}
        </select></label>
        ${this.toggle('includeTf', 'compare with TF.js')}
        ${this.toggle('full', 'full ladder (minutes)', FULL_LADDER_TITLE)}
        <button ?disabled=${!this.results} @click=${() => this.exportRun('json')}>Export JSON</button>
        <button ?disabled=${!this.results} @click=${() => this.exportRun('csv')}>Export CSV</button>
      </div>
      ${
        p && this.running
          ? html`<div class="bar"><progress aria-label="Benchmark progress" max=${p.total} .value=${p.done}></progress>
            <span class="muted" role="status">${p.done} of ${p.total} · ${p.phase}: ${p.label}</span></div>`
          : nothing
      }`;
  }

  /** Before a run, how long it will take; after, what ran where; or that it was cancelled. */
  private renderAbout() {
    if (this.cancelled)
      return html`<p role="status">Cancelled: the run stopped; what it measured so far is shown below and is not
        exported.</p>`;
    if (this.results)
      return html`<p class="muted">Adapter: ${this.results.environment.adapter ?? 'none'}.
        ${this.results.ceiling ? html`Ceiling ${this.results.ceiling.gflops.toFixed(1)} GFLOP/s.` : nothing}
        ${(this.results.durationS / 60).toFixed(1)} min.</p>`;
    if (this.running) return nothing;
    const adapter = this.gpu?.adapter ?? null;
    const minutes = Math.ceil(quickLadderSeconds(this.runOptions(), true) / 60);
    const about = `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
    const slow = `on a software adapter (a CPU standing in for the GPU) ${about}`;
    return html`<p class="muted">${
      this.full
        ? 'The full ladder takes several minutes on a laptop GPU, and ten or more on a software adapter.'
        : isSoftwareAdapter(adapter)
          ? `This adapter is a software one: the quick ladder takes ${about} here (about one on a laptop GPU).`
          : `The quick ladder takes about a minute on a laptop GPU; ${slow}.`
    }</p>`;
  }

  protected override render() {
    const r = this.current();
    const forms = this.runOptions().forms;
    const cross = this.view === 'forward' || this.view === 'training' ? crossover(r, this.view) : null;
    return html`
      ${this.renderBar()}
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${this.renderAbout()}
      <div class="bar">
        <label>chart <select @change=${(e: Event) => {
          this.view = (e.target as HTMLSelectElement).value as ChartView;
        }}>
          ${(['training', ...forms] as const).map(
            (v) =>
              html`<option value=${v} ?selected=${v === this.view}>
                ${v === 'training' ? 'training steps' : `${v} product`}</option>`,
          )}
        </select></label>
      </div>
      <div id="chart"></div>
      ${cross && (this.results || this.cancelled) ? html`<p class="crossover">${cross.text}</p>` : nothing}
      <div class="scroll">${reportTables(r).map(
        (t) => html`<table><caption>${t.title}</caption>
        <thead><tr>${t.head.map((h) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${t.rows.map((row) => html`<tr>${row.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`,
      )}</div>
    `;
  }
}

/** A dashed vertical line at `x` on the chart, labelled: from here on the GPU is the faster. */
function markCrossover(u: uPlot, x: number): void {
  const ctx = u.ctx;
  const left = u.valToPos(x, 'x', true);
  ctx.save();
  ctx.strokeStyle = '#1f2328';
  ctx.fillStyle = '#1f2328';
  ctx.lineWidth = devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(left, u.bbox.top);
  ctx.lineTo(left, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
  // Right of the line, or left of it where the line is near the right edge.
  const right = left > u.bbox.left + 0.6 * u.bbox.width;
  ctx.textAlign = right ? 'right' : 'left';
  ctx.fillText(
    'GPU faster from here →',
    left + (right ? -4 : 4) * devicePixelRatio,
    u.bbox.top + 14 * devicePixelRatio,
  );
  ctx.restore();
}

customElements.define('bench-view', BenchView);

declare global {
  interface HTMLElementTagNameMap {
    'bench-view': BenchView;
  }
}
