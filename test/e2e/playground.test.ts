/**
 * @file The playground in headless Chromium, against the Vite dev server. WebGPU runs on
 * SwiftShader (slow, so timeouts are generous); a second browser without WebGPU checks the CPU
 * fallback. Screenshots of the main views go to test-output/ for a person to look at.
 *
 * One server and one browser per mode are shared by the tests of this file, which run in order;
 * every page is checked for console errors.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROMIUM, colouredPixels, launch, screenshotPath, serve, status, type Watched, watchedPage } from './harness';

/** The system Chromium is installed by scripts/ensure.sh; without it these tests are skipped, never downloaded. */
const HAVE_CHROMIUM = existsSync(CHROMIUM);

let server: ViteDevServer;
let url: string;
let gpuBrowser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  ({ server, url } = await serve());
  gpuBrowser = await launch(true);
  context = await gpuBrowser.newContext({ viewport: { width: 1280, height: 800 } });
}, 120_000);

afterAll(async () => {
  await gpuBrowser?.close();
  await server?.close();
});

type Phase = 'ready' | 'playing' | 'paused' | 'done' | 'error' | 'lost' | 'building';

async function waitPhase(page: Page, phases: Phase[], timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    (p: string[]) => p.includes((globalThis as unknown as { playground?: { phase: string } }).playground?.phase ?? ''),
    phases as string[],
    { timeout },
  );
}

async function open(w: Watched, path = ''): Promise<void> {
  await w.page.goto(url + path);
  await waitPhase(w.page, ['ready', 'error', 'playing', 'done']);
}

/** SwiftShader shares the CPU with everything else `npm test` runs: allow for a busy machine. */
const SLOW = { timeout: 300_000 };

