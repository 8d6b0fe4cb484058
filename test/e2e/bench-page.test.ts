/**
 * @file The Benchmark page as its user meets it, in headless Chromium with WebGPU on SwiftShader:
 * what runs where (adapter and browser), how to read it, "Race this network" (the playground's
 * network on the GPU and the CPU worker, statistics on and off, exported), "Where the GPU starts
 * to win" (a small ladder, its crossover said in words, its progress named, a cancelled run said
 * plainly), and none of the project's own targets or verdicts on the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchOptions } from '../../src/bench/spec';
import type { BenchResults } from '../../src/bench/types';
import { CHROMIUM, colouredPixels, launch, screenshotPath, serve, watchedPage } from './harness';

const HAVE_CHROMIUM = existsSync(CHROMIUM);

let server: ViteDevServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  ({ server, url } = await serve());
  browser = await launch(true);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's text, through the shadow roots. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        else if (el.children.length === 0) parts.push((el as HTMLElement).innerText ?? '');
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

async function save(page: Page, name: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

/** Small enough for SwiftShader on a busy machine: two product sizes and the two tiny networks. */
const SMALL: Partial<BenchOptions> = { sizes: [64, 128], rungs: ['xor', 'circle'] };

describe.skipIf(!HAVE_CHROMIUM)('the Benchmark page, for its user (SwiftShader)', () => {
  it('races the playground network, finds where the GPU wins, and says what it measured where', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const w = await watchedPage(context);
    const page = w.page;
    await page.goto(url);
    await page.waitForFunction(
      () => (globalThis as unknown as { playground?: { phase: string } }).playground?.phase === 'ready',
      null,
      { timeout: 90_000 },
    );
    await page.getByRole('tab', { name: 'Benchmark' }).click();
    await page.locator('bench-page').waitFor({ state: 'visible' });
    const about = await page.locator('bench-page section').first().innerText();
    expect(about).toMatch(/GPU: .+ · Browser: Chrome \d+ · \d+ CPU threads/);
    await page.getByText('How to read the numbers').click();
    await page.screenshot({ path: screenshotPath('bench-page-1280') });
    // Before a run: how long the quick ladder takes, here on a software adapter.
    expect(await page.locator('bench-view p.muted').first().innerText()).toMatch(
      /software one: the quick ladder takes about \d+ minutes?/,
    );

    // Race this network: both backends, statistics on and off, with the GPU's ratio said.
    await page.getByRole('button', { name: 'Race GPU against CPU' }).click();
    await page.getByRole('progressbar', { name: 'Race progress' }).waitFor({ timeout: 30_000 });
    const table = page.locator('bench-page table');
    await table.waitFor({ timeout: 180_000 });
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    for (const [i, want] of [
      /^GPU\tevery 5 steps/,
      /^GPU\tend of each/,
      /^CPU\tevery 5 steps/,
      /^CPU\tend of each/,
    ].entries())
      expect(rows[i]).toMatch(want);
    for (const r of rows) expect(r).toMatch(/\t[\d.,]+\t[\d.,]+\t[\d.,]+$/);
    await page
      .getByText(/^With statistics on, the (GPU|CPU) trains this network [\d.]+× as fast as\s+the (CPU|GPU)/)
      .waitFor();
    const csv = await save(page, 'Export race CSV');
    expect(csv.name).toMatch(/^race-[\d-]+\.csv$/);
    expect(csv.text.split('\n')).toHaveLength(5);
    const json = JSON.parse((await save(page, 'Export race JSON')).text);
    expect(json.environment.browser).toMatch(/^Chrome \d+$/);
    expect(json.rows).toHaveLength(4);
    await page.screenshot({ path: screenshotPath('bench-page-raced-1280') });

    // Where the GPU starts to win, on a small ladder: its progress is named, its answer said.
    const view = page.locator('bench-view');
    await view.evaluate((el, o) => {
      (el as unknown as { options: unknown }).options = o;
    }, SMALL);
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await page.getByRole('progressbar', { name: 'Benchmark progress' }).waitFor({ timeout: 30_000 });
    // No race while the ladder runs: they would share the GPU and the CPU and skew each other.
    expect(await page.getByRole('button', { name: 'Race GPU against CPU' }).isDisabled()).toBe(true);
    await view.locator('.crossover').waitFor({ timeout: 300_000 });
    expect(await page.getByRole('button', { name: 'Race GPU against CPU' }).isEnabled()).toBe(true);
    expect(await view.locator('.crossover').innerText()).toMatch(/^In these training steps our (GPU|CPU) engine/);
    expect(await colouredPixels(page, 'bench-view #chart canvas')).toBeGreaterThan(50);
    await view.locator('#chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('bench-page-ladder-1280') });
    // Where the GPU does win (a hardware GPU's shape, the run's numbers edited): the size is named and marked.
    await view.evaluate((el) => {
      const v = el as unknown as { results: BenchResults };
      const r: BenchResults = JSON.parse(JSON.stringify(v.results));
      for (const p of r.products)
        if (p.engine === 'ours-gpu' && p.size === 128)
          p.timing!.median = r.products.find((q) => q.engine === 'ours-cpu' && q.size === 128)!.timing!.median / 2;
      v.results = r;
    });
    await view
      .locator('label', { hasText: /^chart/ })
      .locator('select')
      .selectOption('forward');
    await expect(view.locator('.crossover').innerText()).resolves.toBe(
      'In these products our GPU engine is faster than our CPU engine from the 128×128×128 product on.',
    );
    await view.locator('#chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('bench-page-crossover-1280') });
    // No project targets, verdicts or issue wording anywhere on the page.
    expect(await pageText(page)).not.toMatch(/target|\[met|\[missed|not measured|≥ ?\d+×|issue/i);

    // A run cancelled says so.
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await page.getByRole('progressbar', { name: 'Benchmark progress' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await view.getByText(/^Cancelled: the run stopped/).waitFor({ timeout: 60_000 });

    await page.setViewportSize({ width: 420, height: 800 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.screenshot({ path: screenshotPath('bench-page-420') });
    expect(w.errors).toEqual([]);
    await context.close();
  }, 600_000);
});
