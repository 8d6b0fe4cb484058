/**
 * @file The look shared by all charts: a light card, dark ink, small readable type, a legend
 * that wraps on narrow windows. Swatch classes mirror `SwatchStyle` and are read back by
 * export.ts from computed styles, so what is exported is what is shown.
 */
import { css } from 'lit';

export const chartStyles = css`
  :host {
    display: block;
    color: #1f2328;
    font: 13px/1.35 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    min-width: 0;
  }
  figure {
    box-sizing: border-box;
    height: 100%;
    margin: 0;
    padding: 10px 12px 12px;
    background: #fff;
    border: 1px solid #d0d7de;
    border-radius: 8px;
  }
  header { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: flex-start; justify-content: space-between; }
  .titles { min-width: 0; flex: 1 1 220px; }
  .title { margin: 0; font-size: 15px; font-weight: 600; }
  .subtitle { margin: 2px 0 0; color: #57606a; font-size: 12px; }
  .controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 12px; color: #1f2328; }
  .controls label { display: inline-flex; gap: 4px; align-items: center; cursor: pointer; white-space: nowrap; }
  .controls select { font: inherit; padding: 1px 4px; max-width: 100%; }
  .body { position: relative; margin-top: 8px; min-height: 40px; }
  .note { color: #57606a; font-size: 12px; padding: 24px 0; text-align: center; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 6px; font-size: 12px; }
  .item { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
  .swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid var(--c); }
  .swatch.thin { border-top-width: 1.5px; }
  .swatch.dashed { border-top-style: dashed; }
  .swatch.dotted { border-top: 2px dotted var(--c); }
  .swatch.fill, .swatch.faint, .swatch.hatch, .swatch.stripes {
    width: 14px; height: 10px; border: none; background: var(--c);
  }
  .swatch.stripes {
    background: repeating-linear-gradient(0deg, var(--c) 0 2px, #fff 2px 4px);
    outline: 1px solid var(--c); outline-offset: -1px;
  }
  .swatch.faint { opacity: 0.35; }
  .swatch.hatch {
    background: repeating-linear-gradient(135deg, var(--c) 0 2px, #fff 2px 4px);
    outline: 1px solid var(--c); outline-offset: -1px;
  }
  .swatch.dot, .swatch.ring { width: 9px; height: 9px; border-radius: 50%; }
  .swatch.dot { border: 1px solid rgba(31, 35, 40, 0.7); background: var(--c); }
  .swatch.ring { border: 2px solid var(--c); background: #fff; }
  .ramp { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
  .ramp .stops { display: inline-flex; }
  .ramp .stops .swatch { width: 4px; height: 10px; border: none; background: var(--c); }
  .caption { margin-top: 4px; color: #57606a; font-size: 11.5px; }
  canvas { display: block; }
`;

/** Charts whose body is one canvas, centred when narrower than the card. */
export const centredCanvasStyles = [chartStyles, css`canvas { margin: 0 auto; }`];
