/**
 * @file The History section of bench/REPORT.md: kept verbatim from the report a run replaces
 * (people append to it), or started with the run's key figures.
 */
import { keyFigures } from './terminal';
import type { BenchResults } from './types';
import { REPORT_WORDS } from './words';

const HISTORY_HEADING = '## History';

/** The History section of an existing report (kept verbatim), or null. */
export function extractHistory(md: string | null): string | null {
  if (!md) return null;
  const i = md.indexOf(`\n${HISTORY_HEADING}\n`);
  return i < 0 ? null : `${md.slice(i + 1).trimEnd()}\n`;
}

/** ` (1-min load 5.0 → 6.2)`: how busy the machine was, for judging a History entry. */
export function loadNote(r: BenchResults): string {
  const m = r.environment.machine;
  return m.loadStart === undefined
    ? ''
    : ` (1-min load average ${m.loadStart.toFixed(1)} → ${m.loadEnd?.toFixed(1) ?? '?'} on ${m.cores} cores)`;
}

export function baselineHistory(r: BenchResults): string {
  const commit = r.environment.commit ? ` (commit ${r.environment.commit})` : '';
  const values = { date: r.date.slice(0, 10), commit, figures: keyFigures(r), load: loadNote(r) };
  return `${REPORT_WORDS.fill('history', values)}\n`;
}
