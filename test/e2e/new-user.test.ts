/**
 * @file The playground as a new user meets it (issue 14), in headless Chromium: the layout at
 * 1280×800 and 420×800 (the document never taller than the window, every visible control
 * reachable, the training controls a few Tab stops from the top), on every page and in the
 * states a user reaches. These run without WebGPU (the CPU backend in its worker): layout does
 * not depend on the backend, and the CPU builds at once where SwiftShader takes seconds.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launch, screenshotPath, serve, type Watched, watchedPage } from './harness';
import { documentOverflow, scrollEverythingToEnd, unreachableControls } from './layout';

const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SLOW = { timeout: 300_000 };

let server: ViteDevServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  ({ server, url } = await serve());
  browser = await launch(false);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SIZES = [
  { width: 1280, height: 800 },
  { width: 420, height: 800 },
];

async function waitPhase(page: Page, phases: string[], timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    (p: string[]) => p.includes((globalThis as unknown as { playground?: { phase: string } }).playground?.phase ?? ''),
    phases,
    { timeout },
  );
}

async function openPage(width: number, height: number, path = ''): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width, height } });
  const w = await watchedPage(context);
  await w.page.goto(url + path);
  await waitPhase(w.page, ['ready', 'error', 'playing', 'done']);
  return w;
}

/** The layout checks at the current scroll positions, then with every scroller at its end. */
async function expectSoundLayout(page: Page, what: string): Promise<void> {
  for (const where of ['top', 'scrolled to the end']) {
    if (where !== 'top') await scrollEverythingToEnd(page);
    const overflow = await documentOverflow(page);
    expect.soft(overflow.height, `${what}, ${where}: document taller than the window`).toBeLessThanOrEqual(0);
    expect.soft(overflow.width, `${what}, ${where}: document wider than the window`).toBeLessThanOrEqual(0);
    expect.soft(await unreachableControls(page), `${what}, ${where}: controls covered`).toEqual([]);
  }
}

describe.skipIf(!HAVE_CHROMIUM)('layout: the app fits the window and covers none of its controls', SLOW, () => {
  for (const { width, height } of SIZES) {
    it(`at ${width}×${height}: the playground, a compare lesson, the atlas and the benchmark page`, async () => {
      const w = await openPage(width, height);
      const page = w.page;
      await expectSoundLayout(page, 'default experiment');
      // Scrolling past the end of a column must not scroll the document.
      await page.mouse.move(width < 900 ? width / 2 : 200, height - 100);
      for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 400);
      expect((await documentOverflow(page)).scrollY, 'the wheel scrolled the document').toBe(0);
      await page.screenshot({ path: screenshotPath(`layout-default-${width}`) });

      await page.getByRole('combobox', { name: 'Load a lesson' }).selectOption('relu30');
      await waitPhase(page, ['ready']);
      await expectSoundLayout(page, 'the 30-layer ReLU lesson');

      for (const tab of ['Weight-space atlas', 'Benchmark']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.waitForTimeout(500);
        await expectSoundLayout(page, `the ${tab} page`);
        await page.screenshot({ path: screenshotPath(`layout-${tab.split(' ')[0].toLowerCase()}-${width}`) });
      }
      expect(w.errors).toEqual([]);
      await page.context().close();
    });
  }

  it('puts the training controls within a few Tab stops of the top', async () => {
    const w = await openPage(1280, 800);
    const focused = () =>
      w.page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return (el as HTMLElement | null)?.innerText?.trim() ?? '';
      });
    const stops: string[] = [];
    for (let i = 0; i < 6; i++) {
      await w.page.keyboard.press('Tab');
      stops.push(await focused());
    }
    expect(stops).toContain('Play');
    await w.page.context().close();
  });
});
