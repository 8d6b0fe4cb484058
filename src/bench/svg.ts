/**
 * @file A small SVG line-chart writer for the report: log or linear axes, one polyline per
 * series with point markers, a legend, optional reference lines. Pure string output, no DOM,
 * so the CLI can write charts that GitHub renders inline in REPORT.md. Non-finite points (and
 * non-positive ones on a log axis) leave a gap in their line.
 */

export interface ChartSeries {
  label: string;
  /** [x, y] pairs; drawn in x order. */
  points: Array<[number, number]>;
  color: string;
  dash?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  series: ChartSeries[];
  width?: number;
  height?: number;
  /** Explicit x ticks (e.g. the measured sizes); otherwise computed like the y ticks. */
  xTicks?: number[];
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** Horizontal reference lines (e.g. ratio 1, the ceiling). */
  hlines?: Array<{ y: number; label: string }>;
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Maps a value into [r0, r1] over the domain [d0, d1], logarithmically when `log`. */
export function scaleValue(v: number, d0: number, d1: number, r0: number, r1: number, log: boolean): number {
  const f = log ? (x: number) => Math.log10(x) : (x: number) => x;
  const a = f(d0),
    b = f(d1);
  return b === a ? (r0 + r1) / 2 : r0 + ((f(v) - a) / (b - a)) * (r1 - r0);
}

/** Domain covering [min, max]: whole decades on a log axis, 5% padding on a linear one. */
function niceDomain(min: number, max: number, log: boolean): [number, number] {
  if (!(min <= max)) return log ? [1, 10] : [0, 1];
  if (log) {
    const lo = 10 ** Math.floor(Math.log10(min)),
      hi = 10 ** Math.ceil(Math.log10(max));
    return [lo, hi === lo ? lo * 10 : hi];
  }
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** Tick values of a log axis: the powers of ten, plus 2× and 5× when the range spans fewer than three decades. */
export function logTicks(d0: number, d1: number): number[] {
  const lo = Math.floor(Math.log10(d0) + 1e-9),
    hi = Math.ceil(Math.log10(d1) - 1e-9);
  const mults = hi - lo < 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = lo; e <= hi; e++)
    for (const m of mults) {
      const v = m * 10 ** e;
      if (v >= d0 * (1 - 1e-9) && v <= d1 * (1 + 1e-9)) out.push(v);
    }
  return out;
}

function linearTicks(d0: number, d1: number, count = 5): number[] {
  const raw = (d1 - d0) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 1.5k, 20, 0.3, 1e-4: short labels for ticks. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (Number.isInteger(v) && a < 1e5) return String(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1e-3) return String(+v.toPrecision(3));
  return v.toExponential(0);
}

const f1 = (v: number) => v.toFixed(1);

export function lineChartSvg(spec: ChartSpec): string {
  const W = spec.width ?? 640,
    H = spec.height ?? 360;
  // Legend column as wide as its longest label (about 6.3 px per character at 11 px).
  const legendW = Math.max(90, 30 + 6.3 * Math.max(0, ...spec.series.map((s) => s.label.length)));
  const m = { l: 64, r: legendW + 16, t: 34, b: 46 };
  const pw = W - m.l - m.r,
    ph = H - m.t - m.b;
  const xLog = !!spec.xLog,
    yLog = !!spec.yLog;
  const ok = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && (!xLog || x > 0) && (!yLog || y > 0);
  const pts = spec.series.flatMap((s) => s.points.filter(([x, y]) => ok(x, y)));
  const xs = [...pts.map((p) => p[0]), ...(spec.xTicks ?? [])];
  const ys = [...pts.map((p) => p[1]), ...(spec.hlines ?? []).map((h) => h.y).filter((y) => !yLog || y > 0)];
  const [x0, x1] =
    spec.xTicks?.length && xLog
      ? [Math.min(...xs) / 1.2, Math.max(...xs) * 1.2]
      : niceDomain(Math.min(...xs), Math.max(...xs), xLog);
  const [y0, y1] = niceDomain(Math.min(...ys), Math.max(...ys), yLog);
  const X = (v: number) => scaleValue(v, x0, x1, m.l, m.l + pw, xLog);
  const Y = (v: number) => scaleValue(v, y0, y1, m.t + ph, m.t, yLog);
  const xf = spec.xFormat ?? shortNumber,
    yf = spec.yFormat ?? shortNumber;
  const xt = spec.xTicks ?? (xLog ? logTicks(x0, x1) : linearTicks(x0, x1));
  const yt = yLog ? logTicks(y0, y1) : linearTicks(y0, y1);
  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"` +
      ' font-family="system-ui, sans-serif" font-size="11">',
  );
  o.push(`<title>${escapeXml(spec.title)}</title>`);
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(`<text x="${m.l}" y="20" font-size="13" font-weight="600">${escapeXml(spec.title)}</text>`);
  o.push(`<g stroke="#e3e6ea">`);
  for (const v of yt) o.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f1(Y(v))}" y2="${f1(Y(v))}"/>`);
  for (const v of xt) o.push(`<line x1="${f1(X(v))}" x2="${f1(X(v))}" y1="${m.t}" y2="${m.t + ph}"/>`);
  o.push('</g>');
  o.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#8c959f"/>`);
  o.push(`<g fill="#333" class="y-ticks" text-anchor="end">`);
  for (const v of yt) o.push(`<text x="${m.l - 5}" y="${f1(Y(v) + 4)}" data-v="${v}">${escapeXml(yf(v))}</text>`);
  o.push('</g>');
  o.push(`<g fill="#333" class="x-ticks" text-anchor="middle">`);
  for (const v of xt) o.push(`<text x="${f1(X(v))}" y="${m.t + ph + 15}" data-v="${v}">${escapeXml(xf(v))}</text>`);
  o.push('</g>');
  o.push(
    `<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle" font-weight="600">` +
      `${escapeXml(spec.xLabel)}${xLog ? ' (log)' : ''}</text>`,
  );
  o.push(
    `<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" font-weight="600">` +
      `${escapeXml(spec.yLabel)}${yLog ? ' (log)' : ''}</text>`,
  );
  for (const h of spec.hlines ?? []) {
    if (yLog && h.y <= 0) continue;
    const y = f1(Y(h.y));
    o.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="2 3"/>`);
    o.push(`<text x="${m.l + pw - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#555">${escapeXml(h.label)}</text>`);
  }
  spec.series.forEach((s) => {
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    let d = '',
      pen = false;
    for (const [x, y] of sorted) {
      if (!ok(x, y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f1(X(x))} ${f1(Y(y))}`;
      pen = true;
    }
    const dash = s.dash ? ' stroke-dasharray="6 4"' : '';
    if (d) o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of sorted)
      if (ok(x, y)) o.push(`<circle cx="${f1(X(x))}" cy="${f1(Y(y))}" r="2.5" fill="${s.color}"/>`);
  });
  const lx = Math.round(W - legendW - 4);
  o.push(`<g class="legend">`);
  spec.series.forEach((s, i) => {
    const y = m.t + 8 + i * 16;
    o.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"` +
        `${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    o.push(`<text x="${lx + 24}" y="${y + 4}">${escapeXml(s.label)}</text>`);
  });
  o.push('</g>');
  o.push('</svg>');
  return `${o.join('\n')}\n`;
}
