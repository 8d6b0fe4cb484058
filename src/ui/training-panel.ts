/**
 * @file <training-panel>: how the network learns: loss, optimizer and its parameters, batch
 * size, epochs, how often statistics are recorded, the seed, and the backend (GPU or CPU).
 */
import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { LOSSES, OPTIMIZERS } from '../core/config';
import type { OptimizerConfig } from '../core/types';
import type { BackendName } from '../train/engine';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

/** Each optimizer's numeric parameters, in the order Keras lists them. */
const OPT_PARAMS: Record<OptimizerConfig['name'], string[]> = {
  sgd: ['learning_rate', 'momentum'],
  adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon'],
  rmsprop: ['learning_rate', 'rho', 'epsilon'],
};

class TrainingPanel extends LitElement {
  static override styles = [uiStyles];
  static override properties: PropertyDeclarations = { store: { attribute: false } };
  declare store: PlaygroundStore;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.stateVersion, s.gpu.status],
    );
  }

  private set(key: string, value: unknown): void {
    void this.store.setConfigDoc({ ...this.store.configDoc(), [key]: value });
  }

  private setOpt(patch: Record<string, unknown>): void {
    const o = this.store.configDoc().optimizer as Record<string, unknown>;
    // A new optimizer starts from its Keras defaults (its parameters differ).
    this.set('optimizer', patch.name ? { name: patch.name } : { ...o, ...patch });
  }

  private num(
    label: string,
    value: number,
    set: (v: number) => void,
    attrs: { min?: number; max?: number; step?: string } = {},
  ): TemplateResult {
    return html`<label class="field">${label}<input type="number" min=${attrs.min ?? ''} max=${attrs.max ?? ''} step=${attrs.step ?? 'any'}
      .value=${String(value)} @change=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} /></label>`;
  }

  override render(): TemplateResult {
    const s = this.store;
    const c = s.state.config;
    const o = c.optimizer as OptimizerConfig & Record<string, number | boolean>;
    const gpuOk = s.gpu.status === 'ready';
    return html`<section class="card" aria-labelledby="train-h">
      <h2 id="train-h">Training</h2>
      <div class="fields">
        <label class="field">Loss
          <select @change=${(e: Event) => this.set('loss', (e.target as HTMLSelectElement).value)}>
            ${LOSSES.map((l) => html`<option .selected=${l === c.loss}>${l}</option>`)}
          </select></label>
        <label class="field">Optimizer
          <select @change=${(e: Event) => this.setOpt({ name: (e.target as HTMLSelectElement).value })}>
            ${OPTIMIZERS.map((n) => html`<option .selected=${n === o.name}>${n}</option>`)}
          </select></label>
        ${OPT_PARAMS[o.name].map((k) => this.num(k, o[k] as number, (v) => this.setOpt({ [k]: v }), { min: 0 }))}
        ${
          o.name === 'sgd'
            ? html`<label class="inline"><input type="checkbox" .checked=${o.nesterov}
          @change=${(e: Event) => this.setOpt({ nesterov: (e.target as HTMLInputElement).checked })} />nesterov</label>`
            : nothing
        }
        ${this.num('Batch size', c.batch_size, (v) => this.set('batch_size', v), { min: 1, step: '1' })}
        ${this.num('Epochs', c.epochs, (v) => this.set('epochs', v), { min: 0, step: '1' })}
        ${this.num('Record every (steps)', c.log_every, (v) => this.set('log_every', v), { min: 1, step: '1' })}
        <label class="field">Seed
          <span class="row" style="flex-wrap:nowrap">
            <input type="number" min="0" step="1" .value=${String(c.seed)} aria-label="Seed"
              @change=${(e: Event) => this.set('seed', Number((e.target as HTMLInputElement).value))} />
          </span></label>
        <label class="field">Backend
          <select @change=${(e: Event) => void s.setState({ backend: (e.target as HTMLSelectElement).value as BackendName })}>
            <option value="gpu" .selected=${s.state.backend === 'gpu'} ?disabled=${!gpuOk}>GPU (WebGPU)${gpuOk ? '' : ' — unavailable'}</option>
            <option value="cpu" .selected=${s.state.backend === 'cpu' || !gpuOk}>CPU (WebAssembly)</option>
          </select></label>
      </div>
      <p class="muted">Record every N steps: statistics are reduced on the ${s.backend === 'gpu' ? 'GPU' : 'CPU'} at those steps; fewer records train faster.</p>
    </section>`;
  }
}

customElements.define('training-panel', TrainingPanel);

declare global {
  interface HTMLElementTagNameMap {
    'training-panel': TrainingPanel;
  }
}
