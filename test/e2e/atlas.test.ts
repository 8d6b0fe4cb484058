/**
 * @file <atlas-view> in headless Chromium (WebGPU on SwiftShader): the fixture page computes a
 * 64×64 XOR basin map on the GPU; the map must show both converged and failed networks, a
 * dragged rectangle recomputes the zoomed region, the initializer table sorts, the SOM draws,
 * and the console stays free of errors. Screenshots go to test-output/ for a human look.
 * Uses the system's Chromium only (never downloads a browser); skips where there is none.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAIL_RGB } from '../../src/atlas/colormap';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = fileURLToPath(new URL('../../test-output/', import.meta.url));

let server: ViteDevServer;
let browser: Browser;
let base = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  server = await createServer({
    root,
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  base = `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--enable-unsafe-webgpu',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  await mkdir(out, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the fixture in `mode`, collecting console errors, and waits for the run to finish. */
async function open(mode: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/test/fixtures/atlas.html?mode=${mode}`);
  await waitDone(page);
  return { page, errors };
}

async function waitDone(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('atlas-view')?.dataset.state;
      return s === 'done' || s === 'error';
    },
    null,
    { timeout: 110_000, polling: 100 },
  );
  const status = await page.evaluate(
    () => document.querySelector('atlas-view')!.shadowRoot!.querySelector('.status')!.textContent,
  );
  expect(await page.evaluate(() => document.querySelector('atlas-view')!.dataset.state), status ?? '').toBe('done');
}

/** Counts of the basin canvas' pixels: failure grey, and coloured (converged). */
function basinPixels(
  page: Page,
): Promise<{ w: number; fail: number; colored: number; blank: number; ranges: string[] }> {
  return page.evaluate(
    (fail) => {
      const map = document.querySelector('atlas-view')!.shadowRoot!.querySelector('atlas-basin-map')!;
      const canvas = map.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.map')!;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let f = 0,
        c = 0,
        blank = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) blank++;
        else if (d[i] === fail[0] && d[i + 1] === fail[1] && d[i + 2] === fail[2]) f++;
        else c++;
      }
      const ranges = [...map.shadowRoot!.querySelectorAll('.xaxis span, .yaxis span')].map((s) => s.textContent ?? '');
      return { w: canvas.width, fail: f, colored: c, blank, ranges };
    },
    [...FAIL_RGB],
  );
}

describe.skipIf(!existsSync(CHROMIUM))('atlas-view in Chromium', () => {
  it('computes a 64x64 XOR basin map on the GPU, with converged and failed cells, and zooms into a dragged rectangle', async () => {
    const { page, errors } = await open('basin');
    const status = await page.evaluate(
      () => document.querySelector('atlas-view')!.shadowRoot!.querySelector('.status')!.textContent!,
    );
    expect(status).toMatch(/4,096 networks × 300 epochs on the GPU \(google \/ swiftshader/);
    const px = await basinPixels(page);
    expect(px.w).toBe(64);
    expect(px.blank).toBe(0);
    expect(px.fail).toBeGreaterThan(20);
    expect(px.colored).toBeGreaterThan(2000);
    expect(px.ranges).toEqual(['10.00', 'W0[1,0]', '-10.00', '-10.00', '10.00']);
    await page.screenshot({ path: `${out}atlas-basin.png`, fullPage: true });

    // Drag across the middle fifth of the map, where the failures are: x and y in [-2, 2].
    const frame = page.locator('atlas-view').locator('atlas-basin-map').locator('.frame');
    const box = (await frame.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4, { steps: 4 });
    await page.mouse.up();
    await page
      .waitForFunction(() => document.querySelector('atlas-view')!.dataset.state === 'running', null, {
        timeout: 10_000,
        polling: 20,
      })
      .catch(() => {});
    await waitDone(page);
    const zoomed = await basinPixels(page);
    expect(
      zoomed.ranges
        .map(Number)
        .filter((v) => !Number.isNaN(v))
        .map((v) => Math.round(v)),
    ).toEqual([2, -2, -2, 2]);
    expect(zoomed.fail).toBeGreaterThan(500); // the failures fill the zoomed region's middle
    expect(zoomed.blank).toBe(0);
    await page.screenshot({ path: `${out}atlas-basin-zoom.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a sortable initializer table', async () => {
    const { page, errors } = await open('initializers');
    const table = page.locator('atlas-view').locator('atlas-init-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(12);
    await table.locator('th', { hasText: 'Converged' }).click();
    const first = await table.locator('tbody tr').first().locator('td').first().innerText();
    const last = await table.locator('tbody tr').last().locator('td').first().innerText();
    expect(first).not.toBe('zeros');
    expect(last).toBe('zeros'); // zeros never breaks the symmetry: 0% at every scale
    await page.screenshot({ path: `${out}atlas-initializers.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws the SOM of a population's initial weights", async () => {
    const { page, errors } = await open('som');
    const counts = await page.evaluate(() => {
      const som = document.querySelector('atlas-view')!.shadowRoot!.querySelector('atlas-som')!;
      return [...som.shadowRoot!.querySelectorAll<HTMLCanvasElement>('canvas.map')].map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return colours.size;
      });
    });
    expect(counts.length).toBe(2);
    expect(counts[0]).toBeGreaterThan(3);
    expect(counts[1]).toBeGreaterThan(3);
    await page.screenshot({ path: `${out}atlas-som.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
