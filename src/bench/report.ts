/**
 * @file bench/REPORT.md: a run's results, read by the tables, the charts and the targets, in the
 * words of bench/template/report.md. Pure functions of `BenchResults` (plus the report's
 * preserved History section), so the page could render the same text.
 */
import { charts } from './charts';
import { cpuTargets } from './cpu-targets';
import { NOISY_SPREAD } from './format';
import { baselineHistory } from './history';
import { ENGINE_LABELS, FORMS, GPU_REWARM_MS, TARGET_SIZE, TINY_RUNGS } from './spec';
import { mdTable, pairTable, productTable, ratioTable, statsTable, trainTable } from './tables';
import { atlasTarget, evaluateTargets, fastestCheck, type TargetCheck } from './targets';
import type { BenchResults } from './types';
import { REPORT_WORDS as words } from './words';

interface RunOptions {
  quick?: boolean;
  repeats?: number;
  targetMs?: number;
  budgetMs?: number;
  minRepeats?: number;
  minGpuSteps?: number;
}

const STATUS_MARK: Record<string, string> = {
  met: '**met**',
  missed: '**missed**',
  'not measured': '*not measured*',
  'met where measured': '**met** where measured',
};

/** A report section: lines, each section ending with an empty one. */
type Section = (r: BenchResults, chartRef: (file: string) => string) => string[];

function intro(r: BenchResults): string[] {
  const opts = r.options as RunOptions;
  return [
    words.fill('title'),
    '',
    words.fill('intro', {
      quick: opts.quick ? ' (`--quick`)' : '',
      date: r.date.slice(0, 16).replace('T', ' '),
      minutes: (r.durationS / 60).toFixed(1),
      repeats: String(opts.repeats),
      noisy: NOISY_SPREAD * 100,
    }),
    '',
  ];
}

function machine(r: BenchResults): string[] {
  const env = r.environment,
    mach = env.machine;
  const load =
    mach.loadStart === undefined
      ? []
      : [
          [
            'load average (1 min) at start / end',
            `${mach.loadStart.toFixed(1)} / ${mach.loadEnd?.toFixed(1) ?? '?'} (other work shares these cores)`,
          ],
        ];
  const rows = [
    ...(env.commit ? [['code measured', `commit ${env.commit}`]] : []),
    ['CPU', mach.cpu],
    ['cores', String(mach.cores)],
    ['memory', mach.memoryGiB ? `${mach.memoryGiB.toFixed(1)} GiB` : 'unknown'],
    ['OS', mach.os ?? 'unknown'],
    ['runtime', env.runtime],
    ...load,
    ['adapter (ours)', env.adapter ?? 'none'],
    ['adapter (TF.js webgpu)', env.tfjsAdapter ?? 'none'],
    ['driver', env.driver ?? 'unknown'],
    ['TF.js', `${env.tfjsVersion ?? 'not loaded'}; backends ${env.tfjsBackends.join(', ') || 'none'}`],
  ];
  return [words.fill('machine'), '', mdTable({ head: ['', ''], rows }, false), ''];
}

function ceiling(r: BenchResults): string[] {
  const c = r.ceiling;
  if (!c) return [];
  const variants = c.variants.map(
    (v) => `${v.chains} ${v.width === 4 ? 'vec4' : 'f32'} chains: ${v.gflops.toFixed(1)}`,
  );
  const checks = (c.checks ?? []).map((check) => `${check.when}: ${check.gflops.toFixed(1)}`).join(', ');
  const rechecks = (c.checks?.length ?? 0) > 1 ? ` ${words.fill('ceiling-rechecks', { checks })}` : '';
  const values = {
    gflops: c.gflops.toFixed(1),
    variants: variants.join(', '),
    dispatchUs: c.dispatchUs?.toFixed(1) ?? '?',
    rechecks,
  };
  return [words.fill('ceiling', values), ''];
}

/** The CPU's ceiling, where our CPU engine ran (cpu-ceiling.ts). */
function cpuCeiling(r: BenchResults): string[] {
  const c = r.cpuCeiling;
  if (!c) return [];
  const checks = (c.checks ?? []).map((check) => `${check.when}: ${check.gflops.toFixed(1)}`).join(', ');
  const rechecks = (c.checks?.length ?? 0) > 1 ? ` ${words.fill('cpu-ceiling-rechecks', { checks })}` : '';
  const values = {
    gflops: c.gflops.toFixed(1),
    threads: `${c.threads} thread${c.threads > 1 ? 's' : ''}`,
    one: c.oneThread.toFixed(1),
    rechecks,
  };
  return [words.fill('cpu-ceiling', values), ''];
}

function targetLines(t: TargetCheck): string[] {
  return [
    `${t.id}. ${t.title}: ${STATUS_MARK[t.status]}`,
    ...t.details.map((d) => `   - ${d}`),
    ...t.why.map((w) => `   - why: ${w}`),
  ];
}

function targets(r: BenchResults): string[] {
  const atlas = atlasTarget(r);
  const fastest = fastestCheck(r);
  return [
    words.fill('targets'),
    '',
    ...[...evaluateTargets(r), ...cpuTargets(r)].flatMap(targetLines),
    ...(atlas ? targetLines(atlas) : []),
    '',
    words.fill('fastest', { status: STATUS_MARK[fastest.status] }),
    ...fastest.details.map((d) => `- ${d}`),
    '',
  ];
}

