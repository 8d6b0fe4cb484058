/**
 * @file Small helpers for the charts drawn on a plain canvas (histograms, unit health, decision
 * boundary, digits): a canvas sized for the device pixel ratio, and axes in the same style as
 * the uPlot ones.
 */
import { GRID, INK } from './palette';

export const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Sizes the canvas to width × height CSS pixels at the device ratio; returns a cleared context in CSS units. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = Math.max(1, globalThis.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(width * dpr)),
    h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/**
 * Writes `rgba` (width × height pixels) into `canvas`, sized to exactly that: an image shown at
 * its own resolution, or a tile drawn scaled with drawImage. Without a canvas, makes one.
 */
export function putPixels(
  canvas: HTMLCanvasElement | null,
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
): HTMLCanvasElement {
  const c = canvas ?? document.createElement('canvas');
  if (c.width !== width) c.width = width;
  if (c.height !== height) c.height = height;
  c.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  return c;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Left y axis: grid lines, tick labels and a rotated label, for a linear scale [lo, hi]. */
export function yAxis(
  ctx: CanvasRenderingContext2D,
  r: Rect,
  lo: number,
  hi: number,
  ticks: number[],
  fmt: (v: number) => string,
  label: string,
): void {
  ctx.save();
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks) {
    const y = Math.round(r.y + r.h - ((t - lo) / (hi - lo)) * r.h) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(r.x, y);
    ctx.lineTo(r.x + r.w, y);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.fillText(fmt(t), r.x - 5, y);
  }
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.translate(2, r.y + r.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(label, 0, 0);
  ctx.restore();
}

/** Plot frame: the left and bottom axis lines. */
export function axesLines(ctx: CanvasRenderingContext2D, r: Rect): void {
  ctx.save();
  ctx.strokeStyle = '#8c959f';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(r.x + 0.5, r.y);
  ctx.lineTo(r.x + 0.5, r.y + r.h + 0.5);
  ctx.lineTo(r.x + r.w, r.y + r.h + 0.5);
  ctx.stroke();
  ctx.restore();
}

/** Centred text under the plot area (an x axis label). */
export function xLabel(ctx: CanvasRenderingContext2D, r: Rect, y: number, label: string): void {
  ctx.save();
  ctx.font = LABEL_FONT;
  ctx.fillStyle = INK;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, r.x + r.w / 2, y);
  ctx.restore();
}

/** One axis of a plane: its ticks (value, text), where a value lands, its title and where that goes. */
interface PlaneAxis {
  ticks: [number, string][];
  at: (v: number) => number;
  title: string;
  /** The x title's baseline; the turned y title's centre from the canvas' left edge. */
  titleAt: number;
}

/** A plane's frame: its border, the ticks below and to the left, and both axes' titles. */
export function planeFrame(ctx: CanvasRenderingContext2D, r: Rect, x: PlaneAxis, y: PlaneAxis): void {
  ctx.save();
  ctx.strokeStyle = '#8c959f';
  ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  ctx.font = FONT;
  ctx.fillStyle = INK;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const [v, text] of x.ticks) ctx.fillText(text, x.at(v), r.y + r.h + 3);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const [v, text] of y.ticks) ctx.fillText(text, r.x - 4, y.at(v));
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(x.title, r.x + r.w / 2, x.titleAt);
  ctx.translate(y.titleAt, r.y + r.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(y.title, 0, 0);
  ctx.restore();
}

/** Diagonal white hatching over a rectangle: marks "saturated" independently of colour. */
/** White horizontal stripes over a filled bar (the "identical units" pattern). */
export function stripes(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  for (let d = y + h - 4; d > y; d -= 4) ctx.fillRect(x, d, w, Math.min(2, d - y));
  ctx.restore();
}

export function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = 'rgba(255,255,255,0.85)';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let d = -h; d < w; d += 5) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
  ctx.restore();
}
