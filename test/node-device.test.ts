/**
 * @file The Node host's Dawn event pump: it must not spin the main thread through a long wait
 * (on a software adapter that core runs kernels), and must leave every other setImmediate alone.
 */
import { describe, expect, it } from 'vitest';
import { throttleDawnEventPump } from '../src/gpu/node-device';

describe('Dawn event pump', () => {
  it('polls back to back at the start of a wait, then from a timer; other callers keep setImmediate', () => {
    throttleDawnEventPump();
    throttleDawnEventPump(); // idempotent: one wrapper, not two
    const kind = (h: unknown) => (h as object).constructor.name;
    const js = setImmediate(() => {});
    expect(kind(js)).toBe('Immediate');
    clearImmediate(js);
    // The pump re-queues a native callback after every poll (Math.max stands in for it).
    const handles: unknown[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 3) handles.push(setImmediate(Math.max));
    expect(kind(handles[0])).toBe('Immediate');
    expect(kind(handles[handles.length - 1])).toBe('Timeout');
    for (const h of handles) {
      clearImmediate(h as NodeJS.Immediate);
      clearTimeout(h as NodeJS.Timeout);
    }
    const later = setImmediate(() => {});
    expect(kind(later)).toBe('Immediate');
    clearImmediate(later);
  });
});
