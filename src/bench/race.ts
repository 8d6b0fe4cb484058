/**
 * @file "Race this network": one network, the playground's, trained for a few seconds on each
 * backend, once with its statistics recorded as the playground records them (every `log_every`
 * steps) and once with a record only at the end of each timed window. The four contestants are
 * timed interleaved by the bench's own loop (measure.ts), so a burst of background load hits
 * them alike; a contestant too slow for the time allowed is skipped with the reason.
 */
import type { Dataset, RunConfig } from '../core/types';
import type { EngineOptions } from '../engines/create';
import { type BackendName, BUILD_PHASE_TEXT, type Engine } from '../train/engine';
import { checkAborted, type Entry, measureInterleaved, NO_RECORDS } from './measure';
import { csvField } from './results-file';
import type { Clock } from './types';

export type MakeEngine = (cfg: RunConfig, data: Dataset, opts: EngineOptions) => Promise<Engine>;

/** A backend to race on: how to build on it, or why it cannot run here. */
export type RaceBackend = { backend: BackendName; opts: EngineOptions } | { backend: BackendName; unavailable: string };

export interface RaceRow {
  backend: BackendName;
  /** True: statistics every `log_every` steps, as the playground trains; false: one record per timed window. */
  statistics: boolean;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  msPerStep?: number;
  stepsPerSec?: number;
  samplesPerSec?: number;
}

export interface RaceProgress {
  done: number;
  total: number;
  label: string;
}

interface RaceOptions {
  clock: Clock;
  /** About how long each contestant is timed, in seconds (its build and warm-up come on top). */
  seconds: number;
  signal?: AbortSignal;
  onProgress?: (p: RaceProgress) => void;
}

const REPEATS = 5;

/** The network as raced: endless epochs, so no window runs past the end of training. */
function raceConfig(cfg: RunConfig, statistics: boolean): RunConfig {
  return { ...cfg, epochs: NO_RECORDS, log_every: statistics ? cfg.log_every : NO_RECORDS };
}

/** Rows in the order given (each backend with statistics, then without). */
export async function raceNetwork(
  cfg: RunConfig,
  data: Dataset,
  backends: readonly RaceBackend[],
  make: MakeEngine,
  o: RaceOptions,
): Promise<RaceRow[]> {
  const rows: RaceRow[] = [];
  const contestants: { row: RaceRow; entry?: Entry; engine?: Engine }[] = [];
  const timedCalls = REPEATS + 3;
  const builds = backends.filter((b) => !('unavailable' in b)).length * 2;
  const total = builds + builds * timedCalls;
  let done = 0;
  const report = (label: string) => o.onProgress?.({ done: Math.min(done, total), total, label });
  try {
    for (const b of backends) {
      for (const statistics of [true, false]) {
        const row: RaceRow = { backend: b.backend, statistics, status: 'skipped' };
        rows.push(row);
        if ('unavailable' in b) {
          row.reason = b.unavailable;
          continue;
        }
        checkAborted(o.signal);
        report(`building the ${b.backend.toUpperCase()} engine${statistics ? '' : ' (statistics at the end only)'}`);
        const contestant: (typeof contestants)[number] = { row };
        contestants.push(contestant);
        try {
          const building = `building the ${b.backend.toUpperCase()} engine`;
          const engine = await make(raceConfig(cfg, statistics), data, {
            ...b.opts,
            signal: o.signal,
            onProgress: (p) => report(`${building}: ${BUILD_PHASE_TEXT[p.phase]} ${p.done} of ${p.total}`),
          });
          contestant.engine = engine;
          await engine.init();
          const run = async (iters: number) => {
            await engine.run(iters, () => {}, o.signal);
            done++;
            report(`timing ${b.backend.toUpperCase()}`);
          };
          contestant.entry = { key: `${b.backend} ${statistics}`, workload: { run } };
        } catch (e) {
          if ((e as Error).name === 'AbortError') throw e;
          Object.assign(row, { status: 'failed', reason: (e as Error).message });
        }
        done++;
      }
    }
    const entries = contestants.flatMap((c) => (c.entry ? [c.entry] : []));
    const budgetMs = o.seconds * 1000;
    const outcomes = await measureInterleaved(
      entries,
      { repeats: REPEATS, minRepeats: 2, targetMs: budgetMs / (REPEATS + 1), budgetMs, warmupIters: 2 },
      o.clock,
      o.signal,
    );
    const batch = Math.min(cfg.batch_size, data.n);
    for (const c of contestants) {
      const outcome = c.entry && outcomes.get(c.entry.key);
      if (!outcome) continue;
      if (outcome.status !== 'ok') Object.assign(c.row, outcome);
      else {
        const ms = outcome.summary.median;
        Object.assign(c.row, {
          status: 'ok',
          msPerStep: ms,
          stepsPerSec: 1000 / ms,
          samplesPerSec: (1000 / ms) * batch,
        });
      }
    }
    return rows;
  } finally {
    for (const c of contestants) c.engine?.dispose();
  }
}

/** The race as CSV, one row per contestant. */
export function raceCsv(rows: readonly RaceRow[]): string {
  const head = 'backend,statistics,status,ms_per_step,steps_per_s,samples_per_s,reason';
  return [
    head,
    ...rows.map((r) =>
      [
        r.backend,
        r.statistics ? 'every log_every steps' : 'end of window only',
        r.status,
        r.msPerStep,
        r.stepsPerSec,
        r.samplesPerSec,
        r.reason,
      ]
        .map(csvField)
        .join(','),
    ),
  ].join('\n');
}
