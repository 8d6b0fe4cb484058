/**
 * @file The theory beside each run of the page: the mean-field prediction of its step-0
 * activation std (over the first batch the record reduces, src/train/step-zero-theory.ts) and a
 * one-line status of its hidden layers (χ₁, the phase, ξ_c). Computed once per config and
 * dataset: a run's config object is replaced, never mutated, when anything about it changes.
 */
import type { RunTheory } from '../charts/types';
import { hiddenLayerStatus, type LayerStatus } from '../core/theory/prediction';
import type { Dataset, RunConfig } from '../core/types';
import { predictStepZero } from '../train/step-zero-theory';

/** Quadrature points for the page: far below a pixel's worth of error, four times cheaper than the CLI's. */
const PAGE_POINTS = 32;

const cache = new WeakMap<RunConfig, { data: Dataset; theory: RunTheory }>();

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '∞');

/** "χ₁ = 0.94, ordered, ξ_c = 15.8 layers". */
function statusLine(s: Extract<LayerStatus, { ok: true }>): string {
  return `χ₁ = ${fixed(s.chi1, 3)}, ${s.phase}, ξ_c = ${fixed(s.xiC, 1)} layers`;
}

/**
 * The status of a network's hidden layers: the layers past the first if they agree (the first
 * one's σ_w² often differs only because its fan-in is the input's), else a range of χ₁.
 */
function hiddenStatusLine(statuses: LayerStatus[]): string {
  if (statuses.length === 0) return 'no hidden layer';
  const failed = statuses.find((s) => !s.ok);
  if (failed && !failed.ok) return `no prediction: ${failed.reason}`;
  const ok = statuses as Extract<LayerStatus, { ok: true }>[];
  const bulk = ok.length > 1 ? ok.slice(1) : ok;
  if (bulk.every((s) => s === bulk[0])) return statusLine(bulk[0]);
  const chis = bulk.map((s) => s.chi1);
  return `layers differ: χ₁ from ${fixed(Math.min(...chis), 3)} to ${fixed(Math.max(...chis), 3)}`;
}

function theoryOf(cfg: RunConfig, data: Dataset): RunTheory {
  try {
    return {
      actStd: predictStepZero(cfg, data, PAGE_POINTS).map((p) => p.act_std),
      status: hiddenStatusLine(hiddenLayerStatus(cfg.layers, data.inputDim, PAGE_POINTS)),
    };
  } catch (e) {
    // A config the engine refuses shows the engine's own message; the chart only loses its overlay.
    return { actStd: [], status: `no prediction: ${(e as Error).message}` };
  }
}

let last: { runs: readonly unknown[]; data: Dataset | null; theories: Map<string, RunTheory> } | null = null;

/** The theory of every run, by run id; empty until the data is there. The same map while nothing changed. */
export function runTheories(
  runs: readonly { id: string; cfg: RunConfig }[],
  data: Dataset | null,
): Map<string, RunTheory> {
  if (last && last.runs === runs && last.data === data) return last.theories;
  const theories = new Map<string, RunTheory>();
  if (data) {
    for (const r of runs) {
      let hit = cache.get(r.cfg);
      if (!hit || hit.data !== data) {
        hit = { data, theory: theoryOf(r.cfg, data) };
        cache.set(r.cfg, hit);
      }
      theories.set(r.id, hit.theory);
    }
  }
  last = { runs, data, theories };
  return theories;
}
