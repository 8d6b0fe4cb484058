/**
 * @file The browser-test harness: serves the repository with Vite's dev server on a free port of
 * 127.0.0.1 (a secure context, so navigator.gpu exists) and launches the system Chromium
 * headless. With --enable-unsafe-webgpu Chromium runs WebGPU on SwiftShader, its software
 * Vulkan; without it the page has no WebGPU. Console errors and page errors are collected per
 * page so every test can assert there were none. Nothing is downloaded.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { CROSS_ORIGIN_ISOLATION } from '../../vite.config';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Serves the page as `npm start` does: cross-origin isolated unless `isolated` is false. */
export async function serve({ isolated = true } = {}): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    server: {
      ...{ host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
      headers: isolated ? CROSS_ORIGIN_ISOLATION : {},
    },
    worker: { format: 'es' },
    logLevel: 'silent',
    // Pre-bundle the page's dependencies up front: discovering them on first load would make
    // Vite reload the page in the middle of a test.
    optimizeDeps: { include: ['lit', 'lit/directives/style-map.js', 'uplot'], entries: ['index.html'] },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

export function launch(webgpu: boolean): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? ['--enable-unsafe-webgpu', ...BASE_ARGS] : BASE_ARGS,
  });
}

export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** A test file's dev server and browser: started before its tests (where Chromium exists), closed after. */
export interface BrowserSession {
  readonly url: string;
  readonly browser: Browser;
}

export function browserSession(webgpu: boolean): BrowserSession {
  const session = {} as { url: string; browser: Browser; server?: ViteDevServer };
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    ({ server: session.server, url: session.url } = await serve());
    session.browser = await launch(webgpu);
  }, 120_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}

export interface Watched {
  page: Page;
  errors: string[];
}

/** A page in `context` whose console errors and uncaught exceptions are collected. */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}

export function screenshotPath(name: string): string {
  mkdirSync(OUT, { recursive: true });
  return `${OUT}${name}.png`;
}

/** The status line's data attributes. */
export async function status(
  page: Page,
): Promise<{ text: string; backend: string; phase: string; step: number; accuracy: number }> {
  const el = page.getByRole('status');
  const [text, backend, phase, step, accuracy] = await Promise.all([
    el.innerText(),
    el.getAttribute('data-backend'),
    el.getAttribute('data-phase'),
    el.getAttribute('data-step'),
    el.getAttribute('data-accuracy'),
  ]);
  return {
    text: text ?? '',
    backend: backend ?? '',
    phase: phase ?? '',
    step: Number(step),
    accuracy: accuracy ? Number(accuracy) : NaN,
  };
}

/** Pixels of a canvas (inside the shadow roots) that are clearly coloured, i.e. data, not axes or grid. */
export async function colouredPixels(page: Page, selector: string): Promise<number> {
  const canvases = page.locator(selector);
  let total = 0;
  for (let i = 0; i < (await canvases.count()); i++) {
    total += await canvases.nth(i).evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return 0;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let p = 0; p < d.length; p += 4) {
        const max = Math.max(d[p], d[p + 1], d[p + 2]),
          min = Math.min(d[p], d[p + 1], d[p + 2]);
        if (d[p + 3] > 128 && max - min > 60) n++;
      }
      return n;
    });
  }
  return total;
}
