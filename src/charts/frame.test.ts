import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushSynthetic, syntheticRun } from '../../test/fixtures/synthetic-runs';
import { nextFrame, runsKey, unwatchFrames, watchFrames } from './frame';

/** A hand-cranked requestAnimationFrame. */
let queue: FrameRequestCallback[] = [];
const runFrame = async () => {
  const q = queue;
  queue = [];
  for (const cb of q) cb(0);
  await Promise.resolve();
};

describe('shared frame loop', () => {
  const saved = globalThis.requestAnimationFrame;
  beforeEach(() => {
    queue = [];
    globalThis.requestAnimationFrame = (cb) => {
      queue.push(cb);
      return queue.length;
    };
  });
  afterEach(() => {
    globalThis.requestAnimationFrame = saved;
  });

  it('polls every client once per frame through a single rAF request', async () => {
    const ticks = [0, 0];
    const a = { frameTick: () => ticks[0]++ },
      b = { frameTick: () => ticks[1]++ };
    watchFrames(a);
    watchFrames(b);
    expect(queue.length).toBe(1);
    await runFrame();
    await runFrame();
    expect(ticks).toEqual([2, 2]);
    unwatchFrames(a);
    unwatchFrames(b);
    await runFrame();
    expect(queue.length).toBe(0); // the loop stops when nobody listens
  });

  it('resolves nextFrame inside the next frame only', async () => {
    let done = 0;
    void nextFrame().then(() => done++);
    void nextFrame().then(() => done++);
    await Promise.resolve();
    expect(done).toBe(0);
    await runFrame();
    expect(done).toBe(2);
  });
});

describe('runsKey', () => {
  it('changes when a history changes or is replaced', () => {
    const r = syntheticRun('a', 'a', '#000000', 'healthy', 2);
    const k0 = runsKey([r]);
    expect(runsKey([r])).toBe(k0);
    pushSynthetic(r, 0);
    const k1 = runsKey([r]);
    expect(k1).not.toBe(k0);
    const fresh = syntheticRun('a', 'a', '#000000', 'healthy', 2);
    fresh.history.version = r.history.version;
    expect(runsKey([fresh])).not.toBe(k1);
  });
});
