/**
 * @file The timing loop shared by every benchmark. Workloads of one cell (one product shape or
 * one network) are measured *interleaved*: each is warmed up and calibrated, then the timed
 * repeats go round-robin (A B C A B C ...), so a burst of background load hits every engine
 * alike instead of ruining one engine's numbers. Each repeat runs a calibrated number of
 * iterations and synchronizes once at its end (for the GPU: the workload's `run` resolves
 * after the device finished), so the fixed cost of one synchronization is spread thin.
 *
 * Slow workloads are bounded by a time budget: a workload whose predicted or measured
 * iteration time would not fit `minRepeats` repeats into the budget is skipped, with the
 * reason recorded, rather than holding the whole ladder up for minutes. The warm-up is outside
 * the budget (a first step that compiles forty pipelines says nothing about the next ones).
 */

/** A record interval (log_every) no timed window reaches: each `run` call makes only the record it ends with. */
export const NO_RECORDS = 1_000_000_000;

import { type Summary, summarize } from './stats';
import type { Clock } from './types';

/** Something to time. */
export interface Workload {
  /** Makes this workload's backend current (e.g. tf.setBackend); never timed. */
  activate?(): Promise<void> | void;
  /** Runs `iters` iterations; resolves once they have finished (GPU work included). */
  run(iters: number): Promise<void>;
}

export interface MeasureOptions {
  /** Timed repeats wanted. */
  repeats: number;
  /** Fewer repeats than this fitting into the budget: the workload is skipped. */
  minRepeats: number;
  /** A repeat lasts at least this long: iterations are batched until it does. */
  targetMs: number;
  /** Time one workload may take in one cell for its probe and timed repeats (warm-up excluded). */
  budgetMs: number;
  /** Iterations run and discarded before calibration (compilation, first upload, JIT). */
  warmupIters: number;
  /** Iterations per repeat, at least (default 1). */
  minIters?: number;
  /** Iterations per repeat, at most (default 100000). */
  maxIters?: number;
}

export type Outcome =
  | { status: 'ok'; samples: number[]; iters: number; warmupMs: number; summary: Summary }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

export interface Entry {
  key: string;
  workload: Workload;
  /** Expected ms per iteration (from a smaller size of the same engine), to skip hopeless work before warming up. */
  predictedMs?: number;
  /** Overrides of the options for this workload. */
  warmupIters?: number;
  minIters?: number;
  budgetMs?: number;
  /**
   * Time `repeats` windows even when they last a second or more (budget permitting): for a pair
   * of workloads whose difference is reported, where three medians under load are too few.
   */
  allRepeats?: boolean;
  /** When `minIters` iterations per repeat do not fit the budget, windows may shrink down to this. */
  minItersFloor?: number;
  /**
   * Untimed work, about this many ms (at least one iteration, at most one window), right before
   * each timed repeat. For GPU workloads: between repeats the adapter idles while the other
   * engines of the round run (a GPU lowers its clocks, a software adapter's threads sleep), and
   * without this the first GPU engine of each round pays for waking it up inside its window.
   */
  rewarmMs?: number;
}

