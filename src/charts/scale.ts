/**
 * @file Axis arithmetic shared by the uPlot charts and the plain-canvas ones: decade-snapped log
 * ranges, "nice" linear ticks, and short tick labels. Pure, so it is unit-tested in Node.
 */

/**
 * A log axis range covering [min, max] snapped out to whole decades, so the gridlines fall on
 * powers of ten. A single point gets a decade either side; no positive data gets [0.1, 10].
 */
export function logRange(min: number | null | undefined, max: number | null | undefined): [number, number] {
  if (min == null || max == null || !(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max))
    return [0.1, 10];
  let lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi <= lo) {
    lo -= 1;
    hi += 1;
  }
  return [10 ** lo, 10 ** hi];
}

/** The 1-2-5 step nearest `span / count`. */
function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/** Ticks on multiples of a 1-2-5 step covering [min, max], at most about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const step = niceStep(max - min, count);
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(roundTo(v, step));
  return out;
}

/** A linear range padded out to nice ticks, never collapsing to a point. */
export function linRange(min: number | null | undefined, max: number | null | undefined, count = 5): [number, number] {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max === min) {
    const d = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    min -= d;
    max += d;
  }
  const step = niceStep(max - min, count);
  return [Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step];
}

function roundTo(v: number, step: number): number {
  const dec = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, dec)));
}

const SUP: Record<string, string> = {
  '-': '⁻',
  0: '⁰',
  1: '¹',
  2: '²',
  3: '³',
  4: '⁴',
  5: '⁵',
  6: '⁶',
  7: '⁷',
  8: '⁸',
  9: '⁹',
};

/**
 * Short tick label: plain digits between 0.001 and 9999, a power of ten as "10⁻⁵", other
 * values beyond that range as "2e-5". Null (a tick uPlot filtered out) is blank.
 */
export function formatTick(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(4)));
  const [m, e] = v.toExponential(1).split('e');
  const mant = Number(m);
  const exp = String(Number(e)).replace(/./g, (c) => SUP[c] ?? c);
  if (Math.abs(mant) === 1) return `${mant < 0 ? '−' : ''}10${exp}`;
  return `${String(mant)}e${Number(e)}`;
}

/** Tick label of a fraction axis shown in percent. */
export function formatPercent(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '';
  return `${Number((v * 100).toPrecision(3))}%`;
}

/** A compact, readable number for subtitles and legends (3 significant digits). */
export function formatValue(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(3)));
  return v.toExponential(1).replace('e+', 'e');
}
