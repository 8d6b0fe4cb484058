/**
 * @file The theory in the page, in headless Chromium (WebGPU on SwiftShader): the depth profile's
 * prediction and status line, the phase diagram (both phases painted, the critical line where
 * the theory puts it, a click on he_normal loading it into every layer) and the atlas's
 * trainable-depth mode (a small grid run on the GPU to the end and drawn, another cancelled).
 * Screenshots at 1280×800 and 420 px wide go to test-output/ for a person to look at.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSession, colouredPixels, HAVE_CHROMIUM, screenshotPath, type Watched, watchedPage } from './harness';

const SLOW = { timeout: 300_000 };

const session = browserSession(true);

/**
 * A page of the app at `width` × 800 on `hash`; with `built`, once the store has built its runs
 * (and has its GPU device). The theory needs only the config and the data, not a built network.
 */
async function openApp(width: number, hash: string, built: boolean): Promise<Watched> {
  const context = await session.browser.newContext({ viewport: { width, height: 800 } });
  const w = await watchedPage(context);
  await w.page.goto(session.url + hash);
  const phases = built ? ['ready', 'error', 'done'] : ['building', 'ready', 'error', 'done', 'playing'];
  await w.page.waitForFunction(
    (wanted: string[]) =>
      wanted.includes((globalThis as unknown as { playground?: { phase: string } }).playground?.phase ?? ''),
    phases,
    { timeout: 180_000 },
  );
  return w;
}

async function openPage(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

/** The fractions of the phase diagram's pixels that are bluish (ordered) and orange (chaotic). */
async function phaseColours(page: Page): Promise<{ ordered: number; chaotic: number }> {
  return page.locator('phase-diagram-chart canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let ordered = 0,
      chaotic = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (d[p + 2] > d[p] + 40) ordered++;
      else if (d[p] > d[p + 2] + 40) chaotic++;
    }
    return { ordered: ordered / (d.length / 4), chaotic: chaotic / (d.length / 4) };
  });
}

const layerInitializers = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as {
        playground: { state: { config: { layers: { kernel_initializer: { name: string } }[] } } };
      }
    ).playground.state.config.layers.map((l) => l.kernel_initializer.name),
  );

describe.skipIf(!HAVE_CHROMIUM)('the theory in the page', SLOW, () => {
  it('draws the predicted activation std beside the measured one, with χ₁ and the phase', async () => {
    const w = await openApp(1280, '#lesson=relu30', false);
    const depth = w.page.locator('depth-profile-chart figure');
    await depth.scrollIntoViewIfNeeded();
    await expect
      .poll(() => depth.innerText(), { timeout: 60_000 })
      .toMatch(/theory, he_normal: χ₁ = 1\.000, critical, ξ_c = ∞ layers/);
    expect(await depth.innerText()).toMatch(/theory, glorot_normal: χ₁ = 0\.500, ordered/);
    expect(await depth.innerText()).toMatch(/theory at initialization/);
    await depth.screenshot({ path: screenshotPath('theory-depth-profile') });
    expect(w.errors).toEqual([]);
    await w.page.context().close();
  });

  for (const width of [1280, 420]) {
    it(`shows the phase diagram at ${width} px, and a click loads an initializer into the network`, async () => {
      const w = await openApp(width, '#lesson=deep-tanh', false);
      await openPage(w.page, 'Phase diagram');
      const view = w.page.locator('phase-diagram-view');
      await w.page.waitForFunction(
        () =>
          document
            .querySelector('playground-app')
            ?.shadowRoot?.querySelector('phase-diagram-view')
            ?.getAttribute('data-state') === 'ready',
        null,
        { timeout: 120_000 },
      );
      // tanh from σ_w² = 0 to 4: both phases on the plane, each a good part of it.
      const colours = await phaseColours(w.page);
      expect(colours.ordered).toBeGreaterThan(0.15);
      expect(colours.chaotic).toBeGreaterThan(0.15);
      // The deep-tanh lesson's layers are 256 → 256: lecun and glorot both give σ_w² = 1, critical
      // without biases; he_normal is chaotic.
      const table = view.getByRole('table');
      await expect.poll(() => table.innerText()).toMatch(/he_normal\s+2\.000\s+0\.000\s+1\.106\s+chaotic/);
      expect(await table.innerText()).toMatch(/lecun_normal\s+1\.000\s+0\.000\s+1\.000\s+critical/);
      await w.page.screenshot({ path: screenshotPath(`theory-phase-${width}`) });
      await view.screenshot({ path: screenshotPath(`theory-phase-view-${width}`) });
      await view.getByRole('button', { name: /^Load he_normal/ }).click();
      await expect.poll(() => view.getByRole('status').innerText()).toMatch(/he_normal is now every layer/);
      expect(new Set(await layerInitializers(w.page))).toEqual(new Set(['he_normal']));
      await expect
        .poll(() => view.getByRole('button', { name: /^Load he_normal/ }).getAttribute('class'))
        .toMatch(/current/);
      // relu: the critical line stands at σ_w² = 2, where he_normal now sits.
      await view.getByLabel('Activation').selectOption('relu');
      await expect
        .poll(() => table.innerText())
        .toMatch(/he_normal \(the network’s\)\s+2\.000\s+0\.000\s+1\.000\s+critical/);
      expect(w.errors).toEqual([]);
      await w.page.context().close();
    });
  }

  for (const width of [1280, 420]) {
    it(`runs a small trainable-depth grid on the GPU at ${width} px, draws it with 6ξ_c, and cancels`, async () => {
      const w = await openApp(width, '', true);
      await openPage(w.page, 'Weight-space atlas');
      await w.page.getByRole('tab', { name: 'Trainable depth' }).click();
      const view = w.page.locator('trainable-depth-view');
      const small = {
        seed: 2,
        dataset: { name: 'circle', samples: 200, test_fraction: 0.25 },
        width: 16,
        depths: [2, 6, 10],
        weight_variances: [0.5, 1.5, 4],
        steps: 40,
        batch_size: 25,
        learning_rate: 0.05,
      };
      await view.getByLabel('trainable depth config (JSON)').fill(JSON.stringify(small));
      await view.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => view.getAttribute('data-state'), { timeout: 240_000, interval: 500 })
        .toMatch(/done|error/);
      expect(await view.getByRole('status').first().innerText()).toMatch(/9 networks × 40 steps on the GPU/);
      const map = view.locator('trainable-depth-map canvas');
      expect(await colouredPixels(w.page, 'trainable-depth-view >> trainable-depth-map canvas')).toBeGreaterThan(1000);
      await map.scrollIntoViewIfNeeded();
      const box = (await map.boundingBox())!;
      await w.page.mouse.move(box.x + 60, box.y + box.height - 60);
      await expect
        .poll(() => view.locator('trainable-depth-map').getByRole('status').innerText())
        .toMatch(/accuracy \d/);
      await w.page.screenshot({ path: screenshotPath(`theory-trainable-depth-${width}`) });
      await view.screenshot({ path: screenshotPath(`theory-trainable-depth-view-${width}`) });
      // A long run, cancelled: the view goes back to idle and says so.
      await view.getByLabel('trainable depth config (JSON)').fill(JSON.stringify({ ...small, steps: 100000 }));
      await view.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => view.getAttribute('data-state')).toBe('running');
      await view.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => view.getAttribute('data-state'), { timeout: 60_000 }).toBe('idle');
      expect(await view.getByRole('status').first().innerText()).toBe('cancelled');
      expect(w.errors).toEqual([]);
      await w.page.context().close();
    });
  }
});
