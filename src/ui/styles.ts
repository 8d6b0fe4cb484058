/**
 * @file The look of the playground's panels and controls, shared by every view: cards, labelled
 * fields in a grid, buttons with visible focus, and alert/note banners. Chart cards have their
 * own styles (src/charts/styles.ts); these match them.
 */
import { css } from 'lit';

export const uiStyles = css`
  :host {
    display: block;
    color: #1f2328;
    font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  * { box-sizing: border-box; }
  section.card {
    background: #fff;
    border: 1px solid #d0d7de;
    border-radius: 8px;
    padding: 10px 12px;
  }
  h2 { font-size: 14px; margin: 0 0 8px; font-weight: 600; }
  h3 { font-size: 13px; margin: 8px 0 4px; font-weight: 600; }
  p { margin: 4px 0; }
  .muted { color: #57606a; font-size: 12px; }
  .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 6px 10px; }
  label.field { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #424a53; min-width: 0; }
  label.inline { display: inline-flex; align-items: center; gap: 4px; font-size: 12px; }
  input, select, textarea, button { font: inherit; color: inherit; }
  input[type='number'], input[type='text'], select, textarea {
    border: 1px solid #afb8c1; border-radius: 5px; padding: 3px 6px; background: #fff; min-width: 0; width: 100%;
  }
  input[aria-invalid='true'] { border-color: #cf222e; background: #fff5f5; }
  button {
    border: 1px solid #afb8c1; border-radius: 6px; background: #f6f8fa; padding: 4px 10px; cursor: pointer;
    white-space: nowrap;
  }
  button:hover:not(:disabled) { background: #eaeef2; }
  button:disabled { opacity: 0.5; cursor: default; }
  button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; font-weight: 600; }
  button.primary:hover:not(:disabled) { background: #1a5fd0; }
  button.small { padding: 1px 6px; font-size: 12px; }
  :focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
  .error { color: #cf222e; font-size: 12px; margin: 4px 0 0; }
  .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { font-weight: 600; font-size: 12px; color: #424a53; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
`;
