/**
 * @file The report's tables as data (`Table`: a head and rows of cells), built from a run's
 * results, and written as text for the terminal or as Markdown. The page renders the same data
 * as HTML (reportTables).
 */
import { fmtCount, fmtMs, fmtRate, mark, pct } from './format';
import { ENGINE_LABELS, FORMS } from './spec';
import { pairedShare } from './stats';
import type { BenchResults, EngineName, ProductMeasurement, TrainMeasurement } from './types';
import { PRODUCT_ENGINES, TRAIN_ENGINES } from './types';

export function engines<T extends { engine: EngineName }>(
  list: readonly T[],
  order: readonly EngineName[],
): EngineName[] {
  return order.filter((e) => list.some((m) => m.engine === e));
}

const cellProduct = (p: ProductMeasurement | undefined) =>
  !p
    ? ''
    : p.status !== 'ok'
      ? p.status
      : `${mark(p.timing)}${fmtMs(p.timing!.median)} (${p.gflops!.toFixed(p.gflops! >= 10 ? 0 : 1)})`;
const cellTrain = (t: TrainMeasurement | undefined) =>
  !t ? '' : t.status !== 'ok' ? t.status : `${mark(t.timing)}${fmtMs(t.msPerStep!)} (${fmtRate(t.samplesPerSec!)}/s)`;

interface Table {
  head: string[];
  rows: string[][];
}

export function productTable(r: BenchResults, form: string): Table {
  const es = engines(r.products, PRODUCT_ENGINES);
  const sizes = [...new Set(r.products.filter((p) => p.form === form).map((p) => p.size))];
  return {
    head: [
      'n',
      ...es.map((e) => ENGINE_LABELS[e]),
      ...(r.ceiling ? ['ours GPU % ceiling'] : []),
      ...(r.cpuCeiling ? ['ours CPU % CPU ceiling'] : []),
    ],
    rows: sizes.map((n) => {
      const get = (e: EngineName) => r.products.find((p) => p.form === form && p.size === n && p.engine === e);
      const fraction = (e: EngineName) => {
        const f = get(e)?.ceilingFraction;
        return f !== undefined ? pct(f) : '';
      };
      return [
        String(n),
        ...es.map((e) => cellProduct(get(e))),
        ...(r.ceiling ? [fraction('ours-gpu')] : []),
        ...(r.cpuCeiling ? [fraction('ours-cpu')] : []),
      ];
    }),
  };
}

export function trainTable(r: BenchResults): Table {
  const es = engines(r.training, TRAIN_ENGINES);
  return {
    head: ['network', 'batch', 'GFLOP/step', ...es.map((e) => ENGINE_LABELS[e])],
    rows: r.rungs.map((info) => [
      `${info.label}`,
      String(info.batch),
      (info.flopsPerStep / 1e9).toPrecision(3),
      ...es.map((e) => cellTrain(r.training.find((t) => t.rung === info.id && t.engine === e))),
    ]),
  };
}

export function statsTable(r: BenchResults): Table {
  return {
    head: [
      'network',
      'no stats ms/step',
      'stats every step ms/step',
      'ratio',
      'stats share of step',
      'share paired by round',
      'share from the fastest repeats',
      'dispatches/step (no stats → stats)',
    ],
    rows: r.rungs.flatMap((info) => {
      const off = r.training.find((t) => t.rung === info.id && t.engine === 'ours-gpu');
      const on = r.training.find((t) => t.rung === info.id && t.engine === 'ours-gpu-stats');
      if (off?.status !== 'ok' || on?.status !== 'ok') return [];
      const a = on.msPerStep!,
        b = off.msPerStep!;
      const a0 = on.timing!.min,
        b0 = off.timing!.min;
      const n = (v: number | undefined) => (v === undefined ? '?' : fmtCount(v));
      const paired = pairedShare(on.timing!.samples, off.timing!.samples);
      return [
        [
          info.label,
          `${mark(off.timing)}${fmtMs(b)}`,
          `${mark(on.timing)}${fmtMs(a)}`,
          (a / b).toFixed(2),
          pct(Math.max(0, (a - b) / a)),
          paired === undefined ? '–' : pct(Math.max(0, paired)),
          pct(Math.max(0, (a0 - b0) / a0)),
          `${n(off.dispatchesPerStep)} → ${n(on.dispatchesPerStep)}`,
        ],
      ];
    }),
  };
}

