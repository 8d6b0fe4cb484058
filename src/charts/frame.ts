/**
 * @file One requestAnimationFrame loop shared by every chart on the page.
 *
 * Histories are mutated in place by the trainer (push bumps `version`), so charts cannot rely
 * on property assignments to learn about new data. Each connected chart is polled once per
 * frame (a few integer comparisons) and asks Lit for an update only when a history's version
 * moved; Lit updates themselves are deferred to this loop (`nextFrame`), so however fast
 * records stream in, every chart redraws at most once per frame, and not at all while the tab
 * is hidden (the browser pauses rAF).
 */
import type { ChartRun } from './types';

/** Something polled at the start of every frame while connected. */
export interface FrameClient {
  frameTick(): void;
}

const clients = new Set<FrameClient>();
let waiting: (() => void)[] = [];
let handle = 0;

function schedule(): void {
  if (handle === 0 && typeof requestAnimationFrame === 'function') handle = requestAnimationFrame(tick);
}

function tick(): void {
  handle = 0;
  for (const c of clients) c.frameTick();
  const w = waiting;
  waiting = [];
  for (const resolve of w) resolve();
  if (clients.size > 0 || waiting.length > 0) schedule();
}

export function watchFrames(c: FrameClient): void {
  clients.add(c);
  schedule();
}
export function unwatchFrames(c: FrameClient): void {
  clients.delete(c);
}

/** Resolves inside the next shared animation frame. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/**
 * Identity and version of every run's history: equal keys mean nothing to redraw. Identity
 * matters because a page may swap in a fresh history (version 0 again) for the same run id.
 */
export function runsKey(runs: readonly ChartRun[]): string {
  return runs.map((r) => `${idOf(r.history)}.${r.history.version}`).join(',');
}
