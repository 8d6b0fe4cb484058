/**
 * @file Turns a run's results into what people read: the terminal tables, the SVG charts and
 * bench/REPORT.md. Pure functions of `BenchResults` (plus the report's preserved History
 * section), so the page could render the same text.
 */

import { cpuTargets } from './cpu-targets';
import { ENGINE_COLORS, ENGINE_LABELS, FORMS, GPU_REWARM_MS, TARGET_SIZE, TINY_RUNGS } from './spec';
import { pairedShare } from './stats';
import { type ChartSeries, lineChartSvg } from './svg';
import { evaluateTargets, fastestCheck } from './targets';
import type { BenchResults, EngineName, ProductMeasurement, TrainMeasurement } from './types';
import { PRODUCT_ENGINES, TRAIN_ENGINES } from './types';

export const fmtMs = (v: number) =>
  v >= 1000 ? v.toFixed(0) : v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
const fmtRate = (v: number) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0);
const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

function engines<T extends { engine: EngineName }>(list: readonly T[], order: readonly EngineName[]): EngineName[] {
  return order.filter((e) => list.some((m) => m.engine === e));
}

/** Repeats spread more than this around their median: the cell is marked as noisy. */
export const NOISY_SPREAD = 0.25;
const noisy = (t: { median: number; min: number; max: number } | undefined) =>
  !!t && (t.max - t.min) / t.median > NOISY_SPREAD;
const mark = (t: { median: number; min: number; max: number } | undefined) => (noisy(t) ? '~' : '');

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

function productTable(r: BenchResults, form: string): Table {
  const es = engines(r.products, PRODUCT_ENGINES);
  const sizes = [...new Set(r.products.filter((p) => p.form === form).map((p) => p.size))];
  return {
    head: [
      'n',
      ...es.map((e) => ENGINE_LABELS[e]),
      'ours GPU % ceiling',
      ...(r.cpuCeiling ? ['ours CPU % CPU ceiling'] : []),
    ],
    rows: sizes.map((n) => {
      const get = (e: EngineName) => r.products.find((p) => p.form === form && p.size === n && p.engine === e);
      const frac = (e: EngineName) => {
        const f = get(e)?.ceilingFraction;
        return f !== undefined ? pct(f) : '';
      };
      return [
        String(n),
        ...es.map((e) => cellProduct(get(e))),
        frac('ours-gpu'),
        ...(r.cpuCeiling ? [frac('ours-cpu')] : []),
      ];
    }),
  };
}

