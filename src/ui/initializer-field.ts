/**
 * @file <initializer-field>: one Keras initializer with its parameters (stddev, minval/maxval,
 * scale/mode/distribution, gain, value). Values are checked by the engine's `parseInitializer`,
 * so the field refuses exactly what a config file would, with the same message; a valid change
 * is sent up as an InitializerChangeEvent and the parent decides where it goes.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ConfigError } from '../core/errors';
import { INITIALIZER_NAMES, parseInitializer } from '../core/initializers';
import type { Initializer } from '../core/types';
import { InitializerChangeEvent } from './events';
import { uiStyles } from './styles';

/** Fixed parameters of the named VarianceScaling presets, shown as a hint. */
const PRESET_HINT: Record<string, string> = {
  glorot_uniform: 'U(±√(6/(fan_in+fan_out)))',
  glorot_normal: 'N(0, 2/(fan_in+fan_out)), truncated',
  he_uniform: 'U(±√(6/fan_in))',
  he_normal: 'N(0, 2/fan_in), truncated',
  lecun_uniform: 'U(±√(3/fan_in))',
  lecun_normal: 'N(0, 1/fan_in), truncated',
  zeros: 'all 0',
  ones: 'all 1',
};

type Params = Record<string, number | string>;

class InitializerField extends LitElement {
  static override styles = [
    uiStyles,
    css`
    :host { display: block; }
    .params { display: flex; flex-wrap: wrap; gap: 4px 6px; margin-top: 3px; }
    .params label { display: inline-flex; gap: 3px; align-items: center; font-size: 11.5px; color: #424a53; }
    .params input { width: 5.5em; padding: 1px 4px; }
    .params select { width: auto; padding: 1px 4px; }
    .hint { font-size: 11px; color: #57606a; margin-top: 2px; }
  `,
  ];
  static override properties: PropertyDeclarations = {
    value: { attribute: false },
    label: { type: String },
    kernelOnly: { type: Boolean, attribute: 'kernel-only' },
    error: { state: true },
  };

  declare value: Initializer;
  /** Accessible name of the select, e.g. "Layer 3 kernel initializer". */
  declare label: string;
  /** Offer orthogonal and identity (they need a 2-D kernel, not a bias). */
  declare kernelOnly: boolean;
  declare error: string | null;

  constructor() {
    super();
    this.value = { name: 'zeros' };
    this.label = 'initializer';
    this.kernelOnly = false;
    this.error = null;
  }

  private params(): Params {
    const { name: _name, ...rest } = this.value as Initializer & Params;
    return rest as Params;
  }

  private emit(name: string, params: Params): void {
    try {
      const init = parseInitializer({ name, ...params }, 'value');
      this.error = null;
      this.dispatchEvent(new InitializerChangeEvent(init));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.error = e.message.replace(/^value\.?/, '').trim();
    }
  }

  private onName(e: Event): void {
    // A new name starts from its Keras defaults.
    this.emit((e.target as HTMLSelectElement).value, {});
  }

  private onParam(key: string, raw: string, numeric: boolean): void {
    const v = numeric ? Number(raw) : raw;
    this.emit(this.value.name, { ...this.params(), [key]: numeric && raw.trim() === '' ? NaN : v });
  }

  private num(key: string, v: number): TemplateResult {
    return html`<label>${key}<input type="number" step="any" .value=${String(v)} aria-label="${this.label} ${key}"
      aria-invalid=${this.error?.startsWith(key) ? 'true' : 'false'}
      @change=${(e: Event) => this.onParam(key, (e.target as HTMLInputElement).value, true)} /></label>`;
  }

  private choice(key: string, v: string, options: string[]): TemplateResult {
    return html`<label>${key}<select aria-label="${this.label} ${key}"
      @change=${(e: Event) => this.onParam(key, (e.target as HTMLSelectElement).value, false)}>
      ${options.map((o) => html`<option .selected=${o === v}>${o}</option>`)}</select></label>`;
  }

  private paramFields(): TemplateResult | typeof nothing {
    const v = this.value;
    switch (v.name) {
      case 'constant':
        return this.num('value', v.value);
      case 'random_normal':
      case 'truncated_normal':
        return html`${this.num('mean', v.mean)}${this.num('stddev', v.stddev)}`;
      case 'random_uniform':
        return html`${this.num('minval', v.minval)}${this.num('maxval', v.maxval)}`;
      case 'orthogonal':
      case 'identity':
        return this.num('gain', v.gain);
      case 'variance_scaling':
        return html`${this.num('scale', v.scale)}${this.choice('mode', v.mode, ['fan_in', 'fan_out', 'fan_avg'])}${this.choice('distribution', v.distribution, ['truncated_normal', 'untruncated_normal', 'uniform'])}`;
      default:
        return nothing;
    }
  }

  override render(): TemplateResult {
    const names = INITIALIZER_NAMES.filter((n) => this.kernelOnly || (n !== 'orthogonal' && n !== 'identity'));
    const fields = this.paramFields();
    const hint = PRESET_HINT[this.value.name];
    return html`<select aria-label=${this.label} @change=${this.onName}>
        ${names.map((n) => html`<option value=${n} .selected=${n === this.value.name}>${n}</option>`)}
      </select>
      ${fields === nothing ? nothing : html`<div class="params">${fields}</div>`}
      ${hint && fields === nothing ? html`<div class="hint">${hint}</div>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

customElements.define('initializer-field', InitializerField);

declare global {
  interface HTMLElementTagNameMap {
    'initializer-field': InitializerField;
  }
}
