/**
 * @file The page's Benchmark view in headless Chromium (WebGPU on SwiftShader): a small run of
 * the same ladder as `npm run bench` (ceiling, the three products at two sizes, the XOR and
 * circle rungs) with every engine, TF.js's webgpu, wasm and cpu backends included. Each engine
 * must measure every cell, the products must agree with our CPU, the chart must draw, and the
 * JSON and CSV exports must hold what the view shows. Uses the system's Chromium only; skips
 * where there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BenchOptions } from '../../src/bench/spec';
import type { BenchResults } from '../../src/bench/types';
import { CHROMIUM, colouredPixels, launch, screenshotPath, serve, type Watched, watchedPage } from './harness';

let server: ViteDevServer;
let url: string;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  ({ server, url } = await serve());
  browser = await launch(true);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Small enough for SwiftShader on a busy 2-core machine; every part and engine still runs. */
const SMALL: Partial<BenchOptions> = {
  parts: { ceiling: true, products: true, training: true, atlas: false },
  sizes: [64, 128],
  rungs: ['xor', 'circle'],
  repeats: 2,
  minRepeats: 1,
  targetMs: 20,
  budgetMs: 4000,
};

interface ViewState {
  results: BenchResults | null;
  error: string;
  running: boolean;
}

/** Opens the Benchmark page of `w`; `state` reads the view's run, `run` starts one with `options`. */
async function benchPage(w: Watched) {
  await w.page.goto(url);
  await w.page.getByRole('tab', { name: 'Benchmark' }).click();
  const view = w.page.locator('bench-view');
  await view.waitFor({ state: 'visible' });
  const state = () =>
    view.evaluate((el) => {
      const v = el as unknown as ViewState;
      return { results: v.results, error: v.error, running: v.running };
    }) as Promise<ViewState>;
  const run = async (options: Partial<BenchOptions>) => {
    // The whole ladder of npm run bench, TF.js included, narrowed by `options`.
    await view.evaluate((el, o) => {
      Object.assign(el, { full: true, includeTf: true, options: o });
    }, options);
    await w.page.getByRole('button', { name: 'Run benchmark' }).click();
  };
  /** The view's state once no run is going on: results, or the error a failed run shows. */
  const settled = (timeout: number, needResult = true) =>
    vi.waitFor(
      async () => {
        const s = await state();
        if (s.running || (needResult && !s.results && !s.error)) throw new Error('still running');
        return s;
      },
      { timeout, interval: 500 },
    );
  return { view, run, settled };
}

