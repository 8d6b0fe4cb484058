/**
 * @file `<bench-page>`: the Benchmark page for the person using the playground. It answers two
 * questions on their own machine: how much faster is my GPU than my CPU for the network I built
 * ("Race this network": the playground's network, a few seconds on each backend), and from which
 * size on does the GPU win (`<bench-view>`'s quick ladder). It states the adapter and the
 * browser, says how to read the numbers, and exports both results as JSON and CSV.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { BenchRunningEvent } from '../bench/bench-view';
import '../bench/bench-view';
import { type RaceBackend, type RaceProgress, type RaceRow, raceCsv, raceNetwork } from '../bench/race';
import { foldWidths } from '../bench/spec';
import { download } from '../charts/download';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

/** The page's short text on what its numbers mean. */
const HOW_TO_READ = [
  html`Every number is measured here, now, on this machine; other tabs and programs slow it down. Each is the
    median of several timed windows, and the engines take turns, so a burst of load hits them alike.`,
  html`<b>Steps per second</b>: training updates, one batch each. <b>Samples per second</b>: steps times the
    batch size. Higher is faster; <b>ms</b> per step or per product is the same figure upside down.`,
  html`Statistics (the per-layer charts) cost time: the race shows the network with them and without, so you see
    what watching costs.`,
  html`A GPU pays a fixed cost per step (launching its kernels, reading results back), the CPU does not: small
    networks run faster on the CPU, and past some size the GPU wins. The chart below marks that size.`,
  html`A software adapter (SwiftShader, lavapipe, WARP) is your CPU pretending to be a GPU: its numbers say
    nothing about a real GPU.`,
];

const RACE_HEAD = ['backend', 'statistics', 'steps/s', 'samples/s', 'ms per step'];
/** Seconds each contestant of the race is timed. */
const RACE_SECONDS = 3;

/** "Chrome 131", "Firefox 133", "Safari 18": the browser's name and major version, from its user agent. */
function browserName(ua: string): string {
  for (const [name, re] of [
    ['Edge', /Edg\/(\d+)/],
    ['Opera', /OPR\/(\d+)/],
    ['Firefox', /Firefox\/(\d+)/],
    ['Chrome', /Chrom(?:e|ium)\/(\d+)/],
    ['Safari', /Version\/(\d+).*Safari/],
  ] as const) {
    const m = re.exec(ua);
    if (m) return `${name} ${m[1]}`;
  }
  return ua;
}

/** Three significant digits, or whole numbers with thousands separators from 100 on. */
const fmt = (v: number | undefined) =>
  v === undefined ? '' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);

/** Which backend trains the network faster, and by how much, in words. */
function ratioText(statistics: boolean, gpuOverCpu: number): TemplateResult {
  const [fast, slow, times] = gpuOverCpu >= 1 ? ['GPU', 'CPU', gpuOverCpu] : ['CPU', 'GPU', 1 / gpuOverCpu];
  const by = times >= 10 ? times.toFixed(0) : times.toFixed(times >= 1.995 ? 1 : 2);
  return html`With statistics ${statistics ? 'on' : 'off'}, the ${fast} trains this network <b>${by}×</b> as fast as
    the ${slow} (steps per second).`;
}

class BenchPage extends LitElement {
  static override properties: PropertyDeclarations = {
    store: { attribute: false },
    racing: { state: true },
    laddering: { state: true },
    progress: { state: true },
    rows: { state: true },
    raceNote: { state: true },
  };

  static override styles = [
    uiStyles,
    css`
    :host { max-width: 1100px; }
    section.card { margin-bottom: 12px; }
    .bar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 6px 0; }
    progress { width: 200px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0; }
    th, td { border-bottom: 1px solid #d0d7de; padding: 2px 10px; text-align: right; white-space: nowrap; }
    th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
    .scroll { overflow-x: auto; }
    ul { margin: 4px 0; padding-left: 20px; }
  `,
  ];

  declare store: PlaygroundStore;
  declare racing: boolean;
  /** The ladder below is running: a race now would share the GPU and CPU with it and skew both. */
  declare laddering: boolean;
  declare progress: RaceProgress | null;
  declare rows: RaceRow[] | null;
  /** What the last race ended with when it has no rows: cancelled, or why it could not run. */
  declare raceNote: string;
  private abort: AbortController | null = null;
  private raced: { date: string; network: string } | null = null;

