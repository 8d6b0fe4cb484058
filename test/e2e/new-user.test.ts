/**
 * @file The playground as a new user meets it (issue 14), in headless Chromium: the layout at
 * 1280×800 and 420×800 (the document never taller than the window, every visible control
 * reachable, the training controls a few Tab stops from the top), on every page and in the
 * states a user reaches. These run without WebGPU (the CPU backend in its worker): layout does
 * not depend on the backend, and the CPU builds at once where SwiftShader takes seconds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserSession,
  colouredPixels,
  HAVE_CHROMIUM,
  launch,
  screenshotPath,
  type Watched,
  watchedPage,
} from './harness';
import { documentOverflow, scrollEverythingToEnd, truncatedSelects, unreachableControls } from './layout';

const SLOW = { timeout: 300_000 };

const session = browserSession(false);

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
  const context = await session.browser.newContext({ viewport: { width, height } });
  const w = await watchedPage(context);
  await w.page.goto(session.url + path);
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
    it(`at ${width}×${height}: the playground, a compare lesson, and every other page`, async () => {
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

      // Every other page the navigation offers, whichever pages there are.
      const tabs = (await page.getByRole('tab').allInnerTexts()).filter((t) => t !== 'Playground');
      expect(tabs.length).toBeGreaterThanOrEqual(2);
      for (const tab of tabs) {
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

/** The text of the cell where the decision boundary goes. */
function outputCellText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const board = document.querySelector('playground-app')?.shadowRoot?.querySelector('chart-board');
    return (board?.shadowRoot?.querySelector('.cell:nth-child(2)') as HTMLElement | null)?.innerText ?? '';
  });
}

/** A small Keras CNN (Conv2D on 28×28×1), as `model.to_json()` writes it in Keras 3. */
const KERAS_CNN = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_shape: [null, 28, 28, 1], name: 'input_layer' } },
      { class_name: 'Conv2D', config: { filters: 8, kernel_size: [3, 3], activation: 'relu', name: 'conv2d' } },
      { class_name: 'Flatten', config: { name: 'flatten' } },
      { class_name: 'Dense', config: { units: 10, activation: 'softmax', name: 'dense' } },
    ],
  },
};

