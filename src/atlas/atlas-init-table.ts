/**
 * @file <atlas-init-table>: the initializer success table, one row per (initializer, scale):
 * success rate, median epochs to converge, mean final loss and the histogram of epochs.
 * Sortable by any column (click or Enter on its header); rows come from summary.ts.
 */
import { css, html, LitElement, type PropertyDeclarations, type TemplateResult } from 'lit';
import { histogramSvg } from './histogram-svg';
import { atlasStyles } from './styles';
import type { TableRow } from './summary';

type Key = 'initializer' | 'scale' | 'success_rate' | 'median_epoch' | 'mean_final_loss';

const COLUMNS: { key: Key; label: string; num: boolean }[] = [
  { key: 'initializer', label: 'Initializer', num: false },
  { key: 'scale', label: 'Scale', num: true },
  { key: 'success_rate', label: 'Converged', num: true },
  { key: 'median_epoch', label: 'Median epochs', num: true },
  { key: 'mean_final_loss', label: 'Mean final loss', num: true },
];

/** Compares two rows on `key`; missing values (no converged network, NaN loss) sort last. */
function compareRows(a: TableRow, b: TableRow, key: Key, dir: 1 | -1): number {
  const va = a[key],
    vb = b[key];
  const missing = (v: unknown) => v === null || (typeof v === 'number' && Number.isNaN(v));
  if (missing(va) || missing(vb)) return missing(va) === missing(vb) ? 0 : missing(va) ? 1 : -1;
  const c = typeof va === 'string' ? va.localeCompare(vb as string) : (va as number) - (vb as number);
  return c * dir;
}

class AtlasInitTable extends LitElement {
  static override styles = [
    atlasStyles,
    css`
    table { border-collapse: collapse; font-size: 12px; }
    th, td { padding: 3px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
    th { text-align: left; font-weight: 600; cursor: pointer; user-select: none; }
    th.num { text-align: right; }
    .bar {
      display: inline-block; height: 8px; background: #0969da; vertical-align: middle;
      margin-right: 6px; border-radius: 2px;
    }
    .scroll { overflow-x: auto; }
  `,
  ];

  static override properties: PropertyDeclarations = {
    rows: { attribute: false },
    epochs: { type: Number },
    sortKey: { state: true },
    sortDir: { state: true },
  };

  declare rows: TableRow[];
  declare epochs: number;
  declare protected sortKey: Key | null;
  declare protected sortDir: 1 | -1;

  constructor() {
    super();
    this.rows = [];
    this.epochs = 1;
    this.sortKey = null;
    this.sortDir = 1;
  }

  /** The rows in the order shown. */
  get sorted(): TableRow[] {
    const k = this.sortKey;
    return k ? [...this.rows].sort((a, b) => compareRows(a, b, k, this.sortDir)) : this.rows;
  }

  private sortBy(key: Key): void {
    // A first click on a number sorts the best first: highest success rate, fewest epochs, lowest loss.
    if (this.sortKey === key) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else {
      this.sortKey = key;
      this.sortDir = key === 'success_rate' || key === 'scale' ? -1 : 1;
    }
  }

  override render(): TemplateResult {
    const head = COLUMNS.map((c) => {
      const sort = this.sortKey === c.key ? (this.sortDir === 1 ? 'ascending' : 'descending') : 'none';
      return html`<th class=${c.num ? 'num' : ''} tabindex="0" aria-sort=${sort}
        @click=${() => this.sortBy(c.key)} @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.sortBy(c.key);
          }
        }}
        >${c.label}${sort === 'ascending' ? ' ▲' : sort === 'descending' ? ' ▼' : ''}</th>`;
    });
    const body = this.sorted.map(
      (r) => html`<tr>
      <td>${r.initializer}</td>
      <td class="num">${r.scale}</td>
      <td class="num"><span class="bar" style="width:${Math.round(r.success_rate * 60)}px"
        ></span>${(r.success_rate * 100).toFixed(1)}%
        <span class="muted">(${r.converged}/${r.networks})</span></td>
      <td class="num">${r.median_epoch ?? '–'}</td>
      <td class="num">${Number.isFinite(r.mean_final_loss) ? r.mean_final_loss.toPrecision(3) : '–'}</td>
      <td>${histogramSvg(r.histogram, this.epochs)}</td>
    </tr>`,
    );
    return html`<section class="card" aria-label="initializer table">
      <h2>Which initializers converge</h2>
      <p class="muted">Each row trains ${this.rows[0]?.networks ?? 0} networks from seeds seed, seed + 1, …;
        the scale multiplies the kernel initializer's standard deviation or limit. Histograms: epochs to
        converge, 0 to ${this.epochs}.</p>
      <div class="scroll"><table>
        <thead><tr>${head}<th>Epochs to converge</th></tr></thead>
        <tbody>${body}</tbody>
      </table></div>
    </section>`;
  }
}

if (!customElements.get('atlas-init-table')) customElements.define('atlas-init-table', AtlasInitTable);

declare global {
  interface HTMLElementTagNameMap {
    'atlas-init-table': AtlasInitTable;
  }
}
