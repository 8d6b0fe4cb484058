/**
 * @file The report's charts (SVG files next to REPORT.md) and the page's chart columns, from a
 * run's results: time against work per engine, each engine relative to ours, and the GPU/CPU
 * crossover of our two backends.
 */
import { ENGINE_COLORS, ENGINE_LABELS, FORMS } from './spec';
import { type ChartSeries, type ChartSpec, lineChartSvg } from './svg';
import { engines } from './tables';
import type { BenchResults, EngineName, ProductMeasurement, TrainMeasurement } from './types';
import { PRODUCT_ENGINES, TRAIN_ENGINES } from './types';

interface Chart {
  file: string;
  title: string;
  svg: string;
}

const series = (engine: EngineName, points: Array<[number, number]>, dash = false): ChartSeries => ({
  label: ENGINE_LABELS[engine],
  color: ENGINE_COLORS[engine],
  points,
  dash,
});

/** A log-log chart written to `file`. */
function chart(file: string, spec: Omit<ChartSpec, 'xLog' | 'yLog'>): Chart {
  return { file, title: spec.title, svg: lineChartSvg({ ...spec, xLog: true, yLog: true }) };
}

const sizesOf = (r: BenchResults) => [...new Set(r.products.map((p) => p.size))].sort((a, b) => a - b);
const okTraining = (r: BenchResults) => r.training.filter((t) => t.status === 'ok');
const flopsOf = (r: BenchResults, id: string) => r.rungs.find((x) => x.id === id)!.flopsPerStep;

function productCharts(r: BenchResults): Chart[] {
  return FORMS.flatMap((form) => {
    const ps = r.products.filter((p) => p.form === form && p.status === 'ok');
    if (ps.length === 0) return [];
    const points = (e: EngineName) => ps.filter((p) => p.engine === e).map((p): [number, number] => [p.size, ms(p)]);
    return [
      chart(`product-${form.toLowerCase()}.svg`, {
        title: `${form} product, ms per product vs n (n×n×n)`,
        xLabel: 'n',
        yLabel: 'ms per product',
        xTicks: sizesOf(r),
        series: engines(ps, PRODUCT_ENGINES).map((e) => series(e, points(e))),
      }),
    ];
  });
}

const ms = (p: ProductMeasurement) => p.timing!.median;

function trainingCharts(r: BenchResults): Chart[] {
  const ts = okTraining(r);
  if (!ts.length) return [];
  const gflop = (t: TrainMeasurement) => flopsOf(r, t.rung) / 1e9;
  const out = [
    chart('training.svg', {
      title: 'Training step, ms per step vs model work (GFLOP per step)',
      xLabel: 'GFLOP per step',
      yLabel: 'ms per step',
      series: engines(ts, TRAIN_ENGINES).map((e) =>
        series(
          e,
          ts.filter((t) => t.engine === e).map((t) => [gflop(t), t.msPerStep!]),
          e === 'ours-gpu-stats',
        ),
      ),
    }),
  ];
  const ours = new Map(ts.filter((t) => t.engine === 'ours-gpu').map((t) => [t.rung, t.msPerStep!]));
  const rt = ts.filter((t) => t.engine !== 'ours-gpu' && ours.has(t.rung));
  if (rt.length) {
    const relative = (e: EngineName) =>
      rt.filter((t) => t.engine === e).map((t): [number, number] => [gflop(t), t.msPerStep! / ours.get(t.rung)!]);
    out.push(
      chart('ratio-training.svg', {
        title: 'Each engine relative to ours (time / our GPU time; above 1: ours is faster)',
        xLabel: 'GFLOP per step',
        yLabel: 'time / ours GPU',
        hlines: [{ y: 1, label: 'ours GPU' }],
        series: engines(rt, TRAIN_ENGINES).map((e) => series(e, relative(e), e === 'ours-gpu-stats')),
      }),
    );
  }
  return out;
}

