/**
 * @file A run's results as files: results.json (numbers to 4 significant digits, one
 * measurement per line, so the committed file stays small and diffs read well) and a CSV of every
 * measurement for spreadsheets.
 */
import type { BenchResults } from './types';

/** One CSV field: empty for a missing value, quoted where it holds a comma, quote or line break. */
export function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every measurement as one CSV row (products and training), for spreadsheets. */
export function toCsv(r: BenchResults): string {
  const head = [
    'kind',
    'cell',
    'size_or_batch',
    'engine',
    'status',
    'median_ms',
    'min_ms',
    'max_ms',
    'repeats',
    'iters',
    'gflops',
    'ceiling_fraction',
    'samples_per_s',
    'reason',
  ];
  const rows = [
    ...r.products.map((p) => [
      'product',
      p.form,
      p.size,
      p.engine,
      p.status,
      p.timing?.median,
      p.timing?.min,
      p.timing?.max,
      p.timing?.repeats,
      p.timing?.iters,
      p.gflops,
      p.ceilingFraction,
      '',
      p.reason,
    ]),
    ...r.training.map((t) => [
      'training',
      t.rung,
      t.batch,
      t.engine,
      t.status,
      t.timing?.median,
      t.timing?.min,
      t.timing?.max,
      t.timing?.repeats,
      t.timing?.iters,
      t.gflops,
      t.ceilingFraction,
      t.samplesPerSec,
      t.reason,
    ]),
  ];
  return `${[head, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** Rounds to 4 significant digits: timings carry no more, and the committed file stays small. */
function round4(_key: string, v: unknown): unknown {
  return typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v;
}

/** results.json: numbers to 4 significant digits, one measurement per line (small, diffable). */
export function serializeResults(r: BenchResults): string {
  const line = (v: unknown) => JSON.stringify(v, round4);
  const list = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => `  ${line(x)}`).join(',\n')}\n ]` : '[]');
  const entries = Object.entries(r).map(
    ([k, v]) =>
      ` ${JSON.stringify(k)}: ${Array.isArray(v) && v.length && typeof v[0] === 'object' ? list(v) : line(v)}`,
  );
  return `{\n${entries.join(',\n')}\n}\n`;
}
