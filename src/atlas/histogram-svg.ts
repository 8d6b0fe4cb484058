/**
 * @file A small inline histogram of epochs to converge (a Lit SVG template): one bar per bin,
 * coloured like the basin map's legend at the bin's centre, so the table's rows, the population
 * summary and the map read with one key.
 */
import { svg, type TemplateResult } from 'lit';
import { epochColor, css as rgb } from './colormap';

export function histogramSvg(hist: readonly number[], epochs: number, width = 120, height = 24): TemplateResult {
  const max = Math.max(1, ...hist);
  const w = width / hist.length;
  const bars = hist.map((c, b) => {
    const h = c === 0 ? 0 : Math.max(1, (c / max) * (height - 1));
    const mid = ((b + 0.5) * (epochs + 1)) / hist.length;
    const epochAt = (edge: number) => Math.round((edge * (epochs + 1)) / hist.length);
    const title = `${c} converged at epochs ${epochAt(b)}–${epochAt(b + 1) - 1}`;
    return svg`<rect x=${(b * w).toFixed(2)} y=${(height - h).toFixed(2)} width=${Math.max(0.5, w - 0.6).toFixed(2)}
      height=${h.toFixed(2)} fill=${rgb(epochColor(mid, epochs))}><title>${title}</title></rect>`;
  });
  return svg`<svg width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img"
    aria-label="histogram of epochs to converge">
    <line x1="0" y1=${height - 0.5} x2=${width} y2=${height - 0.5} stroke="#d0d7de" />${bars}</svg>`;
}

/** CSS gradient of the epoch ramp, from 0 epochs (left) to `epochs` (right). */
export function epochRampCss(epochs: number): string {
  const stops = Array.from({ length: 11 }, (_, i) => `${rgb(epochColor((i / 10) * epochs, epochs))} ${i * 10}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
