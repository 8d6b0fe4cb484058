/**
 * @file <data-preview>: a glance at the data before training: the points of a 2-D set coloured by
 * class (test points as rings), a row of MNIST digits, or for wider data the first two features.
 */
import { css, html, LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { pointsExtent } from '../charts/boundary-data';
import { CLASS_COLORS, RUN_COLORS } from '../charts/palette';
import type { Dataset, SplitDataset } from '../core/types';

const SIZE = 160;
const DIGITS = 8;

class DataPreview extends LitElement {
  static override styles = css`
    :host { display: block; }
    canvas { display: block; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; max-width: 100%; }
    p { margin: 4px 0 0; font-size: 12px; color: #57606a; }
  `;
  static override properties: PropertyDeclarations = { data: { attribute: false } };
  declare data: SplitDataset | null;

  constructor() {
    super();
    this.data = null;
  }

  private get digits(): boolean {
    return this.data?.train.inputDim === 784;
  }

  override render(): TemplateResult {
    const d = this.data;
    if (!d) return html`<p>Loading data…</p>`;
    const t = d.train;
    const n = t.n + (d.test?.n ?? 0);
    const what = this.digits
      ? `${n.toLocaleString('en-US')} digits`
      : t.inputDim === 2
        ? `${n} points`
        : `${n} rows × ${t.inputDim} features (first two shown)`;
    const split = d.test ? ` · ${t.n} train / ${d.test.n} test` : '';
    const label = this.digits ? 'The first training digits' : 'Training points coloured by class, test points as rings';
    return html`<canvas role="img" aria-label=${label}></canvas><p>${what}, ${t.classes} classes${split}</p>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('data') || !this.data) return;
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    if (this.digits) drawDigits(canvas, this.data.train);
    else drawPoints(canvas, this.data);
  }
}

function setup(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const dpr = Math.max(1, globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function classColor(c: number, classes: number): string {
  return classes <= 2 ? (CLASS_COLORS[c] ?? '#888') : RUN_COLORS[c % RUN_COLORS.length];
}

function drawPoints(canvas: HTMLCanvasElement, d: SplitDataset): void {
  const ctx = setup(canvas, SIZE, SIZE);
  const pick = (ds: Dataset) => {
    const p = new Float32Array(ds.n * 2);
    for (let i = 0; i < ds.n; i++) {
      p[2 * i] = ds.x[i * ds.inputDim];
      p[2 * i + 1] = ds.x[i * ds.inputDim + 1] ?? 0;
    }
    return p;
  };
  const train = pick(d.train),
    test = d.test ? pick(d.test) : new Float32Array(0);
  const all = new Float32Array(train.length + test.length);
  all.set(train);
  all.set(test, train.length);
  const e = pointsExtent(all, 0.05);
  const sx = (x: number) => ((x - e.xmin) / (e.xmax - e.xmin)) * SIZE;
  const sy = (y: number) => SIZE - ((y - e.ymin) / (e.ymax - e.ymin)) * SIZE;
  const r = d.train.n > 1000 ? 1.5 : 2.5;
  const draw = (p: Float32Array, labels: Uint32Array, ring: boolean) => {
    for (let i = 0; i < labels.length; i++) {
      ctx.beginPath();
      ctx.arc(sx(p[2 * i]), sy(p[2 * i + 1]), r, 0, 2 * Math.PI);
      const c = classColor(labels[i], d.train.classes);
      if (ring) {
        ctx.strokeStyle = c;
        ctx.lineWidth = 1.2;
        ctx.stroke();
      } else {
        ctx.fillStyle = c;
        ctx.fill();
      }
    }
  };
  draw(train, d.train.labels, false);
  if (d.test) draw(test, d.test.labels, true);
}

function drawDigits(canvas: HTMLCanvasElement, ds: Dataset): void {
  const n = Math.min(DIGITS, ds.n),
    cell = 30;
  const ctx = setup(canvas, n * cell, cell);
  const img = new ImageData(28, 28);
  const tile = document.createElement('canvas');
  tile.width = 28;
  tile.height = 28;
  const tctx = tile.getContext('2d')!;
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < 784; p++) {
      const v = 255 - Math.round(ds.x[k * 784 + p] * 255);
      img.data[4 * p] = v;
      img.data[4 * p + 1] = v;
      img.data[4 * p + 2] = v;
      img.data[4 * p + 3] = 255;
    }
    tctx.putImageData(img, 0, 0);
    ctx.drawImage(tile, k * cell + 1, 1, 28, 28);
  }
}

customElements.define('data-preview', DataPreview);

declare global {
  interface HTMLElementTagNameMap {
    'data-preview': DataPreview;
  }
}
