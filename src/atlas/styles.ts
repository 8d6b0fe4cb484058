/**
 * @file The atlas views' look, matching the playground's cards (src/ui/styles.ts) without
 * depending on them: a white card, small readable type, visible focus, tabular numbers.
 */
import { css } from 'lit';

export const atlasStyles = css`
  :host {
    display: block;
    color: #1f2328;
    font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  * { box-sizing: border-box; }
  section.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; }
  h2 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
  h3 { font-size: 13px; margin: 6px 0 4px; font-weight: 600; }
  .muted { color: #57606a; font-size: 12px; }
  .row { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
  button, select, textarea { font: inherit; color: inherit; }
  button {
    border: 1px solid #afb8c1; border-radius: 5px; background: #f6f8fa; padding: 3px 10px; cursor: pointer;
  }
  button.primary { background: #0969da; border-color: #0969da; color: #fff; }
  button:disabled { opacity: 0.5; cursor: default; }
  button:focus-visible, select:focus-visible, textarea:focus-visible, th[tabindex]:focus-visible {
    outline: 2px solid #0969da; outline-offset: 1px;
  }
  select, textarea { border: 1px solid #afb8c1; border-radius: 5px; padding: 3px 6px; background: #fff; }
  .num { font-variant-numeric: tabular-nums; text-align: right; }
  .error { color: #b42318; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font-size: 12px; margin-top: 6px; }
  .swatch, .ramp {
    display: inline-block; height: 10px; vertical-align: middle; border: 1px solid rgba(31, 35, 40, 0.25);
  }
  .swatch { width: 14px; }
  .ramp { width: 160px; }
  canvas.map { image-rendering: pixelated; display: block; }
`;
