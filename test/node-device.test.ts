/**
 * @file The Node host's Dawn event pump: it must not spin the main thread through a long wait
 * (on a software adapter that core runs kernels), must answer a short wait at once (on a hardware
 * GPU every step is one), and must leave every other setImmediate alone.
 */
import { describe, expect, it } from 'vitest';
import { throttleDawnEventPump } from '../src/gpu/node-device';

/** Stands in for the `webgpu` package's queue: its wait is a native function, like Dawn's pump callback. */
class FakeQueue {
  onSubmittedWorkDone() {
    return Promise.resolve();
  }
}

const kind = (h: unknown) => (h as object).constructor.name;

/** Re-queues a native callback the way the pump does after every poll, until one goes to a timer (or 100 ms). */
function pollUntilTimer(): unknown[] {
  const handles: unknown[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < 100) {
    handles.push(setImmediate(Math.max));
    if (kind(handles.at(-1)) === 'Timeout') break;
  }
  return handles;
}

function clear(handles: unknown[]) {
  for (const h of handles) {
    clearImmediate(h as NodeJS.Immediate);
    clearTimeout(h as NodeJS.Timeout);
  }
}

describe('Dawn event pump', () => {
  throttleDawnEventPump({ GPUQueue: FakeQueue });
  throttleDawnEventPump({ GPUQueue: FakeQueue }); // idempotent: one wrapper, not two
  const queue = new FakeQueue();

  it('polls back to back at the start of a wait, then from a timer; other callers keep setImmediate', () => {
    const js = setImmediate(() => {});
    expect(kind(js)).toBe('Immediate');
    clearImmediate(js);
    queue.onSubmittedWorkDone();
    const handles = pollUntilTimer();
    expect(kind(handles[0])).toBe('Immediate');
    expect(kind(handles.at(-1))).toBe('Timeout');
    clear(handles);
    const later = setImmediate(() => {});
    expect(kind(later)).toBe('Immediate');
    clearImmediate(later);
  });

  it('gives every wait its own start: a wait right after a long one is answered at once', () => {
    queue.onSubmittedWorkDone();
    const long = pollUntilTimer();
    expect(kind(long.at(-1))).toBe('Timeout');
    // The next wait follows without a pause, as the steps of a fast GPU do.
    queue.onSubmittedWorkDone();
    const next = setImmediate(Math.max);
    expect(kind(next)).toBe('Immediate');
    clear([...long, next]);
  });
});
