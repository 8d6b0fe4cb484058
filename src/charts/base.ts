/**
 * @file The two base classes of the chart elements.
 *
 * `FrameElement` gives every chart the same frame (title, subtitle, controls, body, legend),
 * its body width from a ResizeObserver, and Lit updates deferred to the shared animation
 * frame (frame.ts): property changes in the same frame coalesce into one render, and drawing
 * (`draw`, after render) happens only there. `RunsChartElement` adds `.runs` and the per-frame
 * check of the histories' versions, plus the picker used by charts that show one run at a time.
 */
import {
  type CSSResultGroup,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { fitCanvas } from './canvas';
import { type FrameClient, nextFrame, runsKey, unwatchFrames, watchFrames } from './frame';
import { chartStyles } from './styles';
import type { ChartRun } from './types';

export abstract class FrameElement extends LitElement {
  static override styles: CSSResultGroup = chartStyles;
  static override properties: PropertyDeclarations = {
    heading: { type: String },
    height: { type: Number },
    bodyWidth: { state: true },
  };

  /** Overrides the chart's own title. */
  declare heading: string | undefined;
  /** Height of the plot area in CSS pixels (each chart has its own default). */
  declare height: number;
  /** Width available to the plot, from the ResizeObserver (0 until laid out). */
  declare protected bodyWidth: number;
  private ro: ResizeObserver | null = null;

  constructor() {
    super();
    this.bodyWidth = 0;
    this.height = 260;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[entries.length - 1].contentRect.width);
      if (w !== this.bodyWidth) this.bodyWidth = w;
    });
    if (this.hasUpdated) this.observeBody();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ro?.disconnect();
    this.ro = null;
  }

  protected override firstUpdated(): void {
    this.observeBody();
  }

  private observeBody(): void {
    const body = this.renderRoot.querySelector('.body');
    if (body && this.ro) this.ro.observe(body);
  }

  /** Lit's update, moved into the shared animation frame. */
  protected override async scheduleUpdate(): Promise<void> {
    await nextFrame();
    super.scheduleUpdate();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.bodyWidth > 0) this.draw();
  }

  /** Paints the canvases for the current properties; runs after render, inside a frame. */
  protected abstract draw(): void;

  /** The chart's canvas sized to width × height CSS pixels (see fitCanvas), or null before it is rendered. */
  protected fitBodyCanvas(width: number, height: number): CanvasRenderingContext2D | null {
    const canvas = this.renderRoot.querySelector('canvas');
    return canvas ? fitCanvas(canvas, width, height) : null;
  }

  /** The common figure. `body` must not be re-rendered by Lit where a plot library owns it. */
  protected frame(
    title: string,
    subtitle: string | TemplateResult,
    controls: TemplateResult | typeof nothing,
    body: TemplateResult,
    legend: TemplateResult | typeof nothing = nothing,
  ): TemplateResult {
    return html`<figure aria-label=${this.heading ?? title}>
      <header>
        <div class="titles">
          <h3 class="title">${this.heading ?? title}</h3>
          ${subtitle ? html`<p class="subtitle">${subtitle}</p>` : nothing}
        </div>
        ${controls === nothing ? nothing : html`<div class="controls" data-no-export>${controls}</div>`}
      </header>
      <div class="body">${body}</div>
      ${legend}
    </figure>`;
  }
}

export abstract class RunsChartElement extends FrameElement implements FrameClient {
  static override properties: PropertyDeclarations = {
    runs: { attribute: false },
    primary: { type: Number, reflect: true },
  };

  /** The runs to draw: one normally, several when initializers are compared. */
  declare runs: ChartRun[];
  /** Index in `runs` of the run shown by charts that show one run at a time. */
  declare primary: number;
  private drawnKey = '';

  constructor() {
    super();
    this.runs = [];
    this.primary = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    watchFrames(this);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unwatchFrames(this);
  }

  /** Called by the shared loop each frame: update only when some history changed. */
  frameTick(): void {
    if (runsKey(this.runs ?? []) !== this.drawnKey) this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.drawnKey = runsKey(this.runs ?? []);
  }

  /** The run shown by one-run-at-a-time charts. */
  protected get primaryRun(): ChartRun | undefined {
    const n = this.runs.length;
    return n === 0 ? undefined : this.runs[Math.min(n - 1, Math.max(0, Math.floor(this.primary || 0)))];
  }

  /** A run selector, shown only in compare mode. */
  protected runPicker(): TemplateResult | typeof nothing {
    if (this.runs.length < 2) return nothing;
    const selected = this.runs.indexOf(this.primaryRun!);
    return html`<label>run
      <select @change=${(e: Event) => {
        this.primary = Number((e.target as HTMLSelectElement).value);
      }}>
        ${this.runs.map((r, i) => html`<option value=${i} ?selected=${i === selected}>${r.label}</option>`)}
      </select></label>`;
  }
}

/** A labelled checkbox bound to a boolean property. */
export function toggle(label: string, checked: boolean, set: (v: boolean) => void): TemplateResult {
  return html`<label><input type="checkbox" .checked=${checked}
    @change=${(e: Event) => set((e.target as HTMLInputElement).checked)} />${label}</label>`;
}