function trainTable(r: BenchResults): Table {
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

function statsTable(r: BenchResults): Table {
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
      const n = (v: number | undefined) =>
        v === undefined ? '?' : Number.isInteger(v) ? String(v) : v < 1 ? v.toPrecision(2) : v.toFixed(1);
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
function pairTable(r: BenchResults, a: EngineName, b: EngineName, rungs: string[], speedup = false): Table {
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

function ratioTable(r: BenchResults): Table {
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

function textTable(t: Table): string {
  const w = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(t.head), w.map((n) => '-'.repeat(n)).join('  '), ...t.rows.map(line)].join('\n');
}

function mdTable(t: Table, alignRight = true): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.head.map(esc).join(' | ')} |`,
    `|${t.head.map((_, i) => (i === 0 || !alignRight ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Where our GPU path starts beating our CPU path: products (by size) and training (by network). */
export function crossover(r: BenchResults): { products: Record<string, number | null>; training: string | null } {
  const products: Record<string, number | null> = {};
  for (const form of FORMS) {
    const sizes = [...new Set(r.products.filter((p) => p.form === form).map((p) => p.size))].sort((a, b) => a - b);
    let from: number | null = null;
    for (const n of sizes) {
      const g = r.products.find((p) => p.form === form && p.size === n && p.engine === 'ours-gpu');
      const c = r.products.find((p) => p.form === form && p.size === n && p.engine === 'ours-cpu');
      if (g?.status !== 'ok') continue;
      // A CPU that was too slow to measure within the budget counts as beaten.
      const gpuWins = c?.status === 'ok' ? g.timing!.median < c.timing!.median : c?.status === 'skipped';
      if (gpuWins) from ??= n;
      else from = null;
    }
    products[form] = from;
  }
  let training: string | null = null;
  for (const info of [...r.rungs].sort((a, b) => a.flopsPerStep - b.flopsPerStep)) {
    const g = r.training.find((t) => t.rung === info.id && t.engine === 'ours-gpu');
    const c = r.training.find((t) => t.rung === info.id && t.engine === 'ours-cpu');
    if (g?.status !== 'ok') continue;
    const gpuWins = c?.status === 'ok' ? g.msPerStep! < c.msPerStep! : c?.status === 'skipped';
    if (gpuWins) training ??= info.id;
    else training = null;
  }
  return { products, training };
}

const series = (engine: EngineName, points: Array<[number, number]>, dash = false): ChartSeries => ({
  label: ENGINE_LABELS[engine],
  color: ENGINE_COLORS[engine],
  points,
  dash,
});

/** The report's charts, by file name. */
export function charts(r: BenchResults): Array<{ file: string; title: string; svg: string }> {
  const out: Array<{ file: string; title: string; svg: string }> = [];
  const sizes = [...new Set(r.products.map((p) => p.size))].sort((a, b) => a - b);
  for (const form of FORMS) {
    const ps = r.products.filter((p) => p.form === form && p.status === 'ok');
    if (ps.length === 0) continue;
    const title = `${form} product, ms per product vs n (n×n×n)`;
    out.push({
      file: `product-${form.toLowerCase()}.svg`,
      title,
      svg: lineChartSvg({
        title,
        xLabel: 'n',
        yLabel: 'ms per product',
        xLog: true,
        yLog: true,
        xTicks: sizes,
        series: engines(ps, PRODUCT_ENGINES).map((e) =>
          series(
            e,
            ps.filter((p) => p.engine === e).map((p) => [p.size, p.timing!.median]),
          ),
        ),
      }),
    });
  }
  const ts = r.training.filter((t) => t.status === 'ok');
  if (ts.length) {
    const flops = (id: string) => r.rungs.find((x) => x.id === id)!.flopsPerStep;
    const title = 'Training step, ms per step vs model work (GFLOP per step)';
    out.push({
      file: 'training.svg',
      title,
      svg: lineChartSvg({
        title,
        xLabel: 'GFLOP per step',
        yLabel: 'ms per step',
        xLog: true,
        yLog: true,
        series: engines(ts, TRAIN_ENGINES).map((e) =>
          series(
            e,
            ts.filter((t) => t.engine === e).map((t) => [flops(t.rung) / 1e9, t.msPerStep!]),
            e === 'ours-gpu-stats',
          ),
        ),
      }),
    });
    const ours = new Map(ts.filter((t) => t.engine === 'ours-gpu').map((t) => [t.rung, t.msPerStep!]));
    const rt = ts.filter((t) => t.engine !== 'ours-gpu' && ours.has(t.rung));
    if (rt.length) {
      const title2 = 'Each engine relative to ours (time / our GPU time; above 1: ours is faster)';
      out.push({
        file: 'ratio-training.svg',
        title: title2,
        svg: lineChartSvg({
          title: title2,
          xLabel: 'GFLOP per step',
          yLabel: 'time / ours GPU',
          xLog: true,
          yLog: true,
          hlines: [{ y: 1, label: 'ours GPU' }],
          series: engines(rt, TRAIN_ENGINES).map((e) =>
            series(
              e,
              rt.filter((t) => t.engine === e).map((t) => [flops(t.rung) / 1e9, t.msPerStep! / ours.get(t.rung)!]),
              e === 'ours-gpu-stats',
            ),
          ),
        }),
      });
    }
  }
  const fw = r.products.filter((p) => p.form === 'forward' && p.status === 'ok');
  const oursFw = new Map(fw.filter((p) => p.engine === 'ours-gpu').map((p) => [p.size, p.timing!.median]));
  const rp = fw.filter((p) => p.engine !== 'ours-gpu' && oursFw.has(p.size));
  if (rp.length) {
    const title = 'Forward product relative to ours (time / our GPU time)';
    out.push({
      file: 'ratio-products.svg',
      title,
      svg: lineChartSvg({
        title,
        xLabel: 'n',
        yLabel: 'time / ours GPU',
        xLog: true,
        yLog: true,
        xTicks: sizes,
        hlines: [{ y: 1, label: 'ours GPU' }],
        series: engines(rp, PRODUCT_ENGINES).map((e) =>
          series(
            e,
            rp.filter((p) => p.engine === e).map((p) => [p.size, p.timing!.median / oursFw.get(p.size)!]),
          ),
        ),
      }),
    });
  }
  // Crossover: our two backends on one work axis, products (the three forms summed: one layer's
  // products) and whole training steps.
  const layer = (e: EngineName) =>
    sizes.flatMap((n): Array<[number, number]> => {
      const ms = FORMS.map((f) => r.products.find((p) => p.form === f && p.size === n && p.engine === e));
      return ms.every((p) => p?.status === 'ok')
        ? [[(3 * 2 * n ** 3) / 1e9, ms.reduce((s, p) => s + p!.timing!.median, 0)]]
        : [];
    });
  const step = (e: EngineName) =>
    ts.filter((t) => t.engine === e).map((t): [number, number] => [t.flopsPerStep / 1e9, t.msPerStep!]);
  const cross: ChartSeries[] = [
    { ...series('ours-gpu', layer('ours-gpu')), label: 'ours GPU: layer products' },
    { ...series('ours-cpu', layer('ours-cpu')), label: 'ours CPU: layer products' },
    { ...series('ours-gpu', step('ours-gpu'), true), label: 'ours GPU: training step' },
    { ...series('ours-cpu', step('ours-cpu'), true), label: 'ours CPU: training step' },
  ].filter((s) => s.points.length > 0);
  if (cross.length) {
    const title = 'GPU/CPU crossover: our two backends vs work per iteration';
    out.push({
      file: 'crossover.svg',
      title,
      svg: lineChartSvg({
        title,
        xLabel: 'GFLOP per iteration',
        yLabel: 'ms',
        xLog: true,
        yLog: true,
        series: cross,
        width: 720,
      }),
    });
  }
  return out;
}

/** The tables printed by the CLI. */
export function terminalReport(r: BenchResults): string {
  const parts: string[] = [];
  const env = r.environment;
  parts.push(
    `adapter: ${env.adapter ?? 'none'}\nTF.js webgpu adapter: ${env.tfjsAdapter ?? 'none'}\nmachine: ${env.machine.cpu}, ${env.machine.cores} cores${env.machine.memoryGiB ? `, ${env.machine.memoryGiB.toFixed(0)} GiB` : ''}; ${env.runtime}`,
  );
  if (r.ceiling)
    parts.push(
      `ceiling: ${r.ceiling.gflops.toFixed(1)} GFLOP/s (${r.ceiling.variants.map((v) => `${v.width === 4 ? 'vec4' : 'f32'}×${v.chains} ${v.gflops.toFixed(1)}`).join(', ')}); empty dispatch ${r.ceiling.dispatchUs?.toFixed(1) ?? '?'} µs`,
    );
  for (const form of FORMS) {
    if (!r.products.some((p) => p.form === form)) continue;
    parts.push(`${form} product: ms per product (GFLOP/s)\n${textTable(productTable(r, form))}`);
  }
  if (r.training.length) {
    parts.push(`training: ms per step (samples/s)\n${textTable(trainTable(r))}`);
    const st = statsTable(r);
    if (st.rows.length) parts.push(`statistics overhead (ours GPU)\n${textTable(st)}`);
  }
  const fastest = fastestCheck(r);
  parts.push(`fastest in the table: [${fastest.status}]\n${fastest.details.map((d) => `  ${d}`).join('\n')}`);
  parts.push(
    `targets:\n${[...evaluateTargets(r), ...cpuTargets(r)]
      .map(
        (t) =>
          `  ${t.id}. [${t.status}] ${t.title}\n${[...t.details, ...t.why.map((w) => `why: ${w}`)].map((d) => `       ${d}`).join('\n')}`,
      )
      .join('\n')}`,
  );
  parts.push(`total ${(r.durationS / 60).toFixed(1)} min`);
  return `${parts.join('\n\n')}\n`;
}

/** One line summarizing the key figures, for a History entry. */
export function keyFigures(r: BenchResults): string {
  const p = (e: string, f: string, n: number) => r.products.find((x) => x.engine === e && x.form === f && x.size === n);
  const t = (e: string, id: string) => r.training.find((x) => x.engine === e && x.rung === id);
  const bits: string[] = [];
  if (r.ceiling) bits.push(`ceiling ${r.ceiling.gflops.toFixed(1)} GFLOP/s`);
  if (r.cpuCeiling)
    bits.push(`CPU ceiling ${r.cpuCeiling.gflops.toFixed(1)} GFLOP/s (${r.cpuCeiling.threads} threads)`);
  const f = p('ours-gpu', 'forward', 1024);
  if (f?.status === 'ok') {
    const all = FORMS.map((fm) => p('ours-gpu', fm, 1024))
      .filter((x) => x?.status === 'ok')
      .map((x) => `${x!.form} ${fmtMs(x!.timing!.median)}`);
    const again = FORMS.map((fm) => p('ours-gpu', fm, 1024)?.again)
      .filter((x) => x)
      .map((x) => fmtMs(x!.median));
    bits.push(`1024³ ours ${all.join(' / ')} ms${again.length ? ` (again at the end: ${again.join(' / ')} ms)` : ''}`);
    const tw = FORMS.map((fm) => p('tfjs-webgpu', fm, 1024))
      .filter((x) => x?.status === 'ok')
      .map((x) => fmtMs(x!.timing!.median));
    if (tw.length) bits.push(`TF.js webgpu ${tw.join(' / ')} ms`);
  }
  const on = t('ours-gpu-stats', 'mnist-8x512'),
    off = t('ours-gpu', 'mnist-8x512'),
    tw = t('tfjs-webgpu', 'mnist-8x512');
  if (on?.status === 'ok')
    bits.push(
      `8×512 step ${fmtMs(on.msPerStep!)} ms with stats${off?.status === 'ok' ? `, ${fmtMs(off.msPerStep!)} without` : ''}${tw?.status === 'ok' ? ` (TF.js webgpu ${fmtMs(tw.msPerStep!)})` : ''}`,
    );
  for (const id of TINY_RUNGS) {
    const g = t('ours-gpu', id),
      c = t('ours-cpu', id);
    if (g?.status === 'ok' && c?.status === 'ok')
      bits.push(`${id} GPU ${g.stepsPerSec!.toFixed(0)} vs CPU ${c.stepsPerSec!.toFixed(0)} steps/s`);
  }
  return bits.join('; ');
}

const STATUS_MARK: Record<string, string> = {
  met: '**met**',
  missed: '**missed**',
  'not measured': '*not measured*',
  'met where measured': '**met** where measured',
};

export const HISTORY_HEADING = '## History';

/** The History section of an existing report (kept verbatim), or null. */
export function extractHistory(md: string | null): string | null {
  if (!md) return null;
  const i = md.indexOf(`\n${HISTORY_HEADING}\n`);
  return i < 0 ? null : `${md.slice(i + 1).trimEnd()}\n`;
}

/** ` (1-min load 5.0 → 6.2)`: how busy the machine was, for judging a History entry. */
export function loadNote(r: BenchResults): string {
  const m = r.environment.machine;
  return m.loadStart === undefined
    ? ''
    : ` (1-min load average ${m.loadStart.toFixed(1)} → ${m.loadEnd?.toFixed(1) ?? '?'} on ${m.cores} cores)`;
}

export function baselineHistory(r: BenchResults): string {
  return (
    `${HISTORY_HEADING}\n\nAppend-only: one entry per change, newest last, with what it gained (re-run \`npm run bench\`, keep this section).\n\n` +
    `- ${r.date.slice(0, 10)}, baseline${r.environment.commit ? ` (commit ${r.environment.commit})` : ''}: ${keyFigures(r)}${loadNote(r)}.\n`
  );
}

export function markdownReport(r: BenchResults, history: string | null): string {
  const env = r.environment,
    mach = env.machine;
  const o: string[] = [];
  const opts = r.options as {
    quick?: boolean;
    repeats?: number;
    targetMs?: number;
    budgetMs?: number;
    minGpuSteps?: number;
  };
  o.push('# Benchmark report', '');
  o.push(
    `Generated by \`npm run bench\`${opts.quick ? ' (`--quick`)' : ''} on ${r.date.slice(0, 16).replace('T', ' ')} UTC; the run took ${(r.durationS / 60).toFixed(1)} minutes. ` +
      `Every figure is the median of up to ${opts.repeats} timed repeats after warm-up; raw samples are in [results.json](results.json). ` +
      `A cell marked ~ had repeats spread by more than ${NOISY_SPREAD * 100}% around its median (other work on the machine): read it as approximate.`,
    '',
  );
  o.push('## Machine and adapter', '');
  o.push(
    mdTable(
      {
        head: ['', ''],
        rows: [
          ...(env.commit ? [['code measured', `commit ${env.commit}`]] : []),
          ['CPU', mach.cpu],
          ['cores', String(mach.cores)],
          ['memory', mach.memoryGiB ? `${mach.memoryGiB.toFixed(1)} GiB` : 'unknown'],
          ['OS', mach.os ?? 'unknown'],
          ['runtime', env.runtime],
          ...(mach.loadStart !== undefined
            ? [
                [
                  'load average (1 min) at start / end',
                  `${mach.loadStart.toFixed(1)} / ${mach.loadEnd?.toFixed(1) ?? '?'} (other work shares these cores)`,
                ],
              ]
            : []),
          ['adapter (ours)', env.adapter ?? 'none'],
          ['adapter (TF.js webgpu)', env.tfjsAdapter ?? 'none'],
          ['driver', env.driver ?? 'unknown'],
          ['TF.js', `${env.tfjsVersion ?? 'not loaded'}; backends ${env.tfjsBackends.join(', ') || 'none'}`],
        ],
      },
      false,
    ),
    '',
  );
  if (r.ceiling) {
    o.push("## The adapter's ceiling", '');
    o.push(
      `A kernel of independent fused multiply-adds in registers (no memory traffic) reaches **${r.ceiling.gflops.toFixed(1)} GFLOP/s** ` +
        `(best of ${r.ceiling.variants.map((v) => `${v.chains} ${v.width === 4 ? 'vec4' : 'f32'} chains: ${v.gflops.toFixed(1)}`).join(', ')}). ` +
        `Every GPU figure below is also shown as a fraction of it. An empty dispatch inside a long pass costs ${r.ceiling.dispatchUs?.toFixed(1) ?? '?'} µs.` +
        (r.ceiling.checks && r.ceiling.checks.length > 1
          ? ` The best variants were measured again during the run (${r.ceiling.checks.map((c) => `${c.when}: ${c.gflops.toFixed(1)}`).join(', ')} GFLOP/s); the ceiling is the best seen, since load from other work only lowers a measurement.`
          : ''),
      '',
    );
  }
  if (r.cpuCeiling) {
    const c = r.cpuCeiling;
    o.push("## The CPU's ceiling", '');
    o.push(
      `The same measure for the CPU: WebAssembly SIMD multiply-add chains in registers (12 chains of four lanes; WebAssembly SIMD has no fused multiply-add, so each step is a multiply and an add), run by every thread of our CPU engine at once, reach **${c.gflops.toFixed(1)} GFLOP/s** with ${c.threads} thread${c.threads > 1 ? 's' : ''} (one thread alone: ${c.oneThread.toFixed(1)}). Our CPU engine's figures are also shown as a fraction of it.` +
        (c.checks && c.checks.length > 1
          ? ` Measured again during the run (${c.checks.map((x) => `${x.when}: ${x.gflops.toFixed(1)}`).join(', ')} GFLOP/s); the best seen counts.`
          : ''),
      '',
    );
  }
  o.push('## Targets', '');
  for (const t of [...evaluateTargets(r), ...cpuTargets(r)]) {
    o.push(`${t.id}. ${t.title}: ${STATUS_MARK[t.status]}`);
    for (const d of t.details) o.push(`   - ${d}`);
    for (const w of t.why) o.push(`   - why: ${w}`);
  }
  if (r.atlas) {
    const a = r.atlas;
    o.push(
      `5. ${a.networks.toLocaleString('en-US')} XOR 2-2-1 networks for ${a.epochs.toLocaleString('en-US')} epochs at least 20× faster on the GPU than our CPU population: ${a.speedup >= 20 ? STATUS_MARK.met : STATUS_MARK.missed}`,
    );
    o.push(
      `   - GPU ${(a.gpu_ms / 1000).toFixed(2)} s vs CPU ${(a.cpu_ms_full / 1000).toFixed(1)} s (${a.cpu_networks === a.networks ? 'all networks' : `${a.cpu_networks.toLocaleString('en-US')} networks timed, scaled to all`}): ${a.speedup.toFixed(1)}×`,
    );
  }
  const fastest = fastestCheck(r);
  o.push('', `The issue's aim, our engine (GPU or CPU) the fastest in every table: ${STATUS_MARK[fastest.status]}`);
  for (const d of fastest.details) o.push(`- ${d}`);
  o.push('');
  if (r.atlas) {
    const a = r.atlas;
    o.push(
      '## Population training (the weight-space atlas)',
      '',
      `${a.case}; full batch, each network from its own initial weights (\`npx mlp-playground atlas --bench\`).`,
      '',
      mdTable({
        head: ['engine', 'time', 'network-epochs/s'],
        rows: [
          [
            'ours GPU (population kernel)',
            `${(a.gpu_ms / 1000).toFixed(2)} s`,
            a.gpu_network_epochs_per_s.toExponential(2),
          ],
          [
            'ours CPU (population, one thread)',
            `${(a.cpu_ms_full / 1000).toFixed(1)} s${a.cpu_networks === a.networks ? '' : ' (scaled)'}`,
            a.cpu_network_epochs_per_s.toExponential(2),
          ],
        ],
      }),
      '',
      `GPU/CPU ${a.speedup.toFixed(1)}×; success rate ${(100 * a.success_rate).toFixed(1)}%; on the networks both trained, the same converged/failed verdict for ${(100 * a.agree_converged).toFixed(2)}% and the same epoch for ${(100 * a.agree_epoch).toFixed(2)}%.`,
      '',
    );
  }
  const chartList = charts(r);
  const chartRef = (file: string) => {
    const c = chartList.find((x) => x.file === file);
    return c ? `![${c.title}](${c.file})` : '';
  };
  if (r.products.length) {
    o.push('## Matrix products of a dense layer', '');
    o.push(
      'Square n×n×n products in the three shapes of a dense layer: forward Z = X·W + b, dX = dZ·Wᵀ, dW = Xᵀ·dZ. ' +
        'Cells: ms per product (GFLOP/s). Ours runs the variant the tuner keeps for the shape on this adapter (`mlp-playground tune`), data resident on the device, many dispatches per submit, ' +
        'timed to `onSubmittedWorkDone`; TF.js runs `tf.matMul` with the transpose flags (`tf.fused.matMul` with the bias for forward) on resident tensors and syncs once per repeat by reading the last result.' +
        (r.products.some((p) => p.again)
          ? ` Our GPU engine's ${TARGET_SIZE}³ cells are measured again at the end of the run; the tables show the ladder's reading, target 1 the faster of the two against the ceiling (see Targets).`
          : ''),
      '',
    );
    for (const form of FORMS) {
      if (!r.products.some((p) => p.form === form)) continue;
      const method = r.products.find((p) => p.form === form && p.engine === 'ours-gpu' && p.method)?.method;
      o.push(
        `### ${form}${method ? ` (ours: \`${method}\`)` : ''}`,
        '',
        mdTable(productTable(r, form)),
        '',
        chartRef(`product-${form.toLowerCase()}.svg`),
        '',
      );
    }
    const errs = r.products.filter((p) => p.maxRelErrorVsCpu !== undefined);
    if (errs.length) {
      const worst = errs.reduce((a, b) => (a.maxRelErrorVsCpu! > b.maxRelErrorVsCpu! ? a : b));
      o.push(
        `Every engine's result was compared with our CPU reference where that ran: the largest deviation was ${worst.maxRelErrorVsCpu!.toExponential(1)} (|x − ref| / (1 + |ref|), ${ENGINE_LABELS[worst.engine]}, ${worst.form} ${worst.size}³).`,
        '',
      );
    }
  }
  if (r.training.length) {
    o.push('## Training steps', '');
    o.push(
      'One SGD update (lr 0.01) on one batch, forward, loss, backward and update, with the same network, initializers and loss on every engine. ' +
        `Cells: ms per step (samples/s). "ours GPU" records statistics once per \`run\` call (log_every huge), "ours GPU + stats" every step (log_every 1); both are timed in windows of ${opts.minGpuSteps ?? 8} steps or more (three times the budget to fit them, down to 2 steps where a step takes seconds; the iterations per window are in results.json), so that the wait for the GPU at the end of each window weighs alike on both, and with every repeat even where windows are long (the statistics cost is their difference). ` +
        'TF.js: a `tf.sequential` of Dense layers stepped with `optimizer.minimize(f, false)` (no loss read-back; softmax + categorical cross-entropy as `tf.losses.softmaxCrossEntropy` on the logits), batches resident on the backend, one read-back at the end of each timed window. ' +
        'The 16×1024 network uses batch 256.',
      '',
    );
    o.push(mdTable(trainTable(r)), '', chartRef('training.svg'), '');
    const st = statsTable(r);
    if (st.rows.length)
      o.push(
        '### Cost of statistics (ours GPU)',
        '',
        "Share of step = (with − without) / with: from the medians; paired by round, the median over rounds of each round's share (the two engines' repeats of one round run seconds apart, so a burst of other work weighs on both; target 2 takes this one); from the fastest repeats of each.",
        '',
        mdTable(st),
        '',
      );
    o.push(
      '### Tiny networks: our GPU vs our CPU',
      '',
      mdTable(
        pairTable(
          r,
          'ours-gpu',
          'ours-cpu',
          TINY_RUNGS.filter((id) => r.rungs.some((x) => x.id === id)),
        ),
      ),
      '',
    );
    o.push(
      '### Our CPU vs TF.js cpu',
      '',
      mdTable(
        pairTable(
          r,
          'ours-cpu',
          'tfjs-cpu',
          r.rungs.map((x) => x.id),
          true,
        ),
      ),
      '',
    );
  }
  const rt = ratioTable(r);
  if (rt.rows.length) {
    o.push(
      '## Each engine relative to ours',
      '',
      "Time divided by our GPU engine's time for the same cell: above 1, ours is faster.",
      '',
      mdTable(rt),
      '',
      chartRef('ratio-products.svg'),
      '',
      chartRef('ratio-training.svg'),
      '',
    );
  }
  const x = crossover(r);
  o.push('## GPU/CPU crossover', '');
  const fx = Object.entries(x.products).map(
    ([f, n]) => `${f}: ${n === null ? 'never in the measured range' : `from n = ${n}`}`,
  );
  if (fx.length)
    o.push(`Products, where our GPU kernel beats our CPU reference (and keeps beating it): ${fx.join('; ')}.`);
  if (r.training.length)
    o.push(
      `Training steps: ${x.training === null ? 'our GPU engine does not beat our CPU engine on any measured network' : `our GPU engine is faster from ${r.rungs.find((i) => i.id === x.training)?.label} on`}.`,
    );
  o.push('', chartRef('crossover.svg'), '');
  const skipped = [
    ...r.products
      .filter((p) => p.status !== 'ok')
      .map((p) => [`${ENGINE_LABELS[p.engine]}, ${p.form} ${p.size}³`, p.status, p.reason ?? ''] as string[]),
    ...r.training
      .filter((t) => t.status !== 'ok')
      .map((t) => [`${ENGINE_LABELS[t.engine]}, ${t.rung}`, t.status, t.reason ?? ''] as string[]),
  ];
  if (skipped.length)
    o.push('## Not measured', '', mdTable({ head: ['cell', 'status', 'reason'], rows: skipped }, false), '');
  o.push('## Method', '');
  o.push(
    `- Each cell's engines are warmed up (pipeline compilation, first upload, JIT) and calibrated one after another, then timed round-robin so background load hits all of them alike; a repeat lasts at least ${opts.targetMs} ms and ends with one synchronization. Before each timed repeat a GPU engine runs about ${GPU_REWARM_MS} ms of untimed work, so that waking an adapter that idled while the other engines ran is not timed.`,
  );
  o.push(
    `- A budget of ${((opts.budgetMs ?? 0) / 1000).toFixed(0)} s per engine and product cell, twice that per training cell (three times for our GPU engine without statistics), warm-up excluded, bounds slow engines; repeats of a second or more are limited to ${(r.options as { minRepeats?: number }).minRepeats}: one whose predicted (from its last cell of a second or more) or measured iteration time leaves no room for the minimum repeats is skipped, with the reason above. A slow engine's first timed iteration right after the warm-up counts as its first repeat.`,
  );
  o.push(
    "- On a shared machine other jobs only ever add time, in bursts: medians of short repeats dodge some bursts, a repeat of several seconds (our GPU engine's multi-step windows on the big networks) rarely does, so under load such cells read slow. The load averages above, the ~ marks and the fastest repeats in results.json tell how much to trust a cell.",
  );
  o.push(
    '- The ceiling kernel and the products use our `PipelineCache`/`bind`/`dispatch`; the training rows use the engines through the `Engine` interface, exactly as the CLI and the page drive them.',
  );
  if (r.notes.length) for (const n of r.notes) o.push(`- ${n}`);
  o.push('');
  o.push((history ?? baselineHistory(r)).trimEnd(), '');
  return o.join('\n');
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
  const q = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
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
  return `${[head, ...rows].map((row) => row.map(q).join(',')).join('\n')}\n`;
}

/** Column-wise chart data (uPlot's layout): x values and one y column per engine, null where missing. */
export interface ChartColumns {
  x: number[];
  xLabel: string;
  series: Array<{ engine: EngineName; label: string; color: string; y: Array<number | null> }>;
}

export function chartColumns(r: BenchResults, view: 'forward' | 'dX' | 'dW' | 'training'): ChartColumns {
  if (view === 'training') {
    const rungs = [...r.rungs].sort((a, b) => a.flopsPerStep - b.flopsPerStep);
    const es = engines(r.training, TRAIN_ENGINES);
    return {
      x: rungs.map((i) => i.flopsPerStep / 1e9),
      xLabel: 'GFLOP per step',
      series: es.map((e) => ({
        engine: e,
        label: ENGINE_LABELS[e],
        color: ENGINE_COLORS[e],
        y: rungs.map((i) => {
          const t = r.training.find((m) => m.rung === i.id && m.engine === e);
          return t?.status === 'ok' ? t.msPerStep! : null;
        }),
      })),
    };
  }
  const ps = r.products.filter((p) => p.form === view);
  const sizes = [...new Set(ps.map((p) => p.size))].sort((a, b) => a - b);
  return {
    x: sizes,
    xLabel: 'n (n×n×n product)',
    series: engines(ps, PRODUCT_ENGINES).map((e) => ({
      engine: e,
      label: ENGINE_LABELS[e],
      color: ENGINE_COLORS[e],
      y: sizes.map((n) => {
        const p = ps.find((m) => m.size === n && m.engine === e);
        return p?.status === 'ok' ? p.timing!.median : null;
      }),
    })),
  };
}

/** The report's tables as plain data (the page renders them as HTML). */
export function reportTables(r: BenchResults): Array<{ title: string } & Table> {
  const out: Array<{ title: string } & Table> = [];
  for (const form of FORMS)
    if (r.products.some((p) => p.form === form))
      out.push({ title: `${form} product: ms (GFLOP/s)`, ...productTable(r, form) });
  if (r.training.length) out.push({ title: 'training: ms per step (samples/s)', ...trainTable(r) });
  const st = statsTable(r);
  if (st.rows.length) out.push({ title: 'cost of statistics (ours GPU)', ...st });
  return out;
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
