/**
 * @file The model of <unit-health-chart>: per layer, the fraction of units that no longer
 * respond, or add nothing. Which failure applies depends on the activation: relu-like units die
 * (output exactly 0, so no gradient passes), sigmoid/tanh/softsign units saturate (output at a
 * rail, gradient near 0). Whatever the activation, units whose incoming weights are all the same
 * (max_unit_diff exactly 0, as zero initialization leaves them) are copies of one unit: all but
 * one add nothing, and no update can tell them apart. That failure, when present, is the one shown.
 */
import { SATURATION_ID } from '../core/ids';
import { saturationMode } from '../core/stats';
import type { ChartRun } from './types';

export type HealthKind = 'dead' | 'saturated' | 'identical';

interface HealthBar {
  layer: number;
  activation: string;
  kind: HealthKind;
  /** Fraction of activations in the failed state at the latest record, in [0, 1]. */
  frac: number;
}

/** One bar per layer of a run's latest record. */
export function unitHealth(run: ChartRun): HealthBar[] {
  const rec = run.history.latest;
  if (!rec) return [];
  return rec.layers.map((L, l) => {
    const act = run.cfg.layers[l]?.activation;
    const units = run.cfg.layers[l]?.units ?? 1;
    if (units > 1 && L.max_unit_diff === 0)
      return { layer: l, activation: act?.name ?? '?', kind: 'identical', frac: (units - 1) / units };
    const kind: HealthKind = act && saturationMode(act) !== SATURATION_ID.none ? 'saturated' : 'dead';
    const v = kind === 'saturated' ? L.saturated_frac : L.zero_frac;
    return { layer: l, activation: act?.name ?? '?', kind, frac: Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0 };
  });
}

export interface HealthModel {
  /** bars[layer][run]: grouped bars, one group per layer. */
  bars: (HealthBar | null)[][];
  layers: number;
  /** Top of the y axis: 100 % when anything is above 50 %, else zoomed to a round fraction. */
  yMax: number;
  kinds: Set<HealthKind>;
}

/** Smallest of 5 %, 10 %, 20 %, 50 %, 100 % that holds `v` with a little headroom. */
export function healthAxisMax(v: number): number {
  for (const m of [0.05, 0.1, 0.2, 0.5, 1]) if (v <= m * 0.95) return m;
  return 1;
}

export function healthModel(runs: readonly ChartRun[]): HealthModel {
  const per = runs.map(unitHealth);
  const layers = Math.max(0, ...per.map((b) => b.length));
  const bars = Array.from({ length: layers }, (_, l) => per.map((b) => b[l] ?? null));
  const all = per.flat();
  return {
    bars,
    layers,
    yMax: healthAxisMax(Math.max(0, ...all.map((b) => b.frac))),
    kinds: new Set(all.map((b) => b.kind)),
  };
}

/** "2 of 12 layers over 50 % dead" style summary for the subtitle (no line break before "%"). */
export function healthSummary(runs: readonly ChartRun[]): string {
  if (runs.length === 0) return 'No run';
  const parts = runs.map((r) => {
    const b = unitHealth(r);
    if (b.length === 0) return `${r.label}: waiting`;
    const bad = b.filter((x) => x.frac > 0.5).length;
    const worst = b.reduce((m, x) => (x.frac > m.frac ? x : m), b[0]);
    const worstText = `L${worst.layer + 1} ${Math.round(worst.frac * 100)}\u00a0% ${worst.kind}`;
    return `${r.label}: ${bad} of ${b.length} layers over 50\u00a0%; worst ${worstText}`;
  });
  return parts.join(' · ');
}
