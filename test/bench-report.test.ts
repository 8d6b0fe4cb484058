/**
 * @file What the benchmark makes of a run's results: the targets' verdicts, the report filled
 * from its template, the charts, CSV and results.json, and the SVG writer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartColumns, charts } from '../src/bench/charts';
import { cpuTargets } from '../src/bench/cpu-targets';
import { extractHistory } from '../src/bench/history';
import { crossover, markdownReport } from '../src/bench/report';
import { serializeResults, toCsv } from '../src/bench/results-file';
import { FORMS } from '../src/bench/spec';
import { median, pairedShare } from '../src/bench/stats';
import { escapeXml, lineChartSvg, logTicks, scaleValue } from '../src/bench/svg';
import { evaluateTargets, fastestCheck } from '../src/bench/targets';
import { Template } from '../src/bench/template';
import type { BenchResults, TrainMeasurement } from '../src/bench/types';
import { product, products, results, step, timing } from './fixtures/bench-results';

/** Well-formedness: every tag closes in order (enough for our generated SVG: no CDATA, no comments). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('SVG line chart', () => {
  const svg = lineChartSvg({
    title: 'ms vs n <&>',
    xLabel: 'n',
    yLabel: 'ms',
    xLog: true,
    yLog: true,
    xTicks: [64, 128, 256],
    series: [
      {
        label: 'a',
        color: '#000',
        points: [
          [64, 1],
          [128, 10],
          [256, 100],
        ],
      },
      {
        label: 'b "gap"',
        color: '#f00',
        points: [
          [64, 2],
          [128, NaN],
          [256, 0],
        ],
        dash: true,
      },
    ],
    hlines: [{ y: 1, label: 'one' }],
  });

  it('is one well-formed svg element with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('ms vs n &lt;&amp;&gt;');
    expect(svg).toContain('b &quot;gap&quot;');
    expect(escapeXml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });

  it('puts decades at equal distances on a log axis', () => {
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" data-v="(\d+(?:\.\d+)?)">/g)]
      .filter((m) => ['1', '10', '100'].includes(m[2]))
      .map((m) => Number(m[1]));
    expect(ys).toHaveLength(3);
    expect(Math.abs(ys[0] - ys[1] - (ys[1] - ys[2]))).toBeLessThan(0.2);
    expect(scaleValue(10, 1, 100, 0, 200, true)).toBeCloseTo(100);
    expect(scaleValue(10, 0, 100, 0, 200, false)).toBeCloseTo(20);
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(1, 10)).toEqual([1, 2, 5, 10]);
  });

  it('leaves a gap for points a log axis cannot show', () => {
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(2);
    expect(paths[1].match(/[ML]/g)).toEqual(['M']);
  });
});

describe('targets', () => {
  it("the CPU engine's targets: the 8×512 step, the 1024³ products against TF.js wasm and the CPU ceiling, the tiny networks", () => {
    // 2·1024³ FLOPs = 2.147 GFLOP: 40 ms is 54 GFLOP/s, 25% of a 200 GFLOP/s ceiling is 43 ms.
    const r = results(
      [
        product('ours-cpu', 'forward', 1024, 40),
        product('ours-cpu', 'dX', 1024, 42),
        product('ours-cpu', 'dW', 1024, 60),
        product('tfjs-wasm', 'forward', 1024, 50),
      ],
      [
        step('ours-cpu', 'mnist-8x512', 100),
        step('ts-cpu', 'mnist-8x512', 600),
        step('tfjs-wasm', 'mnist-8x512', 900),
        step('ours-cpu', 'xor', 0.003),
        step('ts-cpu', 'xor', 0.004),
        step('ours-cpu', 'circle', 0.08),
        step('ts-cpu', 'circle', 0.07),
      ],
    );
    r.cpuCeiling = { gflops: 200, threads: 2, oneThread: 100 };
    const [stepT, products, tiny] = cpuTargets(r);
    expect(stepT.status).toBe('missed');
    expect(stepT.details).toEqual([
      'ours 100 ms vs the TypeScript engine 600 ms per step: 6.00×',
      'ours 100 ms vs TF.js wasm 900 ms per step: 9.00×, missed (needs 1.11× more)',
    ]);
    expect(products.status).toBe('missed');
    expect(products.details[0]).toMatch(
      /^forward: 40\.00 ms, 53\.7 GFLOP\/s; 1\.25× faster than TF\.js wasm's forward \(50\.00 ms\); 27% of/,
    );
    expect(products.details[2]).toMatch(
      /^dW: 60\.00 ms, .*missed, 1\.20× slower than .*18% of .*: missed, needs 1\.40× more$/,
    );
    expect(tiny.status).toBe('missed');
    expect(tiny.details[1]).toBe(
      'circle: ours 0.080 ms vs the TypeScript engine 0.070 ms per step: missed, 1.14× slower',
    );
    r.training = r.training.map((t) => (t.engine === 'tfjs-wasm' ? step('tfjs-wasm', 'mnist-8x512', 1000) : t));
    expect(cpuTargets(r)[0].status).toBe('met');
  });

  // 2·1024³ FLOPs = 2.147 GFLOP: 20 ms is 107 GFLOP/s, 40 ms is 54 GFLOP/s.
  const target1 = (ours: number, tf: number, ceiling: number) =>
    evaluateTargets(
      results(
        FORMS.flatMap((f) => [product('ours-gpu', f, 1024, ours), product('tfjs-webgpu', f, 1024, tf)]),
        [],
        ceiling,
      ),
    )[0].status;
  const target2 = (withStats: number, without: number, tf: number) =>
    evaluateTargets(
      results(
        [],
        [
          step('ours-gpu-stats', 'mnist-8x512', withStats),
          step('ours-gpu', 'mnist-8x512', without),
          step('tfjs-webgpu', 'mnist-8x512', tf),
        ],
      ),
    )[1].status;

  it('grade each target by the figures it names, not measured where they are missing', () => {
    expect([target1(20, 45, 200), target1(20, 35, 200), target1(40, 100, 200)]).toEqual(['met', 'missed', 'missed']);
    expect([target2(110, 100, 400), target2(110, 100, 300), target2(150, 100, 600)]).toEqual([
      'met',
      'missed',
      'missed',
    ]);
    expect(evaluateTargets(results([], [])).map((t) => t.status)).toEqual(Array(4).fill('not measured'));
    const tiny = (gpu: number) =>
      evaluateTargets(results([], [step('ours-gpu', 'xor', gpu), step('ours-cpu', 'xor', 0.1)]))[2].status;
    expect([tiny(0.2), tiny(0.21)]).toEqual(['met where measured', 'missed']);
  });

  it("target 1 reads the faster of a cell's two readings against the ceiling, the ladder's against TF.js", () => {
    // 30 ms is 36% of a 200 GFLOP/s ceiling, 20 ms 54%; TF.js at 100 ms is 3.3× the ladder's 30 ms.
    const cell = (again: number) =>
      evaluateTargets(
        results(
          [
            { ...product('ours-gpu', 'forward', 1024, 30), again: timing(again) },
            product('tfjs-webgpu', 'forward', 1024, 100),
          ],
          [],
          200,
        ),
      )[0].status;
    expect([cell(20), cell(50)]).toEqual(['met where measured', 'missed']);
  });

  it('target 2 pairs the statistics share by round: bursts of other work that slow both engines of a round cancel', () => {
    // Rounds 2 and 4 slowed both engines, round 5 only the run with statistics.
    const withS = [110, 160, 110, 165, 160],
      without = [100, 145, 100, 150, 100];
    expect(pairedShare(withS, without)).toBeCloseTo(10 / 110, 6);
    expect(pairedShare(withS, without.slice(1))).toBeUndefined();
    const mk = (engine: TrainMeasurement['engine'], xs: number[]) => {
      const m = step(engine, 'mnist-8x512', median(xs));
      return { ...m, timing: { ...m.timing!, samples: xs, repeats: xs.length, min: Math.min(...xs) } };
    };
    // By medians the statistics would take 38% of the step; paired by round, 9%.
    const r = results(
      [],
      [mk('ours-gpu-stats', withS), mk('ours-gpu', without), step('tfjs-webgpu', 'mnist-8x512', 800)],
    );
    expect(evaluateTargets(r)[1].status).toBe('met');
  });

  it('"fastest in the table" takes the faster of ours per cell and counts only cells with a peer', () => {
    const r = results(
      products([
        ['ours-gpu', 'forward', 64, 0.08],
        ['ours-cpu', 'forward', 64, 0.5],
        ['tfjs-wasm', 'forward', 64, 0.03],
        ['ours-gpu', 'dW', 64, 0.05],
        ['tfjs-wasm', 'dW', 64, 0.2],
        ['ours-gpu', 'dX', 64, 0.05],
      ]),
      [step('ours-gpu', 'xor', 0.2), step('ours-cpu', 'xor', 0.01), step('tfjs-cpu', 'xor', 0.4)],
    );
    expect(fastestCheck(r).status).toBe('missed');
    r.products[2] = product('tfjs-wasm', 'forward', 64, 0.09);
    expect(fastestCheck(r).status).toBe('met');
    // Our GPU with statistics is not ours' entry, and a cell without a peer counts for nothing.
    const lone = results(
      [product('ours-gpu', 'dX', 64, 1)],
      [step('ours-gpu-stats', 'xor', 1), step('tfjs-cpu', 'xor', 2)],
    );
    expect(fastestCheck(lone).status).toBe('not measured');
  });
});

describe('report', () => {
  const r = results(
    products(
      [64, 128, 256].flatMap((n, i) => [
        ['ours-gpu', 'forward', n, [0.5, 1, 3][i]],
        ['ours-cpu', 'forward', n, [0.2, 2, null][i]],
      ]),
    ),
    [step('ours-gpu', 'xor', 1), step('ours-cpu', 'xor', 0.1)],
  );

  it('finds the GPU/CPU crossover, counting a CPU too slow to measure as beaten', () => {
    expect(crossover(r).products.forward).toBe(128);
    expect(crossover(r).training).toBeNull();
  });

  it('keeps the History section of the previous report and starts one with the baseline', () => {
    const first = markdownReport(r, null);
    expect(first).toMatch(/## History\n\n.*\n\n- 2025-01-01, baseline/);
    const edited = `${first.replace(/\n$/, '')}\n- 2025-01-02, vec8 tiles: forward 1024³ 2× faster.\n`;
    const again = markdownReport(r, extractHistory(edited));
    expect(again).toContain('- 2025-01-02, vec8 tiles');
    expect(again.match(/## History/g)).toHaveLength(1);
  });

  it('is its template filled from the results: every placeholder of a full run gets a value', () => {
    for (const file of ['bench/results.json', 'bench/nvidia-h200/results.json']) {
      const full = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
      const md = markdownReport(full, null);
      expect(md).not.toMatch(/\{\{|undefined|NaN/);
      expect(md).toContain(`| CPU | ${full.environment.machine.cpu} |`);
    }
  });

  it('charts, columns and CSV carry every engine measured', () => {
    const files = charts(r).map((c) => c.file);
    expect(files).toEqual(expect.arrayContaining(['product-forward.svg', 'training.svg', 'crossover.svg']));
    const cols = chartColumns(r, 'forward');
    expect(cols.x).toEqual([64, 128, 256]);
    expect(cols.series.find((s) => s.engine === 'ours-cpu')!.y).toEqual([0.2, 2, null]);
    expect(toCsv(r).split('\n')[0]).toMatch(/^kind,cell,/);
  });
});

describe('report template', () => {
  const t = new Template(
    't.md',
    ['# words', '<!-- a -->', '', 'one {{x}}', 'two', '', '- item', '  more', '{{table}}', '<!-- b -->', 'b'].join(
      '\n',
    ),
  );

  it('joins the lines of a paragraph or list item, keeps blocks apart, and fills placeholders', () => {
    expect(t.fill('a', { x: 1, table: '| a |\n| b |' })).toBe('one 1 two\n\n- item more\n| a |\n| b |');
    expect(t.fill('b')).toBe('b');
  });

  it('refuses a block or a value the other side does not have', () => {
    expect(() => t.fill('c')).toThrow('t.md has no block c');
    expect(() => t.fill('a', { x: 1 })).toThrow('t.md, block a: no value for {{table}}');
  });
});

describe('results.json', () => {
  it('is valid JSON with the same structure, numbers to 4 significant digits, one measurement per line', () => {
    const r = results([product('ours-gpu', 'forward', 64, 0.123456789)], [step('ours-cpu', 'xor', 1 / 3)]);
    const text = serializeResults(r);
    const back = JSON.parse(text) as BenchResults;
    expect(back.products[0].timing!.median).toBe(0.1235);
    expect(back.training[0].msPerStep).toBe(0.3333);
    expect(back.rungs).toHaveLength(r.rungs.length);
    expect(text.split('\n').filter((l) => l.includes('"engine"'))).toHaveLength(2);
  });
});
