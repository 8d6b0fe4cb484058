/**
 * @file <train-bar>: play, pause, one step, reset (same seed), new seed, single or compare mode,
 * and the live status line (role="status"): backend, phase, step, epoch, the recent batches' loss
 * and accuracy, the whole training set's (and test set's) at the latest evaluation, and samples
 * per second. Each figure says what it was measured on, so no two numbers on the page disagree
 * unexplained. Its text is what a screen reader announces and what the browser tests read.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { formatPercent } from '../charts/scale';
import { describeBuild } from './state/build';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

const PHASE_TEXT: Record<string, string> = {
  starting: 'Starting',
  building: 'Building',
  cancelled: 'Not built (cancelled)',
  ready: 'Ready',
  playing: 'Training',
  paused: 'Paused',
  done: 'Done',
  error: 'Stopped',
  lost: 'GPU lost',
};

function formatRate(v: number): string {
  if (!(v > 0)) return '0';
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(0);
}

/** Accuracies read the same everywhere on the page (the charts' percentages), so equal numbers look equal. */
export function formatAccuracy(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '–' : formatPercent(v);
}

export function formatLoss(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
}

class TrainBar extends LitElement {
  static override styles = [
    uiStyles,
    css`
    :host { display: block; }
    .bar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; background: #fff; border: 1px solid #d0d7de;
      border-radius: 8px; padding: 8px 10px; }
    .buttons { display: flex; flex-wrap: wrap; gap: 6px; }
    button.play { min-width: 5.5em; }
    .mode { display: inline-flex; border: 1px solid #afb8c1; border-radius: 6px; overflow: hidden; }
    .mode button { border: none; border-radius: 0; }
    .mode button[aria-pressed='true'] { background: #1f2328; color: #fff; }
    .building { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; flex: 1 1 100%; }
    .building progress { width: 160px; }
    [role='status'] { flex: 1 1 320px; margin: 0; font-variant-numeric: tabular-nums; font-size: 12.5px; }
    .backend { font-weight: 700; padding: 1px 6px; border-radius: 4px; background: #ddf4ff; color: #0550ae; }
    .backend.cpu { background: #fff8c5; color: #7d4e00; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false } };
  declare store: PlaygroundStore;

  constructor() {
    super();
    new StoreController(this, () => this.store);
  }

  private status(): TemplateResult {
    const s = this.store;
    const run = s.runs[0];
    const rec = run?.history.latest;
    const engine = run?.engine;
    const backend = s.backend === 'gpu' ? 'GPU' : 'CPU';
    const step = engine?.step ?? rec?.step ?? 0;
    const total = engine?.totalSteps ?? 0;
    const perEpoch = total > 0 && s.state.config.epochs > 0 ? total / s.state.config.epochs : 0;
    const epoch = rec?.epoch ?? 0;
    const acc = formatAccuracy(rec?.accuracy);
    const ev = run?.history.evaluation;
    const at = ev && ev.step !== step ? ` (step ${ev.step.toLocaleString('en-US')})` : '';
    return html`<p role="status" aria-live="polite" aria-atomic="true" data-backend=${backend.toLowerCase()}
        data-phase=${s.phase} data-step=${step} data-accuracy=${rec?.accuracy ?? ''} data-loss=${rec?.loss ?? ''}
        data-train-accuracy=${ev?.train.accuracy ?? ''}>
      <span class="backend ${backend.toLowerCase()}" title=${s.backend === 'gpu' ? (s.gpu.adapter ?? '') : (engine?.adapter ?? 'CPU backend')}>${backend}</span>
      ${PHASE_TEXT[s.phase]}${s.runs.length > 1 ? ` · ${s.runs.length} runs (${run?.label} shown)` : ''}
      · step ${step.toLocaleString('en-US')} · epoch ${epoch.toLocaleString('en-US')}${perEpoch ? ` of ${s.state.config.epochs.toLocaleString('en-US')}` : ''}
      · <span title="Mean over the batches since the previous record, each taken before its update">recent batches: loss ${formatLoss(rec?.loss)}, accuracy ${acc}</span>
      ${ev ? html` · <span title="Every sample of the training set, with the weights at that step">training set${at}: loss ${formatLoss(ev.train.loss)}, accuracy ${formatAccuracy(ev.train.accuracy)}</span>` : nothing}
      ${ev?.test ? html` · test set: loss ${formatLoss(ev.test.loss)}, accuracy ${formatAccuracy(ev.test.accuracy)}` : nothing}
      · ${formatRate(s.samplesPerSec)} samples/s
    </p>`;
  }

  /** While a network builds: how far, and a way out (an edit cancels it too). */
  private buildProgress(): TemplateResult {
    const s = this.store;
    const b = s.build ? describeBuild(s.build) : { text: 'starting', done: 0, total: 0 };
    return html`<div class="building">
      ${
        b.total > 0
          ? html`<progress aria-label="Building the network" max=${b.total} .value=${b.done}></progress>`
          : html`<progress aria-label="Building the network"></progress>`
      }
      <span class="muted">Building: ${b.text}${s.runs.length > 1 ? ` (${s.runs.length} runs)` : ''}</span>
      <button class="small" @click=${() => s.cancelBuild()}>Cancel</button>
    </div>`;
  }

  override render(): TemplateResult {
    const s = this.store;
    const busy = s.phase === 'building' || s.phase === 'starting';
    const broken = s.phase === 'error' || s.phase === 'lost';
    const compare = s.state.mode === 'compare';
    return html`<div class="bar" role="toolbar" aria-label="Training controls">
      <div class="buttons">
        ${
          s.playing
            ? html`<button class="primary play" @click=${() => s.pause()} aria-keyshortcuts="Space">Pause</button>`
            : html`<button class="primary play" @click=${() => s.play()} ?disabled=${broken} aria-keyshortcuts="Space">${s.phase === 'done' ? 'Continue' : 'Play'}</button>`
        }
        <button @click=${() => s.stepOnce()} ?disabled=${busy || broken || s.phase === 'cancelled'}>Step</button>
        <button @click=${() => s.reset()} ?disabled=${busy || broken} title="Re-initialize with the same seed">Reset</button>
        <button @click=${() => s.newSeed()} title="Re-initialize and re-sample with a new seed">New seed</button>
      </div>
      ${busy ? this.buildProgress() : nothing}
      <div class="mode" role="group" aria-label="Mode">
        <button aria-pressed=${String(!compare)} @click=${() => s.setState({ mode: 'single' })}>One run</button>
        <button aria-pressed=${String(compare)} @click=${() => s.setState({ mode: 'compare' })} title="Train the same network with several kernel initializers at once">Compare initializers</button>
      </div>
      ${this.status()}
    </div>`;
  }
}

customElements.define('train-bar', TrainBar);

declare global {
  interface HTMLElementTagNameMap {
    'train-bar': TrainBar;
  }
}