/** A repeat this long or longer gets only the minimum number of repeats. */
const SLOW_REPEAT_MS = 1000;

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toPrecision(3)} ms`);

export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('benchmark cancelled', 'AbortError');
}

interface Plan {
  entry: Entry;
  iters: number;
  repeats: number;
  warmupMs: number;
  samples: number[];
  rewarmIters: number;
}

/** Warm-up and calibration of one workload: the plan for its timed repeats, or why it has none. */
async function calibrate(e: Entry, opts: MeasureOptions, clock: Clock): Promise<Plan | Outcome> {
  const o = { ...opts, warmupIters: e.warmupIters ?? opts.warmupIters, budgetMs: e.budgetMs ?? opts.budgetMs };
  const wanted = Math.max(1, e.minIters ?? opts.minIters ?? 1);
  const floor = Math.min(wanted, Math.max(1, e.minItersFloor ?? wanted));
  const maxIters = Math.max(wanted, o.maxIters ?? 100_000);
  const skip = (what: string, per: number): Outcome => ({
    status: 'skipped',
    reason:
      `${what} ${fmtMs(per)} per iteration: ` +
      `${o.minRepeats} repeats of ${floor} would not fit the ${fmtMs(o.budgetMs)} budget`,
  });
  if (e.predictedMs !== undefined && e.predictedMs * floor * o.minRepeats > o.budgetMs)
    return skip('predicted', e.predictedMs);
  const w = e.workload;
  await w.activate?.();
  // The warm-up (compilation, first upload, JIT) is outside the budget: it is paid once, not per repeat.
  let t = clock.now();
  if (o.warmupIters > 0) await w.run(o.warmupIters);
  const warmupMs = clock.now() - t;
  const start = clock.now();
  await w.run(floor);
  let per = (clock.now() - start) / floor;
  if (per * floor * o.minRepeats > o.budgetMs) return skip('measured', per);
  // The longest window up to `wanted` iterations that still fits the minimum repeats.
  const minIters = Math.max(floor, Math.min(wanted, Math.floor(o.budgetMs / (per * o.minRepeats))));
  const clampIters = (p: number) => Math.min(maxIters, Math.max(minIters, Math.ceil(o.targetMs / Math.max(p, 1e-6))));
  let iters = clampIters(per);
  // A slow workload (the probe already is a full window): the probe is a valid first repeat.
  const samples = iters === floor ? [per] : [];
  if (iters >= 4 * floor) {
    // One sync's fixed cost inflates a short probe: re-measure with the full window.
    t = clock.now();
    await w.run(iters);
    per = (clock.now() - t) / iters;
    iters = clampIters(per);
  }
  const left = o.budgetMs - (clock.now() - start);
  // Repeats of a second or more: their median is stable with the minimum number of them.
  const wanted2 = iters * per >= SLOW_REPEAT_MS && !e.allRepeats ? o.minRepeats : o.repeats;
  const repeats = Math.min(wanted2, Math.max(o.minRepeats, samples.length + Math.floor(left / (iters * per))));
  const rewarmIters = e.rewarmMs ? Math.min(iters, Math.max(1, Math.ceil(e.rewarmMs / Math.max(per, 1e-6)))) : 0;
  return { entry: e, iters, repeats, warmupMs, samples, rewarmIters };
}

/**
 * Measures every entry, interleaving their timed repeats. Returns one outcome per key; a
 * workload that throws is reported as failed and the others go on.
 */
export async function measureInterleaved(
  entries: readonly Entry[],
  o: MeasureOptions,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  const plans: Plan[] = [];
  for (const e of entries) {
    checkAborted(signal);
    try {
      const p = await calibrate(e, o, clock);
      if ('status' in p) out.set(e.key, p);
      else plans.push(p);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      out.set(e.key, { status: 'failed', reason: (err as Error).message ?? String(err) });
    }
  }
  const rounds = Math.max(0, ...plans.map((p) => p.repeats));
  const failed = new Set<Plan>();
  for (let r = 0; r < rounds; r++) {
    for (const p of plans) {
      if (p.samples.length >= p.repeats || failed.has(p)) continue;
      checkAborted(signal);
      try {
        await p.entry.workload.activate?.();
        await clock.settle?.();
        if (p.rewarmIters) await p.entry.workload.run(p.rewarmIters);
        const t = clock.now();
        await p.entry.workload.run(p.iters);
        p.samples.push((clock.now() - t) / p.iters);
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        failed.add(p);
        out.set(p.entry.key, { status: 'failed', reason: (err as Error).message ?? String(err) });
      }
    }
  }
  for (const p of plans) {
    if (failed.has(p)) continue;
    out.set(p.entry.key, {
      status: 'ok',
      samples: p.samples,
      iters: p.iters,
      warmupMs: p.warmupMs,
      summary: summarize(p.samples),
    });
  }
  return out;
}
