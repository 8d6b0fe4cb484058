/**
 * @file Building the page's engines so that nothing waits on a build nobody wants any more: one
 * engine per run, built side by side with their progress reported, and given up the moment the
 * build's signal aborts (a new edit, a switch of backend, Cancel), even where an engine is still
 * compiling and cannot stop at once. An engine that arrives after that is disposed on arrival,
 * never handed out, so a stale build can neither hold the page up nor leak a device's memory.
 */
import type { Dataset, RunConfig } from '../../core/types';
import type { EngineOptions } from '../../engines/create';
import { BUILD_PHASE_TEXT, type BuildProgress, type Engine } from '../../train/engine';

/**
 * `work`, or a rejection with the signal's reason as soon as the signal aborts; a result that
 * arrives after that goes to `late` (to be released).
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, late: (v: T) => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      work.then(late, () => {});
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) reject(e);
      },
    );
  });
}

type MakeEngine = (cfg: RunConfig, data: Dataset, opts: EngineOptions) => Promise<Engine>;

/**
 * One engine per config, built side by side on `opts`' backend; `onProgress` hears which run a
 * report is about. If one fails or the signal aborts, the engines already made are disposed and
 * the failure (or the signal's reason) is thrown.
 */
export async function buildEngines(
  cfgs: readonly RunConfig[],
  data: Dataset,
  make: MakeEngine,
  opts: EngineOptions & { signal: AbortSignal },
  onProgress: (run: number, progress: BuildProgress) => void,
): Promise<Engine[]> {
  const made = await Promise.allSettled(
    cfgs.map((cfg, i) =>
      unlessAborted(make(cfg, data, { ...opts, onProgress: (p) => onProgress(i, p) }), opts.signal, (late) =>
        late.dispose(),
      ),
    ),
  );
  const engines = made.flatMap((m) => (m.status === 'fulfilled' ? [m.value] : []));
  const failed = made.find((m): m is PromiseRejectedResult => m.status === 'rejected');
  if (failed || opts.signal.aborted) {
    for (const e of engines) e.dispose();
    throw opts.signal.aborted ? opts.signal.reason : failed!.reason;
  }
  return engines;
}

/** Where a build is, for the page: what it is doing, and each run's latest report from its engine. */
export interface BuildState {
  stage: 'data' | 'engines' | 'first record';
  runs: (BuildProgress | null)[];
}

const PHASES = Object.keys(BUILD_PHASE_TEXT) as BuildProgress['phase'][];

/**
 * The build in one line and a fraction for a progress bar: the stage, or the engine phase of the
 * run furthest behind with the runs in it summed ("compiling kernels 12 of 40").
 */
export function describeBuild(build: BuildState): { text: string; done: number; total: number } {
  if (build.stage !== 'engines') {
    return { text: build.stage === 'data' ? 'loading the data' : 'initializing the weights', done: 0, total: 0 };
  }
  const reports = build.runs.filter((p): p is BuildProgress => p !== null);
  if (reports.length < build.runs.length || reports.length === 0) return { text: 'starting', done: 0, total: 0 };
  const phase = PHASES.find((ph) => reports.some((p) => p.phase === ph))!;
  const inPhase = reports.filter((p) => p.phase === phase);
  const done = inPhase.reduce((s, p) => s + p.done, 0),
    total = inPhase.reduce((s, p) => s + p.total, 0);
  return {
    text: `${BUILD_PHASE_TEXT[phase]} ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
    done,
    total,
  };
}