  constructor() {
    super();
    // Redrawn when the network, the device or the data change, not on every training step.
    new StoreController(
      this,
      () => this.store,
      (s) => [s.state, s.gpu, s.data],
    );
    this.racing = false;
    this.laddering = false;
    this.progress = null;
    this.rows = null;
    this.raceNote = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private backends(): RaceBackend[] {
    const s = this.store;
    const shared = s.sharedDevice;
    return [
      shared
        ? { backend: 'gpu', opts: { backend: 'gpu', device: shared.device, adapter: shared.adapter } }
        : { backend: 'gpu', unavailable: s.gpu.reason ?? 'no WebGPU adapter in this browser' },
      { backend: 'cpu', opts: { backend: 'cpu' } },
    ];
  }

  private async race(): Promise<void> {
    const s = this.store;
    if (!s.data || !s.runs.every((r) => r.engine)) {
      this.raceNote = 'The playground has not built its network yet: race it once it is ready.';
      return;
    }
    if (s.playing) await s.pause();
    this.abort = new AbortController();
    this.racing = true;
    this.rows = null;
    this.raceNote = '';
    this.raced = { date: new Date().toISOString(), network: foldWidths(s.state.config.layers.map((l) => l.units)) };
    try {
      this.rows = await raceNetwork(
        s.state.config,
        s.data.train,
        this.backends(),
        (c, d, o) => s.createEngine(c, d, o),
        {
          clock: { now: () => performance.now(), settle: () => new Promise<void>((res) => setTimeout(res, 20)) },
          seconds: RACE_SECONDS,
          signal: this.abort.signal,
          onProgress: (p) => {
            this.progress = p;
          },
        },
      );
    } catch (e) {
      this.raceNote =
        (e as Error).name === 'AbortError' ? 'Cancelled: the race stopped and measured nothing.' : (e as Error).message;
    } finally {
      this.racing = false;
      this.progress = null;
      this.abort = null;
    }
  }

  /** The GPU's speed over the CPU's, with statistics on or off, when both were measured. */
  private ratio(statistics: boolean): number | null {
    const of = (b: string) => this.rows?.find((r) => r.backend === b && r.statistics === statistics)?.stepsPerSec;
    const gpu = of('gpu'),
      cpu = of('cpu');
    return gpu && cpu ? gpu / cpu : null;
  }

  private renderRaceResult(): TemplateResult | typeof nothing {
    if (!this.rows) return this.raceNote ? html`<p role="status">${this.raceNote}</p>` : nothing;
    const stamp = this.raced!.date.slice(0, 19).replace(/[:T]/g, '-');
    const json = () => ({
      ...this.raced,
      config: this.store.state.config,
      environment: this.environment(),
      rows: this.rows,
    });
    const ratios = [true, false].map((st) => [st, this.ratio(st)] as const).filter(([, r]) => r !== null);
    return html`<div class="scroll"><table>
        <thead><tr>${RACE_HEAD.map((h) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${this.rows.map(
          (r) => html`<tr><td>${r.backend.toUpperCase()}</td>
            <td>${r.statistics ? `every ${this.store.state.config.log_every} steps` : 'end of each window only'}</td>
            ${
              r.status === 'ok'
                ? [r.stepsPerSec, r.samplesPerSec, r.msPerStep].map((v) => html`<td>${fmt(v)}</td>`)
                : html`<td colspan="3">${r.status}: ${r.reason}</td>`
            }</tr>`,
        )}</tbody></table></div>
      ${ratios.map(([st, r]) => html`<p>${ratioText(st, r!)}</p>`)}
      <div class="bar">
        <button @click=${() => download(`race-${stamp}.json`, JSON.stringify(json(), null, 1))}>
          Export race JSON</button>
        <button @click=${() => download(`race-${stamp}.csv`, raceCsv(this.rows!), 'text/csv')}>Export race CSV</button>
      </div>`;
  }

  private environment() {
    return {
      adapter: this.store.sharedDevice?.adapter ?? null,
      browser: browserName(navigator.userAgent),
      cpuThreads: navigator.hardwareConcurrency ?? 0,
    };
  }

  private renderRace(): TemplateResult {
    const p = this.progress;
    const cfg = this.store.state.config;
    const widths = foldWidths(cfg.layers.map((l) => l.units));
    return html`<section class="card" aria-labelledby="race">
      <h2 id="race">Race this network</h2>
      <p>Trains the playground's network (${cfg.dataset.name}, layers ${widths}, batch ${cfg.batch_size}) for about
        ${RACE_SECONDS} seconds on each backend, with its statistics recorded as the playground records them and
        without; the playground pauses meanwhile.</p>
      <div class="bar">
        <button class="primary" ?disabled=${this.laddering} title=${this.laddering ? 'Wait for the ladder below' : ''}
          @click=${() => (this.racing ? this.abort?.abort() : this.race())}>
          ${this.racing ? 'Cancel' : 'Race GPU against CPU'}</button>
        ${
          p
            ? html`<progress aria-label="Race progress" max=${p.total} .value=${p.done}></progress>
              <span class="muted" role="status">${p.label}</span>`
            : nothing
        }
      </div>
      ${this.renderRaceResult()}
    </section>`;
  }

  override render(): TemplateResult {
    const env = this.environment();
    return html`
      <section class="card" aria-labelledby="bench-about">
        <h2 id="bench-about">How fast is your GPU, against your CPU?</h2>
        <p>GPU: ${env.adapter ?? 'none, so only the CPU runs'}
          · Browser: ${env.browser} · ${env.cpuThreads} CPU threads</p>
        <details>
          <summary>How to read the numbers</summary>
          <ul>${HOW_TO_READ.map((item) => html`<li>${item}</li>`)}</ul>
        </details>
      </section>
      ${this.renderRace()}
      <section class="card" aria-labelledby="crossover">
        <h2 id="crossover">Where the GPU starts to win</h2>
        <p>Our GPU and CPU engines on square matrix products from 64³ up, and on training networks from XOR to MNIST
          with eight layers of 512: time against size for both, and the size from which the GPU is faster.</p>
        <bench-view .gpu=${this.store.sharedDevice} @bench-running=${(e: BenchRunningEvent) => {
          this.laddering = e.running;
        }}></bench-view>
      </section>
    `;
  }
}

customElements.define('bench-page', BenchPage);

declare global {
  interface HTMLElementTagNameMap {
    'bench-page': BenchPage;
  }
}
