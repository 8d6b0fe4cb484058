/**
 * @file The charts in a real browser: serves the repo with Vite, opens the charts fixture in
 * headless Chromium (the system one, never downloaded), and checks that every chart draws,
 * that streamed records redraw it, that nothing logs an error, that it fits a narrow window,
 * and that PNG export works. Screenshots land in test-output/ for a human to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(root, 'test-output');
const CHARTS = ['loss', 'act-std', 'depth', 'hist', 'grad-std', 'health', 'loss-1', 'health-1', 'boundary', 'digits'];
/** Charts fed by the record stream (the digit grid changes only now and then). */
const STREAMING = CHARTS.filter((id) => id !== 'digits');

interface Ink {
  id: string;
  canvases: number;
  ink: number;
  hash: number;
  width: number;
}

/** Per chart: canvases, pixels that are not background, and a hash of all its pixels. */
function measure(page: Page): Promise<Ink[]> {
  return page.evaluate(
    (ids) =>
      ids.map((id) => {
        const el = document.getElementById(id)!;
        const canvases = [...(el.shadowRoot?.querySelectorAll('canvas') ?? [])];
        let ink = 0,
          hash = 0,
          width = 0;
        for (const c of canvases) {
          width = Math.max(width, c.getBoundingClientRect().width);
          if (c.width === 0 || c.height === 0) continue;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 40 && (d[i] < 230 || d[i + 1] < 230 || d[i + 2] < 230)) ink++;
            hash = (Math.imul(hash, 31) + d[i] + 3 * d[i + 1] + 7 * d[i + 2] + 11 * d[i + 3]) | 0;
          }
        }
        return { id, canvases: canvases.length, ink, hash, width };
      }),
    CHARTS,
  );
}

const frames = (page: Page, n = 3) =>
  page.evaluate(
    (k) =>
      new Promise<void>((resolve) => {
        const step = (i: number) => (i === 0 ? resolve() : requestAnimationFrame(() => step(i - 1)));
        step(k);
      }),
    n,
  );

describe('charts in the browser', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    server = await createServer({
      root,
      server: { host: '127.0.0.1', port: 0 },
      logLevel: 'silent',
      // Pre-bundle up front (a discovery mid-load would reload the page) in a cache of our own.
      cacheDir: 'node_modules/.vite-charts-test',
      optimizeDeps: {
        include: ['lit', 'lit/directives/style-map.js', 'uplot'],
        entries: ['test/fixtures/charts.html'],
      },
    });
    await server.listen();
    const addr = server.httpServer!.address();
    if (!addr || typeof addr === 'string') throw new Error('Vite did not report a port');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${addr.port}/test/fixtures/charts.html`);
    await page.waitForFunction(() => customElements.get('loss-chart') && window.chartsFixture !== undefined, null, {
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
    }
  });

  it('draws every chart', async () => {
    await expect
      .poll(async () => (await measure(page)).filter((m) => m.ink < 500).map((m) => m.id), {
        timeout: 30_000,
        interval: 250,
      })
      .toEqual([]);
    const m = await measure(page);
    for (const c of m) expect(c.canvases, c.id).toBeGreaterThan(0);
    // Both depth-profile panels are drawn.
    expect(m.find((c) => c.id === 'depth')!.canvases).toBe(2);
  });

  it('redraws when records stream in', async () => {
    const before = await measure(page);
    const step0 = await page.evaluate(() => window.chartsFixture.step());
    await page.waitForFunction((s) => window.chartsFixture.step() >= s + 400, step0, { timeout: 20_000 });
    await frames(page);
    const after = await measure(page);
    const unchanged = STREAMING.filter(
      (id) => before.find((b) => b.id === id)!.hash === after.find((a) => a.id === id)!.hash,
    );
    expect(unchanged).toEqual([]);
  });

  it('responds to its controls', async () => {
    const hashOf = async (id: string) => (await measure(page)).find((m) => m.id === id)!.hash;
    await page.evaluate(() => window.chartsFixture.stop());
    await frames(page);
    const changes = async (id: string, act: () => Promise<unknown>) => {
      const before = await hashOf(id);
      await act();
      await frames(page);
      return (await hashOf(id)) !== before;
    };
    expect(await changes('loss', () => page.locator('#loss input[type=checkbox]').uncheck())).toBe(true);
    expect(await changes('grad-std', () => page.locator('#grad-std select').first().selectOption('update_ratio'))).toBe(
      true,
    );
    expect(await page.locator('#grad-std').getAttribute('series')).toBe('update_ratio');
    expect(await changes('hist', () => page.locator('#hist select').first().selectOption('grad'))).toBe(true);
    expect(await changes('hist', () => page.locator('#hist input[type=checkbox]').check())).toBe(true);
    await page.locator('#hist').screenshot({ path: path.join(outDir, 'charts-hist-grad-shared.png') });
    expect(await changes('act-std', () => page.locator('#act-std select').selectOption('1'))).toBe(true);
    await page.locator('#loss input[type=checkbox]').check();
    await page.locator('#hist select').first().selectOption('act');
    await page.locator('#hist input[type=checkbox]').uncheck();
    await page.locator('#act-std select').selectOption('0');
    await page.locator('#grad-std select').first().selectOption('grad_std');
    await page.evaluate(() => window.chartsFixture.advance(10));
  });

  it('exports every chart as PNG', async () => {
    for (const id of CHARTS) {
      const b64 = await page.evaluate(async (chart) => {
        const blob = await window.chartsFixture.chartToPng(document.getElementById(chart)!);
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        return { type: blob.type, data: btoa(s) };
      }, id);
      const png = Buffer.from(b64.data, 'base64');
      expect(b64.type, id).toBe('image/png');
      expect(png.subarray(1, 4).toString(), id).toBe('PNG');
      expect(png.readUInt32BE(16), id).toBeGreaterThan(300); // width
      expect(png.length, id).toBeGreaterThan(10_000);
      writeFileSync(path.join(outDir, `charts-export-${id}.png`), png);
    }
  });

  it('fits 1280×800 and a 420px window; screenshots', async () => {
    await page.evaluate(() => {
      window.chartsFixture.stop();
      window.scrollTo(0, 0);
    });
    await frames(page);
    await page.screenshot({ path: path.join(outDir, 'charts-1280x800.png') });
    await page.screenshot({ path: path.join(outDir, 'charts-1280-full.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await expect
      .poll(async () => Math.max(...(await measure(page)).map((m) => m.width)), { timeout: 10_000 })
      .toBeLessThanOrEqual(420 - 24);
    await frames(page, 5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    for (const m of await measure(page)) expect(m.ink, m.id).toBeGreaterThan(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'charts-420x900.png') });
    await page.screenshot({ path: path.join(outDir, 'charts-420-full.png'), fullPage: true });
    for (const id of CHARTS)
      await page.locator(`#${id}`).screenshot({ path: path.join(outDir, `charts-420-${id}.png`) });
  });

  it('empties on history.clear() and draws again on new records', async () => {
    await page.evaluate(() => window.chartsFixture.clear());
    await frames(page);
    const notes = await page.evaluate(() =>
      ['loss', 'act-std', 'depth'].map((id) =>
        document.getElementById(id)!.shadowRoot!.textContent!.includes('Waiting'),
      ),
    );
    expect(notes).toEqual([true, true, true]);
    await page.evaluate(() => window.chartsFixture.advance(5));
    await expect
      .poll(async () => (await measure(page)).filter((m) => m.ink < 300).map((m) => m.id), { timeout: 10_000 })
      .toEqual([]);
  });

  it('logs no errors', () => {
    expect(errors).toEqual([]);
  });
});