function atlas(r: BenchResults): string[] {
  const a = r.atlas;
  if (!a) return [];
  const scaled = a.cpu_networks === a.networks ? '' : ' (scaled)';
  const table = mdTable({
    head: ['engine', 'time', 'network-epochs/s'],
    rows: [
      [
        'ours GPU (population kernel)',
        `${(a.gpu_ms / 1000).toFixed(2)} s`,
        a.gpu_network_epochs_per_s.toExponential(2),
      ],
      [
        'ours CPU (population, one thread)',
        `${(a.cpu_ms_full / 1000).toFixed(1)} s${scaled}`,
        a.cpu_network_epochs_per_s.toExponential(2),
      ],
    ],
  });
  const summary = words.fill('atlas-summary', {
    speedup: a.speedup.toFixed(1),
    success: (100 * a.success_rate).toFixed(1),
    sameVerdict: (100 * a.agree_converged).toFixed(2),
    sameEpoch: (100 * a.agree_epoch).toFixed(2),
  });
  return [words.fill('atlas', { case: a.case }), '', table, '', summary, ''];
}

function products(r: BenchResults, chartRef: (file: string) => string): string[] {
  if (!r.products.length) return [];
  const again = r.products.some((p) => p.again) ? ` ${words.fill('products-again', { size: TARGET_SIZE })}` : '';
  const o = [words.fill('products', { again }), ''];
  for (const form of FORMS) {
    if (!r.products.some((p) => p.form === form)) continue;
    const method = r.products.find((p) => p.form === form && p.engine === 'ours-gpu' && p.method)?.method;
    const heading = `### ${form}${method ? ` (ours: \`${method}\`)` : ''}`;
    o.push(heading, '', mdTable(productTable(r, form)), '', chartRef(`product-${form.toLowerCase()}.svg`), '');
  }
  const errs = r.products.filter((p) => p.maxRelErrorVsCpu !== undefined);
  if (errs.length) {
    const worst = errs.reduce((a, b) => (a.maxRelErrorVsCpu! > b.maxRelErrorVsCpu! ? a : b));
    const values = {
      deviation: worst.maxRelErrorVsCpu!.toExponential(1),
      engine: ENGINE_LABELS[worst.engine],
      form: worst.form,
      size: worst.size,
    };
    o.push(words.fill('products-deviation', values), '');
  }
  return o;
}

function training(r: BenchResults, chartRef: (file: string) => string): string[] {
  if (!r.training.length) return [];
  const window = (r.options as RunOptions).minGpuSteps ?? 8;
  const o = [words.fill('training', { window }), '', mdTable(trainTable(r)), '', chartRef('training.svg'), ''];
  const statsCost = statsTable(r);
  if (statsCost.rows.length) o.push(words.fill('training-statistics'), '', mdTable(statsCost), '');
  const tiny = TINY_RUNGS.filter((id) => r.rungs.some((x) => x.id === id));
  o.push(words.fill('training-tiny'), '', mdTable(pairTable(r, 'ours-gpu', 'ours-cpu', tiny)), '');
  const all = r.rungs.map((x) => x.id);
  o.push(words.fill('training-cpu'), '', mdTable(pairTable(r, 'ours-cpu', 'tfjs-cpu', all, true)), '');
  return o;
}

function ratios(r: BenchResults, chartRef: (file: string) => string): string[] {
  const rt = ratioTable(r);
  if (!rt.rows.length) return [];
  const charts = [chartRef('ratio-products.svg'), '', chartRef('ratio-training.svg'), ''];
  return [words.fill('ratios'), '', mdTable(rt), '', ...charts];
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

function crossoverSection(r: BenchResults, chartRef: (file: string) => string): string[] {
  const x = crossover(r);
  const o = [words.fill('crossover'), ''];
  const forms = Object.entries(x.products).map(
    ([f, n]) => `${f}: ${n === null ? 'never in the measured range' : `from n = ${n}`}`,
  );
  if (forms.length) o.push(words.fill('crossover-products', { forms: forms.join('; ') }));
  if (r.training.length) {
    const network = r.rungs.find((i) => i.id === x.training)?.label;
    o.push(
      x.training === null
        ? words.fill('crossover-training-never')
        : words.fill('crossover-training-from', { network: `${network}` }),
    );
  }
  return [...o, '', chartRef('crossover.svg'), ''];
}

function notMeasured(r: BenchResults): string[] {
  const rows = [
    ...r.products
      .filter((p) => p.status !== 'ok')
      .map((p) => [`${ENGINE_LABELS[p.engine]}, ${p.form} ${p.size}³`, p.status, p.reason ?? '']),
    ...r.training
      .filter((t) => t.status !== 'ok')
      .map((t) => [`${ENGINE_LABELS[t.engine]}, ${t.rung}`, t.status, t.reason ?? '']),
  ];
  if (!rows.length) return [];
  return [words.fill('not-measured'), '', mdTable({ head: ['cell', 'status', 'reason'], rows }, false), ''];
}

function method(r: BenchResults): string[] {
  const opts = r.options as RunOptions;
  const values = {
    targetMs: String(opts.targetMs),
    rewarmMs: GPU_REWARM_MS,
    budgetS: ((opts.budgetMs ?? 0) / 1000).toFixed(0),
    minRepeats: String(opts.minRepeats),
  };
  return [words.fill('method', values), ...r.notes.map((n) => `- ${n}`), ''];
}

const SECTIONS: Section[] = [
  intro,
  machine,
  ceiling,
  cpuCeiling,
  targets,
  atlas,
  products,
  training,
  ratios,
  crossoverSection,
  notMeasured,
  method,
];

export function markdownReport(r: BenchResults, history: string | null): string {
  const chartList = charts(r);
  const chartRef = (file: string) => {
    const c = chartList.find((x) => x.file === file);
    return c ? `![${c.title}](${c.file})` : '';
  };
  const lines = SECTIONS.flatMap((section) => section(r, chartRef));
  return [...lines, (history ?? baselineHistory(r)).trimEnd(), ''].join('\n');
}
