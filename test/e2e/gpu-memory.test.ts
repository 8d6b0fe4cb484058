/**
 * @file GPU memory in the page (headless Chromium, WebGPU on SwiftShader): fifty resets in a row,
 * and a few new seeds, leave the page's device holding what it held after the first. Buffers are
 * counted by wrapping the device's createBuffer and each buffer's destroy, as the Node tests do
 * (test/live-buffers.ts), inside the page.
 */
import { describe, expect, it } from 'vitest';
import { browserSession, HAVE_CHROMIUM, watchedPage } from './harness';

const session = browserSession(true);

interface PageStore {
  phase: string;
  device: GPUDevice;
  reset(): Promise<void>;
  newSeed(): Promise<void>;
}

describe.skipIf(!HAVE_CHROMIUM)('GPU memory in the page', { timeout: 300_000 }, () => {
  it('fifty resets in a row leave the live buffers where one left them', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const w = await watchedPage(context);
    await w.page.goto(session.url);
    await w.page.waitForFunction(
      () => (globalThis as unknown as { playground?: PageStore }).playground?.phase === 'ready',
      null,
      {
        timeout: 120_000,
      },
    );
    const counts = await w.page.evaluate(async () => {
      const store = (globalThis as unknown as { playground: PageStore }).playground;
      const device = store.device;
      const alive = new Set<GPUBuffer>();
      const create = device.createBuffer;
      device.createBuffer = (desc: GPUBufferDescriptor) => {
        const b = create.call(device, desc);
        alive.add(b);
        const destroy = b.destroy;
        b.destroy = () => {
          alive.delete(b);
          return destroy.call(b);
        };
        return b;
      };
      const bytes = () => [...alive].reduce((sum, b) => sum + b.size, 0);
      await store.reset();
      const first = { buffers: alive.size, bytes: bytes() };
      for (let i = 1; i < 50; i++) await store.reset();
      const fifty = { buffers: alive.size, bytes: bytes(), phase: store.phase };
      // A new seed builds a new engine: the old one's buffers must go with it.
      await store.newSeed();
      const seeded = { buffers: alive.size, bytes: bytes() };
      for (let i = 0; i < 3; i++) await store.newSeed();
      await store.reset();
      return { first, fifty, seeded, reseeded: { buffers: alive.size, bytes: bytes() } };
    });
    expect(counts.fifty).toEqual({ ...counts.first, phase: 'ready' });
    expect(counts.seeded.buffers).toBeGreaterThan(0);
    expect(counts.reseeded).toEqual(counts.seeded);
    expect(w.errors).toEqual([]);
    await context.close();
  });
});