/** Steps/s of `a` and `b` per network and one ratio: `a`'s time over `b`'s, or with `speedup` `b`'s over `a`'s. */
export function pairTable(r: BenchResults, a: EngineName, b: EngineName, rungs: string[], speedup = false): Table {
  const ratioHead = speedup
    ? `${ENGINE_LABELS[a]} speed-up (${ENGINE_LABELS[b]} time / ${ENGINE_LABELS[a]} time)`
    : `${ENGINE_LABELS[a]} / ${ENGINE_LABELS[b]} time`;
  return {
    head: ['network', `${ENGINE_LABELS[a]} steps/s`, `${ENGINE_LABELS[b]} steps/s`, ratioHead],
    rows: rungs.map((id) => {
      const info = r.rungs.find((x) => x.id === id);
      const x = r.training.find((t) => t.rung === id && t.engine === a),
        y = r.training.find((t) => t.rung === id && t.engine === b);
      const sx = x?.status === 'ok' ? x.stepsPerSec!.toFixed(x.stepsPerSec! >= 10 ? 0 : 2) : (x?.status ?? '');
      const sy = y?.status === 'ok' ? y.stepsPerSec!.toFixed(y.stepsPerSec! >= 10 ? 0 : 2) : (y?.status ?? '');
      const q =
        x?.status === 'ok' && y?.status === 'ok'
          ? speedup
            ? y.msPerStep! / x.msPerStep!
            : x.msPerStep! / y.msPerStep!
          : null;
      return [info?.label ?? id, sx, sy, q === null ? '' : `${q >= 10 ? q.toFixed(0) : q.toFixed(2)}×`];
    }),
  };
}

export function ratioTable(r: BenchResults): Table {
  const es = engines(r.training, TRAIN_ENGINES).filter((e) => e !== 'ours-gpu');
  const pe = engines(r.products, PRODUCT_ENGINES).filter((e) => e !== 'ours-gpu');
  const rows: string[][] = [];
  for (const form of FORMS) {
    const sizes = [...new Set(r.products.filter((p) => p.form === form).map((p) => p.size))];
    for (const n of sizes) {
      const ours = r.products.find((p) => p.form === form && p.size === n && p.engine === 'ours-gpu');
      if (ours?.status !== 'ok') continue;
      rows.push([
        `${form} ${n}³`,
        ...es.map((e) => {
          if (!pe.includes(e)) return '';
          const p = r.products.find((q) => q.form === form && q.size === n && q.engine === e);
          return p?.status === 'ok' ? `${(p.timing!.median / ours.timing!.median).toFixed(2)}` : '';
        }),
      ]);
    }
  }
  for (const info of r.rungs) {
    const ours = r.training.find((t) => t.rung === info.id && t.engine === 'ours-gpu');
    if (ours?.status !== 'ok') continue;
    rows.push([
      info.label,
      ...es.map((e) => {
        const t = r.training.find((q) => q.rung === info.id && q.engine === e);
        return t?.status === 'ok' ? `${(t.msPerStep! / ours.msPerStep!).toFixed(2)}` : '';
      }),
    ]);
  }
  return { head: ['cell', ...es.map((e) => `${ENGINE_LABELS[e]} / ours GPU`)], rows };
}

export function textTable(t: Table): string {
  const w = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(t.head), w.map((n) => '-'.repeat(n)).join('  '), ...t.rows.map(line)].join('\n');
}

export function mdTable(t: Table, alignRight = true): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.head.map(esc).join(' | ')} |`,
    `|${t.head.map((_, i) => (i === 0 || !alignRight ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The report's tables as plain data (the page renders them as HTML). */
export function reportTables(r: BenchResults): Array<{ title: string } & Table> {
  const out: Array<{ title: string } & Table> = [];
  for (const form of FORMS)
    if (r.products.some((p) => p.form === form))
      out.push({ title: `${form} product: ms (GFLOP/s)`, ...productTable(r, form) });
  if (r.training.length) out.push({ title: 'training: ms per step (samples/s)', ...trainTable(r) });
  const statsCost = statsTable(r);
  if (statsCost.rows.length) out.push({ title: 'cost of statistics (ours GPU)', ...statsCost });
  return out;
}
