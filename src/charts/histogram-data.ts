/**
 * @file The model of <histogram-grid>: one small panel per layer with the latest histogram
 * of activations, kernel weights or gradients, and the initial one faintly behind.
 *
 * The engine's histograms are 32 counts between each tensor's own min and max, so the latest
 * and the initial one have different bin widths. Both are turned into densities (area 1) so
 * they overlay truthfully. A tensor whose values are all equal (zero-initialized weights, a dead
 * layer) has no width: it becomes a single narrow bar of area 1.
 */
import type { Histogram, LayerStats } from '../core/stats';
import type { StepRecord } from '../train/engine';
import type { ChartRun } from './types';

export type HistKind = 'act' | 'kernel' | 'grad';
export const HIST_KINDS: readonly HistKind[] = ['act', 'kernel', 'grad'];

export const HIST_INFO: Record<
  HistKind,
  { label: string; hist: 'act_hist' | 'kernel_hist' | 'grad_hist'; std: keyof LayerStats; axis: string }
> = {
  act: { label: 'activations', hist: 'act_hist', std: 'act_std', axis: 'activation value' },
  kernel: { label: 'weights', hist: 'kernel_hist', std: 'kernel_std', axis: 'kernel weight' },
  grad: { label: 'gradients', hist: 'grad_hist', std: 'grad_std', axis: '∂loss/∂activation' },
};

export function isHistKind(s: string | null | undefined): s is HistKind {
  return (HIST_KINDS as readonly string[]).includes(s ?? '');
}

/** Bars of a density: [x0, x1) and height, total area 1. */
export interface Density {
  x0: number[];
  x1: number[];
  d: number[];
  peak: number;
}

/**
 * Counts over [min, max] to a density. `minWidth` is the width a zero-width histogram is
 * drawn with (centred on its value). Null when there is nothing counted or the range is broken.
 */
export function normalizeHist(h: Histogram | null | undefined, minWidth: number): Density | null {
  if (!h || !Number.isFinite(h.min) || !Number.isFinite(h.max)) return null;
  const total = h.counts.reduce((s, c) => s + Math.max(c, 0), 0);
  if (!(total > 0)) return null;
  const span = h.max - h.min;
  if (!(span > 0) || span < minWidth * 1e-6) {
    const w = minWidth > 0 ? minWidth : 1;
    return { x0: [h.min - w / 2], x1: [h.min + w / 2], d: [1 / w], peak: 1 / w };
  }
  const bw = span / h.counts.length;
  const out: Density = { x0: [], x1: [], d: [], peak: 0 };
  h.counts.forEach((c, i) => {
    const d = Math.max(c, 0) / (total * bw);
    out.x0.push(h.min + i * bw);
    out.x1.push(h.min + (i + 1) * bw);
    out.d.push(d);
    if (d > out.peak) out.peak = d;
  });
  return out;
}

export interface HistPanel {
  layer: number;
  title: string;
  now: Density | null;
  init: Density | null;
  xMin: number;
  xMax: number;
  /** Height of the density axis: the taller of the two peaks. */
  yMax: number;
}

function histOf(rec: StepRecord | null | undefined, l: number, kind: HistKind): Histogram | null {
  return rec?.layers[l]?.[HIST_INFO[kind].hist] ?? null;
}

/** [min, max] over some histograms, padded when it has no width. */
export function histRange(hs: readonly (Histogram | null)[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const h of hs) {
    if (!h || !Number.isFinite(h.min) || !Number.isFinite(h.max)) continue;
    lo = Math.min(lo, h.min);
    hi = Math.max(hi, h.max);
  }
  if (!(lo <= hi)) return [-1, 1];
  if (hi - lo <= 1e-12 * Math.max(1, Math.abs(lo))) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.5 : 0.5;
    return [lo - d, hi + d];
  }
  return [lo, hi];
}

/**
 * One panel per layer of `run`. With `sharedX` every panel spans the range of all layers, so
 * shrinking spreads are seen as shrinking; otherwise each spans its own (now and initial).
 */
export function histPanels(run: ChartRun | undefined, kind: HistKind, sharedX: boolean): HistPanel[] {
  const h = run?.history;
  const n = h?.latest?.layers.length ?? 0;
  if (!h || n === 0) return [];
  const pairs = Array.from({ length: n }, (_, l) => [histOf(h.latest, l, kind), histOf(h.initial, l, kind)] as const);
  const global = sharedX ? histRange(pairs.flat()) : null;
  return pairs.map(([now, init], l) => {
    const [xMin, xMax] = global ?? histRange([now, init]);
    const minWidth = (xMax - xMin) / 64;
    const dNow = normalizeHist(now, minWidth);
    const dInit = h.initial === h.latest ? null : normalizeHist(init, minWidth);
    const act = run!.cfg.layers[l]?.activation.name ?? '';
    const std = h.latest!.layers[l]?.[HIST_INFO[kind].std] as number | undefined;
    const sigma = std != null && Number.isFinite(std) ? ` · σ ${fmt(std)}` : '';
    return {
      layer: l,
      title: `L${l + 1}${l === n - 1 ? ' out' : ''} ${act}${sigma}`,
      now: dNow,
      init: dInit,
      xMin,
      xMax,
      yMax: Math.max(dNow?.peak ?? 0, dInit?.peak ?? 0) || 1,
    };
  });
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-2 && a < 1e3 ? String(Number(v.toPrecision(2))) : v.toExponential(0).replace('e+', 'e');
}
