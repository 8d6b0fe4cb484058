/**
 * @file The `bench` command's flags. Strict like the train command's: a mistyped flag stops
 * with one line naming it (a ConfigError, exit 2) instead of silently running a 15-minute
 * benchmark with defaults.
 */
import { ConfigError, show } from '../core/errors';
import { ALL_ENGINES, type BenchOptions, defaultOptions, PRODUCT_SIZES, RUNGS } from './spec';
import type { EngineName } from './types';

export const BENCH_USAGE = `Usage: mlp-playground bench [options]

Benchmarks our GPU and CPU engines against TF.js (webgpu, wasm, cpu) on this machine: the
adapter's multiply-add ceiling, the three matrix products of a dense layer at square sizes
64..2048, and full training steps on a ladder of networks. Prints tables, writes
bench/results.json, bench/REPORT.md (its History section is kept) and SVG charts.

Options:
  --quick            sizes up to 1024, no 16×1024 network, 3 repeats (a few minutes)
  --max-size N       largest product size (${PRODUCT_SIZES.join(', ')})
  --budget S         seconds one engine may spend on one cell (default 20, quick 6)
  --repeats N        timed repeats per measurement (default 5, quick 3)
  --engines LIST     comma-separated subset of ${ALL_ENGINES.join(', ')}
  --parts LIST       comma-separated subset of ceiling, products, training, atlas
                     (atlas alone adds its figures to the results.json already in --out)
  --rungs LIST       comma-separated subset of ${RUNGS.map((r) => r.id).join(', ')}
  --out DIR          where results.json, REPORT.md and the charts go (default bench/)
  --no-write         print the tables only
  --report-only      measure nothing: rewrite REPORT.md, the charts (and results.json's layout) from DIR/results.json
`;

export interface BenchArgs {
  options: BenchOptions;
  out: string | null;
  write: boolean;
  reportOnly: boolean;
}

const fail = (m: string) => new ConfigError('', m);

function list<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw fail(`${flag} needs at least one item`);
  for (const it of items)
    if (!allowed.includes(it as T)) throw fail(`${flag}: unknown ${show(it)}; allowed: ${allowed.join(', ')}`);
  return items as T[];
}

function positive(flag: string, raw: string): number {
  const v = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(v > 0)) throw fail(`${flag} must be a positive number, got ${show(raw)}`);
  return v;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const VALUE = ['--max-size', '--budget', '--repeats', '--engines', '--parts', '--rungs', '--out'];
  const BOOL = ['--quick', '--no-write', '--report-only'];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const flag = eq > 0 ? tok.slice(0, eq) : tok;
    if (BOOL.includes(flag)) {
      if (eq > 0) throw fail(`${flag} takes no value`);
      flags.add(flag);
      continue;
    }
    if (!VALUE.includes(flag)) throw fail(`unknown flag ${show(flag)}; flags: ${[...VALUE, ...BOOL].join(', ')}`);
    const v = eq > 0 ? tok.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw fail(`${flag} needs a value`);
    if (values.has(flag)) throw fail(`${flag} is given twice`);
    values.set(flag, v);
  }
  const maxRaw = values.get('--max-size');
  const maxSize = maxRaw === undefined ? undefined : positive('--max-size', maxRaw);
  if (maxSize !== undefined && maxSize < PRODUCT_SIZES[0])
    throw fail(`--max-size must be at least ${PRODUCT_SIZES[0]}, got ${maxSize}`);
  const options = defaultOptions({ quick: flags.has('--quick'), maxSize });
  const budget = values.get('--budget');
  if (budget !== undefined) options.budgetMs = positive('--budget', budget) * 1000;
  const repeats = values.get('--repeats');
  if (repeats !== undefined) {
    const r = positive('--repeats', repeats);
    if (!Number.isInteger(r)) throw fail(`--repeats must be an integer, got ${show(repeats)}`);
    options.repeats = r;
    options.minRepeats = Math.min(options.minRepeats, r);
  }
  const engines = values.get('--engines');
  if (engines !== undefined) options.engines = list<EngineName>('--engines', engines, ALL_ENGINES);
  const parts = values.get('--parts');
  if (parts !== undefined) {
    const p = list('--parts', parts, ['ceiling', 'products', 'training', 'atlas'] as const);
    options.parts = {
      ceiling: p.includes('ceiling'),
      products: p.includes('products'),
      training: p.includes('training'),
      atlas: p.includes('atlas'),
    };
  }
  const rungs = values.get('--rungs');
  if (rungs !== undefined)
    options.rungs = list(
      '--rungs',
      rungs,
      RUNGS.map((r) => r.id),
    );
  return {
    options,
    out: values.get('--out') ?? null,
    write: !flags.has('--no-write'),
    reportOnly: flags.has('--report-only'),
  };
}