function productRatioCharts(r: BenchResults): Chart[] {
  const fw = r.products.filter((p) => p.form === 'forward' && p.status === 'ok');
  const ours = new Map(fw.filter((p) => p.engine === 'ours-gpu').map((p) => [p.size, ms(p)]));
  const rp = fw.filter((p) => p.engine !== 'ours-gpu' && ours.has(p.size));
  if (!rp.length) return [];
  const relative = (e: EngineName) =>
    rp.filter((p) => p.engine === e).map((p): [number, number] => [p.size, ms(p) / ours.get(p.size)!]);
  return [
    chart('ratio-products.svg', {
      title: 'Forward product relative to ours (time / our GPU time)',
      xLabel: 'n',
      yLabel: 'time / ours GPU',
      xTicks: sizesOf(r),
      hlines: [{ y: 1, label: 'ours GPU' }],
      series: engines(rp, PRODUCT_ENGINES).map((e) => series(e, relative(e))),
    }),
  ];
}

/** Our two backends on one work axis: products (the three forms summed: one layer's products) and whole steps. */
function crossoverCharts(r: BenchResults): Chart[] {
  const layer = (e: EngineName) =>
    sizesOf(r).flatMap((n): Array<[number, number]> => {
      const cell = FORMS.map((f) => r.products.find((p) => p.form === f && p.size === n && p.engine === e));
      return cell.every((p) => p?.status === 'ok')
        ? [[(3 * 2 * n ** 3) / 1e9, cell.reduce((s, p) => s + ms(p!), 0)]]
        : [];
    });
  const step = (e: EngineName) =>
    okTraining(r)
      .filter((t) => t.engine === e)
      .map((t): [number, number] => [t.flopsPerStep / 1e9, t.msPerStep!]);
  const cross: ChartSeries[] = [
    { ...series('ours-gpu', layer('ours-gpu')), label: 'ours GPU: layer products' },
    { ...series('ours-cpu', layer('ours-cpu')), label: 'ours CPU: layer products' },
    { ...series('ours-gpu', step('ours-gpu'), true), label: 'ours GPU: training step' },
    { ...series('ours-cpu', step('ours-cpu'), true), label: 'ours CPU: training step' },
  ].filter((s) => s.points.length > 0);
  if (!cross.length) return [];
  return [
    chart('crossover.svg', {
      title: 'GPU/CPU crossover: our two backends vs work per iteration',
      xLabel: 'GFLOP per iteration',
      yLabel: 'ms',
      series: cross,
      width: 720,
    }),
  ];
}

/** The report's charts, by file name. */
export function charts(r: BenchResults): Chart[] {
  return [...productCharts(r), ...trainingCharts(r), ...productRatioCharts(r), ...crossoverCharts(r)];
}

/** Column-wise chart data (uPlot's layout): x values and one y column per engine, null where missing. */
interface ChartColumns {
  x: number[];
  xLabel: string;
  series: Array<{ engine: EngineName; label: string; color: string; y: Array<number | null> }>;
}

function column(engine: EngineName, y: Array<number | null>): ChartColumns['series'][number] {
  return { engine, label: ENGINE_LABELS[engine], color: ENGINE_COLORS[engine], y };
}

export function chartColumns(r: BenchResults, view: 'forward' | 'dX' | 'dW' | 'training'): ChartColumns {
  if (view === 'training') {
    const rungs = [...r.rungs].sort((a, b) => a.flopsPerStep - b.flopsPerStep);
    const msOf = (e: EngineName, id: string) => {
      const t = r.training.find((m) => m.rung === id && m.engine === e);
      return t?.status === 'ok' ? t.msPerStep! : null;
    };
    return {
      x: rungs.map((i) => i.flopsPerStep / 1e9),
      xLabel: 'GFLOP per step',
      series: engines(r.training, TRAIN_ENGINES).map((e) =>
        column(
          e,
          rungs.map((i) => msOf(e, i.id)),
        ),
      ),
    };
  }
  const ps = r.products.filter((p) => p.form === view);
  const sizes = [...new Set(ps.map((p) => p.size))].sort((a, b) => a - b);
  const msOf = (e: EngineName, n: number) => {
    const p = ps.find((m) => m.size === n && m.engine === e);
    return p?.status === 'ok' ? ms(p) : null;
  };
  return {
    x: sizes,
    xLabel: 'n (n×n×n product)',
    series: engines(ps, PRODUCT_ENGINES).map((e) =>
      column(
        e,
        sizes.map((n) => msOf(e, n)),
      ),
    ),
  };
}