describe.skipIf(!HAVE_CHROMIUM)('playground with WebGPU (SwiftShader)', SLOW, () => {
  it('loads the default experiment without console errors', async () => {
    const w = await watchedPage(context);
    await open(w);
    const s = await status(w.page);
    expect(s.backend).toBe('gpu');
    expect(s.phase).toBe('ready');
    expect(s.text).toMatch(/step 0 · epoch 0 of 200 · recent batches: loss [\d.]+, accuracy [\d.]+%/);
    await expect(w.page.getByRole('heading', { name: 'Model: "sequential"' }).isVisible()).resolves.toBe(true);
    await w.page.screenshot({ path: screenshotPath('1-default-1280x800') });
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('switches to the atlas and benchmark pages and back, keeping the experiment', async () => {
    const w = await watchedPage(context);
    await open(w);
    const before = await w.page.evaluate(() => location.hash);
    await w.page.getByRole('tab', { name: 'Weight-space atlas' }).click();
    await w.page.locator('atlas-view').waitFor({ state: 'visible' });
    expect(await w.page.locator('chart-board').isVisible()).toBe(false);
    await w.page.getByRole('tab', { name: 'Benchmark' }).click();
    await w.page.locator('bench-view').waitFor({ state: 'visible' });
    await w.page.screenshot({ path: screenshotPath('8-benchmark-page') });
    await w.page.getByRole('tab', { name: 'Playground' }).click();
    await w.page.locator('chart-board').waitFor({ state: 'visible' });
    expect(await w.page.evaluate(() => location.hash)).toBe(before);
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('trains the XOR lesson on the GPU until accuracy 1.0, and the charts receive data', async () => {
    const w = await watchedPage(context);
    await open(w);
    await w.page.getByRole('combobox', { name: 'Load a lesson' }).selectOption('xor');
    await waitPhase(w.page, ['ready']);
    await w.page.getByRole('button', { name: 'Play' }).click();
    await w.page.waitForFunction(
      () => {
        const el = document
          .querySelector('playground-app')
          ?.shadowRoot?.querySelector('train-bar')
          ?.shadowRoot?.querySelector('[role="status"]');
        return el?.getAttribute('data-accuracy') === '1';
      },
      null,
      { timeout: 150_000 },
    );
    const s = await status(w.page);
    expect(s.backend).toBe('gpu');
    expect(s.text).toContain('accuracy 100%');
    expect(s.text).toMatch(/^GPU/);
    // One more step while paused also redraws the decision boundary for the trained weights.
    await w.page.getByRole('button', { name: 'Pause' }).click();
    await waitPhase(w.page, ['paused']);
    await w.page.getByRole('button', { name: 'Step' }).click();
    await w.page.waitForFunction(
      () => {
        const s = (
          globalThis as unknown as {
            playground: { boundary: { step: number } | null; runs: { engine: { step: number } }[] };
          }
        ).playground;
        return s.boundary?.step === s.runs[0].engine.step;
      },
      null,
      { timeout: 60_000 },
    );
    expect((await status(w.page)).accuracy).toBe(1);
    await w.page.waitForTimeout(300);
    for (const chart of [
      'loss-chart',
      'decision-boundary',
      'depth-profile-chart',
      'layer-series-chart',
      'histogram-grid',
    ]) {
      expect(await colouredPixels(w.page, `${chart} canvas`), chart).toBeGreaterThan(50);
    }
    await w.page.screenshot({ path: screenshotPath('2-xor-trained') });

    // Keep: a chart as PNG, the statistics as CSV, the Keras script, and the weights, saved and loaded back.
    const save = async (name: RegExp) => {
      const [d] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name }).click()]);
      return { name: d.suggestedFilename(), path: (await d.path())! };
    };
    const png = await save(/Save the loss chart as PNG/);
    expect(png.name).toMatch(/^xor-loss-seed1\.png$/);
    expect(readFileSync(png.path).subarray(1, 4).toString()).toBe('PNG');
    const csv = await save(/Export statistics CSV/);
    expect(readFileSync(csv.path, 'utf8').split('\n')[0]).toMatch(
      /^run,step,loss,accuracy,test_loss,test_accuracy,layer0_act_mean/,
    );
    const py = readFileSync((await save(/Export Keras script/)).path, 'utf8');
    expect(py).toContain('optimizer=keras.optimizers.SGD(learning_rate=2, momentum=0, nesterov=False),');
    const weights = await save(/Save weights/);
    await w.page.getByRole('button', { name: 'Reset' }).click();
    await waitPhase(w.page, ['ready']);
    await w.page.getByLabel('Load weights').setInputFiles(weights.path);
    await w.page.waitForFunction(() =>
      (globalThis as unknown as { playground: { notice: string | null } }).playground.notice?.startsWith(
        'Weights loaded',
      ),
    );
    expect((await status(w.page)).accuracy).toBe(1);
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('keeps the config in the URL: a reload reproduces it, and ?config=...&run=1 trains at once', async () => {
    const w = await watchedPage(context);
    await open(w);
    // Two edits in a row: the store drops the first rebuild for the second.
    await w.page.getByLabel('Batch size').fill('8');
    await w.page.getByLabel('Batch size').press('Enter');
    await w.page.getByRole('combobox', { name: 'Dataset' }).selectOption('spiral');
    await w.page.waitForFunction(
      () =>
        (globalThis as unknown as { playground: { state: { config: { dataset: { name: string } } } } }).playground.state
          .config.dataset.name === 'spiral',
    );
    await waitPhase(w.page, ['ready']);
    const link = w.page.url();
    expect(link).toContain('#c=');
    const before = await w.page.evaluate(() =>
      JSON.stringify((globalThis as unknown as { playground: { state: { config: unknown } } }).playground.state.config),
    );
    const again = await watchedPage(context);
    await open(again, link.slice(url.length));
    const after = await again.page.evaluate(() =>
      JSON.stringify((globalThis as unknown as { playground: { state: { config: unknown } } }).playground.state.config),
    );
    expect(after).toBe(before);
    expect(JSON.parse(after)).toMatchObject({ batch_size: 8, dataset: { name: 'spiral' } });
    await expect(again.page.getByLabel('Batch size').inputValue()).resolves.toBe('8');

    const cfg = {
      dataset: 'xor',
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      batch_size: 4,
      epochs: 50,
    };
    const run = await watchedPage(context);
    await open(run, `?config=${encodeURIComponent(JSON.stringify(cfg))}&run=1`);
    await waitPhase(run.page, ['playing', 'done']);
    expect(run.page.url()).toContain('#c=');
    for (const x of [w, again, run]) {
      expect(x.errors).toEqual([]);
      await x.page.close();
    }
  });

  it('opens the defaults with an alert naming the field when the URL is invalid', async () => {
    const w = await watchedPage(context);
    const bad = { dataset: 'xor', layers: [{ units: 2, activation: 'sigmoid' }, { units: 0 }] };
    // The alert comes before the network is built: no need to wait for it.
    await w.page.goto(`${url}?config=${encodeURIComponent(JSON.stringify(bad))}`);
    const alert = w.page.getByRole('alert');
    await expect(alert.innerText()).resolves.toContain('layers[1].units must be an integer from 1 to 8192, got 0');
    const dataset = await w.page.evaluate(
      () =>
        (globalThis as unknown as { playground: { state: { config: { dataset: { name: string } } } } }).playground.state
          .config.dataset.name,
    );
    expect(dataset).toBe('circle');
    await w.page.goto(`${url}?config=%7Bnot%20json`);
    await expect(w.page.getByRole('alert').innerText()).resolves.toMatch(/config is not valid JSON/);
    await w.page.screenshot({ path: screenshotPath('4-invalid-url-alert') });
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('refuses a network the device cannot hold, naming the field', async () => {
    const w = await watchedPage(context);
    const huge = {
      dataset: 'gauss',
      layers: [...Array.from({ length: 30 }, () => ({ units: 8192 })), { units: 1, activation: 'sigmoid' }],
    };
    await open(w, `?config=${encodeURIComponent(JSON.stringify(huge))}`);
    await waitPhase(w.page, ['error']);
    await expect(w.page.getByRole('alert').innerText()).resolves.toMatch(
      /layers(\[1\]\.units gives a 8192x8192 kernel of [\d.]+ MiB, more than this GPU can bind| need about [\d.]+ MiB in all, more than this GPU allows)/,
    );
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('shows the depth profile of a deep network', async () => {
    const w = await watchedPage(context);
    const deep = {
      seed: 1,
      dataset: { name: 'random', samples: 256, dim: 64 },
      layers: [
        ...Array.from({ length: 50 }, () => ({ units: 64, activation: 'relu', kernel_initializer: 'glorot_uniform' })),
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      batch_size: 32,
      log_every: 1,
    };
    await open(w, `?config=${encodeURIComponent(JSON.stringify(deep))}`);
    expect((await status(w.page)).phase).toBe('ready');
    await w.page.getByRole('button', { name: 'Step' }).click();
    await w.page.waitForFunction(
      () =>
        (globalThis as unknown as { playground: { runs: { engine: { step: number } }[] } }).playground.runs[0].engine
          .step === 1,
    );
    const depth = w.page.locator('depth-profile-chart');
    await depth.scrollIntoViewIfNeeded();
    await w.page.waitForTimeout(300);
    expect(await colouredPixels(w.page, 'depth-profile-chart canvas')).toBeGreaterThan(50);
    await depth.screenshot({ path: screenshotPath('5-deep-depth-profile') });
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('trains compared initializers side by side on one device', async () => {
    // Two runs only: every GPU engine compiles its own pipelines, slow on SwiftShader (the seven
    // of the Keras lesson are compared on the CPU below).
    const w = await watchedPage(context);
    await open(w, '#lesson=xor&mode=compare&compare=zeros,he_normal');
    const rows = w.page.getByRole('table', { name: 'Comparison results' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await w.page.getByRole('button', { name: 'Play' }).click();
    await w.page.waitForFunction(
      () =>
        (globalThis as unknown as { playground: { runs: { engine: { step: number } }[] } }).playground.runs.every(
          (r) => r.engine.step >= 20,
        ),
      null,
      { timeout: 90_000 },
    );
    await w.page.getByRole('button', { name: 'Pause' }).click();
    await waitPhase(w.page, ['paused']);
    expect((await status(w.page)).backend).toBe('gpu');
    expect(await colouredPixels(w.page, 'loss-chart canvas')).toBeGreaterThan(50);
    expect(w.errors).toEqual([]);
    await w.page.close();
  });

  it('stops on a lost device and restarts with nothing lost', async () => {
    const w = await watchedPage(context);
    await open(w);
    await w.page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(w.page, ['playing']);
    const before = await w.page.url();
    await w.page.evaluate(() =>
      (globalThis as unknown as { playground: { device: GPUDevice } }).playground.device.destroy(),
    );
    await waitPhase(w.page, ['lost']);
    await expect(w.page.getByRole('alert').innerText()).resolves.toContain('The GPU device was lost');
    expect(w.page.url()).toBe(before);
    await w.page.getByRole('button', { name: 'Restart on a new device' }).click();
    await waitPhase(w.page, ['ready']);
    expect((await status(w.page)).backend).toBe('gpu');
    expect(w.page.url()).toBe(before);
    expect(w.errors.filter((e) => !/destroyed|lost/i.test(e))).toEqual([]);
    await w.page.close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('playground without WebGPU', SLOW, () => {
  let browser: Browser;
  beforeAll(async () => {
    if (HAVE_CHROMIUM) browser = await launch(false);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('says so plainly and trains XOR on the CPU backend', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const w = await watchedPage(ctx);
    await open(w, '#lesson=xor');
    const note = w.page.getByRole('note');
    await expect(note.innerText()).resolves.toMatch(/No WebGPU here/);
    await expect(note.innerText()).resolves.toContain('Chrome or Edge 113+, Safari 26+, or Firefox 141+ on Windows');
    await w.page.getByRole('combobox', { name: 'Load a lesson' }).selectOption('xor');
    await waitPhase(w.page, ['ready']);
    expect((await status(w.page)).backend).toBe('cpu');
    await w.page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(w.page, ['done'], 120_000);
    const s = await status(w.page);
    expect(s.text).toMatch(/^CPU/);
    expect(s.text).toContain('training set: loss 0.0');
    // XOR is too small for WebAssembly to pay: it keeps the TypeScript engine (src/wasm/create.ts).
    const badge = w.page.locator('[role=status] .backend');
    await expect(badge.getAttribute('title')).resolves.toBe('CPU (TypeScript, Float32Array, one thread)');
    await w.page.screenshot({ path: screenshotPath('7-no-webgpu-cpu') });
    expect(w.errors).toEqual([]);
    await ctx.close();
  });

  it('runs a wider network on the WebAssembly engine: every thread when isolated, one and why when not', async () => {
    const plain = await serve({ isolated: false });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      for (const [base, isolated] of [
        [url, true],
        [plain.url, false],
      ] as const) {
        const w = await watchedPage(ctx);
        // Ten tanh layers of 64: a network the WebAssembly engine takes.
        await w.page.goto(`${base}#lesson=scales`);
        await waitPhase(w.page, ['ready']);
        const threads = await w.page.evaluate(() => (crossOriginIsolated ? navigator.hardwareConcurrency : 0));
        expect(threads > 0).toBe(isolated);
        await w.page.getByRole('button', { name: 'Step' }).click();
        await vi.waitFor(async () => expect((await status(w.page)).step).toBeGreaterThan(0), { timeout: 60_000 });
        const title = await w.page.locator('[role=status] .backend').getAttribute('title');
        if (!isolated) expect(title).toBe('CPU (WebAssembly SIMD, one thread: the page is not cross-origin isolated)');
        else
          expect(title).toBe(
            threads > 1
              ? `CPU (WebAssembly SIMD, ${threads} threads)`
              : 'CPU (WebAssembly SIMD, one thread: one thread asked for)',
          );
        expect(w.errors).toEqual([]);
        await w.page.close();
      }
    } finally {
      await ctx.close();
      await plain.server.close();
    }
  });

  it('trains on a CSV file the user opens, and names the line and column of a bad one', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const w = await watchedPage(ctx);
    await open(w);
    const good = screenshotPath('quadrants').replace(/\.png$/, '.csv');
    const rows = Array.from({ length: 120 }, (_, i) => {
      const x = ((i * 37) % 120) / 60 - 1,
        y = ((i * 53) % 120) / 60 - 1;
      return `${x},${y},${x * y > 0 ? 1 : 0}`;
    });
    writeFileSync(good, `x,y,label\n${rows.join('\n')}\n`);
    await w.page.getByLabel('Open a CSV file').setInputFiles(good);
    await w.page.waitForFunction(
      () => (globalThis as unknown as { playground: { csv: unknown; phase: string } }).playground.csv !== null,
    );
    await waitPhase(w.page, ['ready']);
    await expect(w.page.getByRole('combobox', { name: 'Dataset' }).inputValue()).resolves.toBe('__csv');
    await w.page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(w.page, ['done'], 60_000);
    const bad = good.replace(/quadrants\.csv$/, 'bad.csv');
    writeFileSync(bad, 'x,y,label\n1,2,0\n3,oops,1\n');
    await w.page.getByLabel('Open a CSV file').setInputFiles(bad);
    await expect(w.page.getByRole('alert').innerText()).resolves.toBe(
      'bad.csv: line 3, column 2: "oops" is not a number',
    );
    expect(w.errors).toEqual([]);
    await ctx.close();
  });

  it('compares the seven initializers of the Keras lesson side by side', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const w = await watchedPage(ctx);
    await open(w, '#lesson=xor');
    await w.page.getByRole('button', { name: 'Compare initializers' }).click();
    await waitPhase(w.page, ['ready']);
    const rows = w.page.getByRole('table', { name: 'Comparison results' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(7);
    await expect(rows.first().innerText()).resolves.toContain('zeros');
    await w.page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(w.page, ['done']);
    await expect(rows.nth(3).innerText()).resolves.toMatch(/glorot_uniform\s+[\d.]+\s+100%\s+[\d.]+\s+100%\s+[\d,]+/);
    await expect(rows.first().innerText()).resolves.toMatch(/zeros\s+0\.2500\s+50%\s+0\.2500\s+50%\s+not yet/);
    expect(await colouredPixels(w.page, 'loss-chart canvas')).toBeGreaterThan(50);
    await w.page.screenshot({ path: screenshotPath('3-compare-mode') });
    await w.page.locator('depth-profile-chart').scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: screenshotPath('3-compare-mode-depth') });
    expect(w.errors).toEqual([]);
    await ctx.close();
  });

  it('names the missing API when the browser has no navigator.gpu at all', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }),
    );
    const w = await watchedPage(ctx);
    await open(w);
    await expect(w.page.getByRole('note').innerText()).resolves.toContain('This browser does not offer WebGPU');
    expect((await status(w.page)).backend).toBe('cpu');
    expect(w.errors).toEqual([]);
    await ctx.close();
  });

  it('is readable in a narrow window, the banner included', async () => {
    const narrow = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const w = await watchedPage(narrow);
    await open(w);
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.screenshot({ path: screenshotPath('6-narrow-420-top') });
    await w.page.locator('loss-chart').scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: screenshotPath('6-narrow-420-charts') });
    expect(w.errors).toEqual([]);
    await narrow.close();
  });
});
