/**
 * @file <digit-grid>: for MNIST, a grid of test digits, each framed green when predicted right
 * and red, thicker, with the predicted label in a corner badge when wrong (the badge and frame
 * width tell them apart without colour).
 *
 *   <digit-grid .images=${x} .labels=${y} .predicted=${yhat} max="60"></digit-grid>
 */
import { type CSSResultGroup, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { FrameElement } from './base';
import { putPixels } from './canvas';
import { DIGIT, digitLayout, digitPixels, digitScore } from './digit-data';
import { legend } from './legend';
import { centredCanvasStyles } from './styles';

const RIGHT = '#009E73';
const WRONG = '#D55E00';

export class DigitGrid extends FrameElement {
  static override styles: CSSResultGroup = centredCanvasStyles;
  static override properties: PropertyDeclarations = {
    images: { attribute: false },
    labels: { attribute: false },
    predicted: { attribute: false },
    max: { type: Number },
    caption: { type: String },
  };

  /** n × 784 intensities in [0, 1] (ink = 1), row-major 28 × 28 per digit. */
  declare images: Float32Array | null;
  /** True classes and predicted classes, n each. */
  declare labels: ArrayLike<number> | null;
  declare predicted: ArrayLike<number> | null;
  /** At most this many digits are shown (default 60). */
  declare max: number;
  declare caption: string;
  private tile: HTMLCanvasElement | null = null;

  constructor() {
    super();
    this.images = null;
    this.labels = null;
    this.predicted = null;
    this.max = 60;
    this.caption = '';
  }

  private get count(): number {
    const n = Math.floor((this.images?.length ?? 0) / (DIGIT * DIGIT));
    return Math.min(n, this.labels?.length ?? 0, this.predicted?.length ?? 0, this.max);
  }

  override render(): TemplateResult {
    const n = this.count;
    const s = digitScore(this.labels ?? [], this.predicted ?? [], n);
    const sub =
      n === 0
        ? 'Waiting for predictions…'
        : `${this.caption ? `${this.caption} · ` : ''}${s.right} right, ${s.wrong} wrong of ${n} test digits shown`;
    return this.frame(
      'Test digits',
      sub,
      nothing,
      html`<canvas role="img" aria-label=${`${n} test digits, ${s.wrong} predicted wrong`}></canvas>`,
      legend([
        { label: 'right', color: RIGHT, style: 'line' },
        { label: 'wrong (predicted label in the corner)', color: WRONG, style: 'line' },
      ]),
    );
  }

  protected draw(): void {
    const n = this.count;
    const L = digitLayout(n, this.bodyWidth, this.max);
    const ctx = this.fitBodyCanvas(L.cols * L.cell, Math.max(1, L.rows * L.cell));
    if (!ctx || n === 0) return;
    const size = DIGIT * L.scale;
    ctx.imageSmoothingEnabled = false;
    for (let i = 0; i < n; i++) {
      const x = (i % L.cols) * L.cell + 6,
        y = Math.floor(i / L.cols) * L.cell + 6;
      this.tile = putPixels(this.tile, digitPixels(this.images!, i), DIGIT, DIGIT);
      ctx.drawImage(this.tile, x, y, size, size);
      const ok = this.labels![i] === this.predicted![i];
      ctx.strokeStyle = ok ? RIGHT : WRONG;
      ctx.lineWidth = ok ? 2 : 3.5;
      ctx.strokeRect(x - ctx.lineWidth / 2, y - ctx.lineWidth / 2, size + ctx.lineWidth, size + ctx.lineWidth);
      if (!ok) {
        const b = 7 + 4 * L.scale;
        ctx.fillStyle = WRONG;
        ctx.fillRect(x + size - b, y, b, b);
        ctx.fillStyle = '#fff';
        ctx.font = `600 ${b - 3}px system-ui, sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(String(this.predicted![i]), x + size - b / 2, y + b / 2 + 0.5);
      }
    }
  }
}

customElements.define('digit-grid', DigitGrid);

declare global {
  interface HTMLElementTagNameMap {
    'digit-grid': DigitGrid;
  }
}