describe.skipIf(!existsSync(CHROMIUM))('benchmark view (SwiftShader)', () => {
  it('runs the ladder on every engine in the browser, charts it and exports it', async () => {
    const w = await watchedPage(context);
    const { view, run, settled } = await benchPage(w);
    await run(SMALL);
    const done = await settled(500_000);
    expect(done.error).toBe('');
    const results = done.results!;

    // The run: our adapter and its ceiling, every engine on every cell, agreeing with our CPU.
    expect(results.environment.adapter).toBeTruthy();
    expect([...results.environment.tfjsBackends].sort()).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(results.ceiling!.gflops).toBeGreaterThan(0);
    expect(results.ceiling!.dispatchUs).toBeGreaterThan(0);
    // The CPU's ceiling, measured by the CPU engine's threads (the page is cross-origin isolated).
    expect(results.cpuCeiling!.gflops).toBeGreaterThan(0);
    expect(results.cpuCeiling!.threads).toBe(await w.page.evaluate(() => navigator.hardwareConcurrency));
    const productEngines = ['ours-gpu', 'ours-cpu', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu'];
    expect(results.products).toHaveLength(3 * 2 * productEngines.length);
    for (const p of results.products) {
      const cell = `${p.form} ${p.size} ${p.engine}`;
      expect(p.status, `${cell}: ${p.reason}`).toBe('ok');
      expect(p.timing!.median, cell).toBeGreaterThan(0);
      expect(p.gflops, cell).toBeCloseTo(p.flops / p.timing!.median / 1e6, 6);
      if (p.engine !== 'ours-cpu') expect(p.maxRelErrorVsCpu, cell).toBeLessThan(1e-4);
    }
    const trainEngines = [...productEngines, 'ours-gpu-stats', 'ts-cpu'];
    expect(results.training).toHaveLength(2 * trainEngines.length);
    for (const t of results.training) {
      expect(t.status, `${t.rung} ${t.engine}: ${t.reason}`).toBe('ok');
      expect(t.msPerStep! * t.stepsPerSec!).toBeCloseTo(1000, 6);
    }
    expect(results.training.filter((t) => t.engine.startsWith('ours-gpu')).every((t) => t.dispatchesPerStep! > 0)).toBe(
      true,
    );

    // What the view shows: the product chart, then the training chart; the targets and tables.
    expect(await colouredPixels(w.page, 'bench-view #chart canvas')).toBeGreaterThan(50);
    await view
      .locator('label', { hasText: /^chart/ })
      .locator('select')
      .selectOption('training');
    expect(await colouredPixels(w.page, 'bench-view #chart canvas')).toBeGreaterThan(50);
    // Where our GPU engine overtakes our CPU engine, in words; no targets or verdicts on the page.
    expect(await view.locator('.crossover').innerText()).toMatch(/^In these training steps our (GPU|CPU) engine/);
    expect(await view.locator('ol > li, .fastest').count()).toBe(0);
    const captions = await view.locator('table caption').allInnerTexts();
    for (const want of [/forward/, /dX/, /dW/, /[Tt]raining/])
      expect(
        captions.some((c) => want.test(c)),
        String(want),
      ).toBe(true);
    await w.page.screenshot({ path: screenshotPath('10-benchmark-run') });
    await view.locator('table').last().scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: screenshotPath('10-benchmark-tables') });

    // The exports: the JSON is the run itself, the CSV one row per cell.
    const save = async (name: string) => {
      const [d] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name }).click()]);
      return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
    };
    const json = await save('Export JSON');
    expect(json.name).toMatch(/^bench-[\d-]+\.json$/);
    expect(JSON.parse(json.text)).toEqual(JSON.parse(JSON.stringify(results)));
    const csv = await save('Export CSV');
    expect(csv.name).toMatch(/^bench-[\d-]+\.csv$/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'kind,cell,size_or_batch,engine,status,median_ms,min_ms,max_ms,repeats,iters,gflops,ceiling_fraction,samples_per_s,reason',
    );
    expect(lines).toHaveLength(1 + results.products.length + results.training.length);
    const forward64 = results.products.find((p) => p.form === 'forward' && p.size === 64 && p.engine === 'ours-gpu')!;
    expect(Number(lines.find((l) => l.startsWith('product,forward,64,ours-gpu,'))!.split(',')[5])).toBe(
      forward64.timing!.median,
    );
    // A visit to the playground and back keeps the run.
    await w.page.getByRole('tab', { name: 'Playground' }).click();
    await w.page.locator('chart-board').waitFor({ state: 'visible' });
    expect(await view.isVisible()).toBe(false);
    await w.page.getByRole('tab', { name: 'Benchmark' }).click();
    await view.waitFor({ state: 'visible' });
    expect(await view.evaluate((el) => (el as unknown as { results: BenchResults | null }).results?.date)).toBe(
      results.date,
    );
    expect(await view.locator('table caption').allInnerTexts()).toEqual(captions);

    // A narrow window: the chart follows the view's width, and nothing widens the page.
    await w.page.setViewportSize({ width: 420, height: 900 });
    await vi.waitFor(
      async () =>
        expect(
          await view.locator('#chart canvas').evaluate((c) => c.getBoundingClientRect().width),
        ).toBeLessThanOrEqual(420),
      { timeout: 10_000 },
    );
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    expect(await colouredPixels(w.page, 'bench-view #chart canvas')).toBeGreaterThan(50);
    await view.locator('#chart').scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: screenshotPath('10-benchmark-420') });
    expect(w.errors).toEqual([]);
    await w.page.close();
  }, 600_000);

  it('cancels a run, and without WebGPU runs the CPU engines and says why the GPU ones were skipped', async () => {
    const plain = await launch(false);
    try {
      const w = await watchedPage(await plain.newContext({ viewport: { width: 1280, height: 900 } }));
      const { view, run, settled } = await benchPage(w);
      // A long run: the playground page says it is running; cancelled, it leaves no results, no
      // error, the button back to "Run benchmark", and the playground's note gone.
      await run({ sizes: [64, 128, 256, 512, 1024], rungs: ['xor'], engines: ['ours-cpu', 'ours-gpu'], repeats: 5 });
      const note = w.page.getByRole('status').filter({ hasText: 'A benchmark is running on the Benchmark page' });
      await w.page.getByRole('tab', { name: 'Playground' }).click();
      await note.waitFor({ state: 'visible' });
      await w.page.screenshot({ path: screenshotPath('10-benchmark-running-note') });
      await w.page.getByRole('tab', { name: 'Benchmark' }).click();
      await note.waitFor({ state: 'detached' });
      await w.page.getByRole('button', { name: 'Cancel' }).click();
      const cancelled = await settled(60_000, false);
      expect([cancelled.results, cancelled.error]).toEqual([null, '']);
      await w.page.getByRole('button', { name: 'Run benchmark' }).waitFor();
      await w.page.getByRole('tab', { name: 'Playground' }).click();
      await w.page.locator('chart-board').waitFor({ state: 'visible' });
      expect(await note.count()).toBe(0);
      await w.page.getByRole('tab', { name: 'Benchmark' }).click();

      await run({ ...SMALL, sizes: [64], engines: ['ours-gpu', 'ours-gpu-stats', 'ours-cpu'] });
      const done = await settled(120_000);
      expect(done.error).toBe('');
      const r = done.results!;
      expect([r.environment.adapter, r.ceiling]).toEqual([null, null]);
      for (const m of [...r.products, ...r.training]) {
        if (m.engine === 'ours-cpu') expect(m.status).toBe('ok');
        else expect([m.status, m.reason]).toEqual(['skipped', 'no WebGPU adapter']);
      }
      expect(r.products.filter((p) => p.engine === 'ours-cpu')).toHaveLength(3);
      expect(await view.getByText('Adapter: none.').count()).toBe(1);
      await w.page.screenshot({ path: screenshotPath('10-benchmark-no-webgpu') });
      expect(w.errors).toEqual([]);
    } finally {
      await plain.close();
    }
  }, 300_000);
});
