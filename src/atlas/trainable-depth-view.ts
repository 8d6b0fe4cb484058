/**
 * @file <trainable-depth-view>: the atlas's trainable-depth mode. A preset (or the user's own
 * JSON), Run and Cancel with progress, then the map of held-out accuracy over σ_w² and depth
 * with the mean-field theory's 6ξ_c over it. Takes its device like <atlas-view> (`.device`, or
 * `.backend = 'cpu'`); `data-state` is idle | running | done | error, for tests and styling.
 */
import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { theoryActivation } from '../core/theory/activation';
import { meanField } from '../core/theory/mean-field';
import { type DepthConfig, parseDepthConfig } from './depth/config';
import { DEPTH_PRESETS } from './depth/presets';
import { type DepthResult, runTrainableDepth } from './depth/run';
import { parseEditorConfig } from './progress';
import { RunView } from './run-view';
import { atlasStyles } from './styles';
import './trainable-depth-map';
import type { DepthScalePoint } from './trainable-depth-map';

/** Wider maps only stretch the cells: the figure stays readable at a glance. */
const MAP_MAX_WIDTH = 820;
/** Points of the theory's curve across the grid's σ_w² range. */
const CURVE_POINTS = 48;

/** ξ_c across the σ_w² range of `cfg`, for its activation and σ_b². */
function depthScaleCurve(cfg: DepthConfig, points = 32): DepthScalePoint[] {
  const act = theoryActivation(cfg.activation);
  const lo = Math.min(...cfg.weight_variances),
    hi = Math.max(...cfg.weight_variances);
  return Array.from({ length: CURVE_POINTS + 1 }, (_, i) => {
    const weightVariance = lo + ((hi - lo) * i) / CURVE_POINTS;
    const xiC = meanField({ act, weightVariance, biasVariance: cfg.bias_variance, points }).xiC;
    return { weightVariance, xiC };
  });
}

class TrainableDepthView extends RunView {
  static override styles = [
    atlasStyles,
    css`
      :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: 10px; }
      label { display: block; max-width: 100%; }
      select { max-width: 100%; }
      :host([hidden]) { display: none; }
      textarea { width: 100%; min-height: 11em; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; box-sizing: border-box; }
      progress { width: 180px; }
      .status { min-height: 1.4em; }
    `,
  ];
  static override properties: PropertyDeclarations = {
    result: { state: true },
    curve: { state: true },
    mapWidth: { state: true },
  };
  declare protected result: DepthResult | null;
  declare protected curve: DepthScalePoint[];
  declare protected mapWidth: number;
  private readonly resize = new ResizeObserver((entries) => {
    this.mapWidth = Math.max(240, Math.floor(entries[0].contentRect.width));
  });

  constructor() {
    super();
    this.text = JSON.stringify(DEPTH_PRESETS[0].config, null, 2);
    this.result = null;
    this.curve = [];
    this.mapWidth = 640;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  /** Parses the editor's config and runs it; resolves when done, failed or cancelled. */
  async run(): Promise<void> {
    const started = this.startRun(parseDepthConfig);
    if (!started) return;
    const { run, config: cfg } = started;
    this.result = null;
    this.curve = depthScaleCurve(cfg);
    const useGpu = this.backend === 'gpu' && this.device;
    try {
      const result = await runTrainableDepth(
        cfg,
        useGpu ? { backend: 'gpu', device: this.device! } : { backend: 'cpu' },
        { signal: run.signal, onProgress: this.progressOf(run) },
      );
      if (!run.current()) return;
      this.result = result;
      this.status = 'done';
      const networks = cfg.depths.length * cfg.weight_variances.length;
      this.message = `${networks} networks × ${cfg.steps} steps on the ${useGpu ? 'GPU' : 'CPU'} in ${result.seconds.toFixed(1)} s; accuracy on ${result.evaluationRows} ${result.evaluatedOn === 'test' ? 'held-out' : 'training'} rows`;
    } catch (e) {
      if (run.current()) this.showFailure(e as Error, 'idle');
    } finally {
      run.finish();
    }
  }

  private pickPreset(id: string): void {
    const preset = DEPTH_PRESETS.find((p) => p.id === id);
    if (preset) this.text = JSON.stringify(preset.config, null, 2);
  }

  override render(): TemplateResult {
    const running = this.status === 'running';
    let shown: DepthConfig | null = this.result?.config ?? null;
    if (!shown && running) {
      const read = parseEditorConfig(this.text, parseDepthConfig);
      shown = 'config' in read ? read.config : null;
    }
    return html`<section class="card" aria-label="trainable depth config">
        <h2>How deep can a network still learn?</h2>
        <p class="muted">A grid of deep networks, one per σ_w² and depth, all trained the same steps on the same
          batches, coloured by held-out accuracy. The dashed line is the mean-field theory's 6ξ_c: Schoenholz et al.
          (2017) found that networks much deeper than it do not train, and that only at the order-to-chaos
          transition, where ξ_c diverges, can very deep networks learn.</p>
        <div class="row">
          <label>Preset <select aria-label="Trainable-depth preset" @change=${(e: Event) => this.pickPreset((e.target as HTMLSelectElement).value)}>
            ${DEPTH_PRESETS.map((p) => html`<option value=${p.id}>${p.title}</option>`)}
          </select></label>
        </div>
        <textarea aria-label="trainable depth config (JSON)" spellcheck="false" .value=${this.text}
          @input=${(e: Event) => {
            this.text = (e.target as HTMLTextAreaElement).value;
          }}></textarea>
        <div class="row">
          <button class="primary" ?disabled=${running} @click=${() => this.run()}>Run</button>
          <button ?disabled=${!running} @click=${() => this.cancel()}>Cancel</button>
          ${running ? html`<progress max="1" .value=${this.progress} aria-label="steps trained"></progress>` : nothing}
          <span class="status ${this.status === 'error' ? 'error' : 'muted'}" role="status">${
            this.status === 'error' ? `error: ${this.message}` : this.message
          }</span>
        </div>
      </section>
      ${
        shown
          ? html`<section class="card" aria-label="trainable depth map">
              <h2>Held-out accuracy after ${shown.steps} steps, ${shown.activation.name}, σ_b² = ${shown.bias_variance}</h2>
              <trainable-depth-map .config=${shown} .accuracy=${this.result?.accuracy ?? null} .curve=${this.curve}
                .width=${Math.min(MAP_MAX_WIDTH, this.mapWidth - 28)}></trainable-depth-map>
            </section>`
          : nothing
      }`;
  }
}

if (!customElements.get('trainable-depth-view')) customElements.define('trainable-depth-view', TrainableDepthView);

declare global {
  interface HTMLElementTagNameMap {
    'trainable-depth-view': TrainableDepthView;
  }
}
