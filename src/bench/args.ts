/**
 * @file The `bench` command's flags. Strict like every command's (src/core/flags.ts): a
 * mistyped flag stops with one line naming it (exit 2) instead of silently running a 15-minute
 * benchmark with defaults.
 */
import { flagInt, flagList, flagPositive, parseFlags } from '../core/flags';
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
  --host-cost        the training ladder on Dawn's Null backend (kernels never run): host ms per
                     step of ours (with and without statistics) and TF.js webgpu; writes
                     DIR/host-cost.json and leaves the report alone
  --report-only      measure nothing: rewrite REPORT.md, the charts (and results.json's layout) from DIR/results.json
`;

interface BenchArgs {
  options: BenchOptions;
  out: string | null;
  write: boolean;
  reportOnly: boolean;
  hostCost: boolean;
}

const BENCH_FLAGS = {
  values: ['--max-size', '--budget', '--repeats', '--engines', '--parts', '--rungs', '--out'],
  switches: ['--quick', '--no-write', '--report-only', '--host-cost'],
};
const PARTS = ['ceiling', 'products', 'training', 'atlas'] as const;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values, switches } = parseFlags(argv, BENCH_FLAGS);
  const maxRaw = values.get('--max-size');
  const maxSize = maxRaw === undefined ? undefined : flagInt('--max-size', maxRaw, PRODUCT_SIZES[0]);
  const options = defaultOptions({ quick: switches.has('--quick'), maxSize });
  const budget = values.get('--budget');
  if (budget !== undefined) options.budgetMs = flagPositive('--budget', budget) * 1000;
  const repeats = values.get('--repeats');
  if (repeats !== undefined) {
    options.repeats = flagInt('--repeats', repeats, 1);
    options.minRepeats = Math.min(options.minRepeats, options.repeats);
  }
  const engines = values.get('--engines');
  if (engines !== undefined) options.engines = flagList<EngineName>('--engines', engines, ALL_ENGINES);
  const parts = values.get('--parts');
  if (parts !== undefined) {
    const p = flagList('--parts', parts, PARTS);
    options.parts = Object.fromEntries(PARTS.map((part) => [part, p.includes(part)])) as BenchOptions['parts'];
  }
  const rungs = values.get('--rungs');
  if (rungs !== undefined)
    options.rungs = flagList(
      '--rungs',
      rungs,
      RUNGS.map((r) => r.id),
    );
  return {
    options,
    out: values.get('--out') ?? null,
    write: !switches.has('--no-write'),
    reportOnly: switches.has('--report-only'),
    hostCost: switches.has('--host-cost'),
  };
}