describe.skipIf(!HAVE_CHROMIUM)('messages say what is true', SLOW, () => {
  it('the boundary cell after a refused network, a Keras CNN, and an error gone with its cause', async () => {
    const huge = {
      dataset: 'circle',
      layers: [...Array.from({ length: 10 }, () => ({ units: 8192 })), { units: 1, activation: 'sigmoid' }],
    };
    const w = await openPage(1280, 800, `?config=${encodeURIComponent(JSON.stringify(huge))}`);
    const page = w.page;
    await waitPhase(page, ['error']);
    expect(await outputCellText(page)).not.toMatch(/no plane/);
    expect(await outputCellText(page)).toMatch(/not built/);
    await page.getByLabel('Units per hidden layer').fill('8');
    await page.getByLabel('Units per hidden layer').press('Enter');
    await waitPhase(page, ['ready']);

    await page.getByText('Build from a Keras model').click();
    await page.getByLabel('Keras model JSON').fill(JSON.stringify(KERAS_CNN));
    await page.getByRole('button', { name: 'Build network' }).click();
    const kerasAlert = page.getByRole('alert').filter({ hasText: 'model.layers' });
    await expect(kerasAlert.innerText()).resolves.toMatch(/model\.layers\[1\] is a Conv2D layer/);

    const csv = screenshotPath('two-blobs').replace(/\.png$/, '.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `${(i % 2) * 4 + (i % 7) / 7},${(i % 5) / 5},${i % 2}`);
    writeFileSync(csv, `x,y,label\n${rows.join('\n')}\n`);
    await page.getByLabel('Open a CSV file').setInputFiles(csv);
    await waitPhase(page, ['ready']);
    expect(await kerasAlert.count()).toBe(0);
    expect(await outputCellText(page)).not.toMatch(/no plane|not built/);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('small things', SLOW, () => {
  it('no tick label clipped at a chart edge, no run name cut in a picker', async () => {
    // 100 steps: the x axes end on a tick ("100"), centred on the plots' right ends.
    const xor = {
      dataset: 'xor',
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
    };
    const cfg = encodeURIComponent(JSON.stringify({ ...xor, batch_size: 4, epochs: 100, log_every: 5 }));
    const w = await openPage(1280, 800, `?config=${cfg}#mode=compare&compare=random_normal:stddev=0.01,glorot_uniform`);
    const page = w.page;
    await page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(page, ['done']);
    await page.waitForTimeout(300);
    expect(await truncatedSelects(page)).toEqual([]);
    // A tick label centred on the plot's right end must fit the canvas: no ink in its last columns.
    const inkAtRightEdge = await page.evaluate(() => {
      const out: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el instanceof HTMLCanvasElement && el.closest('.uplot')) {
            const ctx = el.getContext('2d')!;
            const d = ctx.getImageData(el.width - 2, 0, 2, el.height).data;
            for (let p = 0; p < d.length; p += 4)
              if (d[p + 3] > 100) out.push((el.getRootNode() as ShadowRoot).host.tagName);
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return [...new Set(out)];
    });
    expect(inkAtRightEdge).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });

  it('drops the lesson from the link and the Keras script once the network is edited away from it', async () => {
    const w = await openPage(1280, 800, '#lesson=xor');
    const page = w.page;
    expect(page.url()).toContain('lesson=xor');
    await page.getByLabel('Layer 1 units').fill('3');
    await page.getByLabel('Layer 1 units').press('Enter');
    await page.waitForFunction(() => !location.hash.includes('lesson='));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Keras script' }).click(),
    ]);
    const script = readFileSync((await download.path())!, 'utf8');
    expect(script.split('\n')[0]).not.toContain('XOR');
    await expect(page.getByRole('combobox', { name: 'Load a lesson' }).inputValue()).resolves.toBe('');
    expect(w.errors).toEqual([]);
    await page.context().close();
  });
});

/** The training-set accuracy the status line, the boundary's caption and (in compare mode) the table's shown run report, in %. */
async function reportedTrainAccuracies(
  page: Page,
): Promise<{ status: string; boundary: string; table: string | null }> {
  const status = await page.getByRole('status').innerText();
  const caption = await page.locator('decision-boundary .subtitle').innerText();
  const table = page.getByRole('table', { name: 'Comparison results' });
  let tableText: string | null = null;
  if (await table.count()) {
    const shown = await page.evaluate(
      () => (globalThis as unknown as { playground: { lead: { label: string } } }).playground.lead.label,
    );
    const row = table.locator('tbody tr').filter({ hasText: shown }).first();
    tableText = (await row.locator('td').nth(4).innerText()).trim();
  }
  return {
    status: /training set(?: \([^)]*\))?: loss [\d.e+-]+, accuracy ([\d.]+%)/.exec(status)?.[1] ?? 'missing',
    boundary: /training set accuracy ([\d.]+%)/.exec(caption)?.[1] ?? 'missing',
    table: tableText,
  };
}

describe.skipIf(!HAVE_CHROMIUM)('numbers that agree, and the boundary of three classes', SLOW, () => {
  it('reports the training set accuracy once, the same in the status line, the boundary and the table', async () => {
    const w = await openPage(1280, 800);
    const page = w.page;
    const first = await reportedTrainAccuracies(page);
    expect(first.boundary).toBe(first.status);
    expect(await page.getByRole('status').innerText()).toMatch(/recent batches: loss [\d.]+, accuracy [\d.]+%/);

    await page.getByRole('combobox', { name: 'Load a lesson' }).selectOption('relu30');
    await waitPhase(page, ['ready']);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { playground: { runs: { engine: { step: number } }[] } }).playground.runs[0].engine
          .step > 60,
      null,
      { timeout: 60_000 },
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitPhase(page, ['paused']);
    const trained = await reportedTrainAccuracies(page);
    expect(trained.boundary).toBe(trained.status);
    expect(trained.table).toBe(trained.status);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });

  it('colours three classes each in its own colour, with a legend', async () => {
    const cfg = {
      dataset: { name: 'random', samples: 300, dim: 2, classes: 3 },
      layers: [
        { units: 16, activation: 'relu' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'categorical_crossentropy',
    };
    const w = await openPage(1280, 800, `?config=${encodeURIComponent(JSON.stringify(cfg))}`);
    const page = w.page;
    await page.locator('decision-boundary canvas').waitFor();
    const legend = await page.locator('decision-boundary .legend').innerText();
    expect(legend).toMatch(/class 0[\s\S]*class 1[\s\S]*class 2/);
    // Class 2 is green (CLASS_COLORS[2]): its points and region, nowhere if classes merge into two.
    const green = await page.locator('decision-boundary canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let p = 0; p < d.length; p += 4) if (d[p + 1] > d[p] + 30 && d[p + 1] > d[p + 2] + 10) n++;
      return n;
    });
    expect(green).toBeGreaterThan(200);
    await page.locator('decision-boundary').screenshot({ path: screenshotPath('boundary-three-classes') });
    expect(w.errors).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the zero-initialization lesson tells its story', SLOW, () => {
  it('draws the zeros, names the identical units, and charts their symmetry over steps', async () => {
    const w = await openPage(1280, 800, '#lesson=zeros');
    const page = w.page;
    // At initialization every std in the network is exactly 0: drawn on the floor, not left out.
    const depth = page.locator('depth-profile-chart');
    await depth.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    expect(await colouredPixels(page, 'depth-profile-chart canvas')).toBeGreaterThan(50);
    await expect(page.locator('depth-profile-chart .subtitle').innerText()).resolves.toContain(
      'exactly 0 sits on the axis floor, marked 0',
    );
    // Four hidden units that are one: three add nothing.
    const health = page.locator('unit-health-chart .subtitle');
    await expect(health.innerText()).resolves.toMatch(/worst L1 75\s% identical/);

    await page.getByRole('button', { name: 'Play' }).click();
    await waitPhase(page, ['done']);
    await page.locator('layer-series-chart select').first().selectOption('max_unit_diff');
    await page.locator('layer-series-chart').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    // The hidden layer's line lies on the floor (0) at every step: its units never differ.
    expect(await colouredPixels(page, 'layer-series-chart canvas')).toBeGreaterThan(50);
    await expect(health.innerText()).resolves.toMatch(/75\s% identical/);
    await page.screenshot({ path: screenshotPath('zeros-lesson-trained') });
    expect(w.errors).toEqual([]);
    await page.context().close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('a big network on the GPU (SwiftShader)', SLOW, () => {
  it('shows its build progress, gives way to the CPU at once, and cancels', async () => {
    const gpu = await launch(true);
    try {
      const context = await gpu.newContext({ viewport: { width: 1280, height: 800 } });
      const w = await watchedPage(context);
      const page = w.page;
      const big = {
        dataset: 'circle',
        layers: [
          ...Array.from({ length: 50 }, () => ({ units: 1024, activation: 'relu' })),
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary_crossentropy',
      };
      await page.goto(`${session.url}?config=${encodeURIComponent(JSON.stringify(big))}`);
      const progress = page.getByRole('progressbar', { name: 'Building the network' });
      await progress.waitFor({ timeout: 60_000 });
      await expect(outputCellText(page)).resolves.toMatch(/Building the network/);
      // Progress by phase: kernels compiled, variants timed or layers set up, counted.
      await page.waitForFunction(
        () => {
          const bar = document.querySelector('playground-app')?.shadowRoot?.querySelector('train-bar')?.shadowRoot;
          return /(compiling kernels|timing kernel variants|setting up layers) \d+ of \d+/.test(
            (bar?.querySelector('.building') as HTMLElement | null)?.innerText ?? '',
          );
        },
        null,
        { timeout: 120_000 },
      );
      await page.screenshot({ path: screenshotPath('big-network-building-1280') });
      // The progress and Cancel cover nothing and fit a narrow window too.
      await expectSoundLayout(page, 'building, 1280');
      await page.setViewportSize({ width: 420, height: 800 });
      await expectSoundLayout(page, 'building, 420');
      await page.screenshot({ path: screenshotPath('big-network-building-420') });
      await page.setViewportSize({ width: 1280, height: 800 });
      // The CPU while the GPU is still building: ready within seconds, not behind the build.
      const t0 = Date.now();
      await page.getByLabel('Units per hidden layer').fill('32');
      await page.getByLabel('Units per hidden layer').press('Enter');
      await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
      await waitPhase(page, ['ready'], 60_000);
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(await page.getByRole('status').getAttribute('data-backend')).toBe('cpu');
      // Back to the GPU at full width, then Cancel: nothing built, said plainly, and Play builds again.
      await page.getByLabel('Units per hidden layer').fill('1024');
      await page.getByLabel('Units per hidden layer').press('Enter');
      await page.getByRole('combobox', { name: 'Backend' }).selectOption('gpu');
      await progress.waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await waitPhase(page, ['cancelled'], 5_000);
      await expect(page.getByRole('status').innerText()).resolves.toContain('Not built (cancelled)');
      await expect(page.getByRole('button', { name: 'Play' }).isEnabled()).resolves.toBe(true);
      expect(w.errors).toEqual([]);
      await context.close();
    } finally {
      await gpu.close();
    }
  });
});
