/**
 * @file <app-banners>: what the user must know before anything else, in plain words: no WebGPU
 * here (and which browsers have it; everything still runs on the CPU), a link that could not be
 * used (naming the bad field), a lost GPU device (with a restart button), or a network the
 * engine refused (naming the field).
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { WEBGPU_BROWSERS } from '../gpu/browser-device';
import type { PlaygroundStore } from './state/store';
import { StoreController } from './store-controller';
import { uiStyles } from './styles';

class AppBanners extends LitElement {
  static override styles = [
    uiStyles,
    css`
    :host { display: grid; gap: 6px; }
    .banner { border-radius: 8px; padding: 8px 12px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
    .banner p { margin: 0; flex: 1 1 300px; }
    .note { background: #fff8c5; border: 1px solid #d4a72c; }
    .alert { background: #ffebe9; border: 1px solid #ff8182; }
  `,
  ];
  static override properties: PropertyDeclarations = { store: { attribute: false }, urlDismissed: { state: true } };
  declare store: PlaygroundStore;
  declare urlDismissed: boolean;

  constructor() {
    super();
    new StoreController(
      this,
      () => this.store,
      (s) => [s.gpu.status, s.gpu.reason, s.phase, s.message, s.urlErrors, s.state.backend],
    );
    this.urlDismissed = false;
  }

  override render(): TemplateResult {
    const s = this.store;
    const out: TemplateResult[] = [];
    if (s.gpu.status === 'unavailable') {
      out.push(html`<div class="banner note" role="note" id="webgpu-banner"><p><strong>No WebGPU here:</strong> ${s.gpu.reason}.
        Everything still works on the CPU backend, only slower. For GPU training use ${WEBGPU_BROWSERS}.</p></div>`);
    }
    if (s.gpu.status === 'lost' && s.phase !== 'lost') {
      out.push(html`<div class="banner note" role="note" id="gpu-lost-note"><p>The GPU device was lost (${s.gpu.reason}); training runs on the CPU for now.</p>
        <button class="small" @click=${() => s.restart()}>Get a new GPU device</button></div>`);
    }
    if (s.urlErrors.length && !this.urlDismissed) {
      out.push(html`<div class="banner alert" role="alert" id="url-banner"><p><strong>This link's settings could not be used:</strong>
        ${s.urlErrors.join('; ')}. The defaults are shown instead.</p>
        <button class="small" @click=${() => {
          this.urlDismissed = true;
        }}>Dismiss</button></div>`);
    }
    if (s.phase === 'lost') {
      out.push(html`<div class="banner alert" role="alert" id="lost-banner"><p>${s.message}</p>
        <button class="primary" @click=${() => s.restart()}>Restart on a new device</button>
        <button @click=${() => s.setState({ backend: 'cpu' })}>Use the CPU instead</button></div>`);
    } else if (s.phase === 'error' && s.message) {
      out.push(html`<div class="banner alert" role="alert" id="error-banner"><p><strong>Cannot train this network:</strong> ${s.message}</p>
        <button class="small" @click=${() => s.restart()}>Try again</button></div>`);
    }
    return out.length ? html`${out}` : html`${nothing}`;
  }
}

customElements.define('app-banners', AppBanners);

declare global {
  interface HTMLElementTagNameMap {
    'app-banners': AppBanners;
  }
}
