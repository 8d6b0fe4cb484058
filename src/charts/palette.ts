/**
 * @file Colours for the charts, all chosen for a white background and colour-vision deficiency.
 *
 * Runs get the Okabe–Ito set (designed to stay distinct under protanopia and deuteranopia),
 * reordered so the highest-contrast colours come first, with its yellow swapped for a wine red
 * that stays visible on white and apart from the others under both deficiencies.
 *
 * Depth uses a viridis-like ramp built in OKLCH: lightness rises linearly with depth, so
 * "deeper" reads as "lighter" for everyone, in print and in greyscale, and hue turns purple →
 * blue → teal → green on the way. The ramp stops before viridis' pale yellow end so the
 * deepest layer keeps a 3:1 contrast against white (WCAG for graphics).
 */

/**
 * Up to 8 compared runs; `runColor` cycles beyond that. The first six keep WCAG's 3:1 contrast
 * for graphics against white; Okabe–Ito's orange and sky blue (about 2.3:1) come last because
 * darkening them would make them collide with vermillion and blue for deuteranopes.
 */
export const RUN_COLORS = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#882255', // wine (Paul Tol's; in place of Okabe–Ito's yellow, which vanishes on white)
  '#000000', // black
  '#E69F00', // orange
  '#56B4E9', // sky blue
] as const;

export function runColor(i: number): string {
  return RUN_COLORS[((i % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length];
}

/**
 * Dead (relu-like units stuck at 0), saturated (sigmoid/tanh/softsign units at their rails) and
 * identical (units that are copies of one another).
 */
export const HEALTH_COLORS = { dead: '#D55E00', saturated: '#0072B2', identical: '#882255' } as const;

/**
 * Classes of the 2-D datasets: the Okabe–Ito orange/blue pair for two, then the rest of the set
 * (its yellow, pale on white, last); `classColor` spreads hues for more classes than these.
 */
export const CLASS_COLORS = ['#E69F00', '#0072B2', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];

/** Colour of class k: CLASS_COLORS, then hues spaced by the golden angle (distinct, never repeating). */
export function classColor(k: number): string {
  if (k < CLASS_COLORS.length) return CLASS_COLORS[Math.max(0, k)];
  return rgbToHex(oklchToSrgb(0.6, 0.14, (k * 137.508) % 360));
}

/** Ink for text and axes, grid lines, and a neutral for "initial" or "not applicable" marks. */
export const INK = '#1f2328';
export const GRID = '#e3e5e8';
export const MUTED = '#6b7280';

/** Depth ramp end points in OKLCH: lightness, chroma, hue (degrees). */
const DEPTH_FROM = { l: 0.32, c: 0.13, h: 305 };
const DEPTH_TO = { l: 0.65, c: 0.15, h: 140 };

/**
 * Colour of depth t in [0, 1] (0 = first hidden layer, 1 = output layer). Hue interpolates the
 * short way from 305° down to 135° (purple, blue, teal, green), as viridis does.
 */
export function depthColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const l = DEPTH_FROM.l + (DEPTH_TO.l - DEPTH_FROM.l) * u;
  const c = DEPTH_FROM.c + (DEPTH_TO.c - DEPTH_FROM.c) * u;
  const h = DEPTH_FROM.h + (DEPTH_TO.h - DEPTH_FROM.h) * u;
  return rgbToHex(oklchToSrgb(l, c, h));
}

/** Colour of layer `l` (0-based) among `n` layers. */
export function layerColor(l: number, n: number): string {
  return depthColor(n > 1 ? l / (n - 1) : 0);
}

/** OKLCH to gamma-encoded sRGB in [0, 1], chroma reduced until in gamut (keeps lightness). */
function oklchToSrgb(l: number, c: number, hDeg: number): [number, number, number] {
  const h = (hDeg * Math.PI) / 180;
  for (let cc = c; ; cc *= 0.9) {
    const rgb = oklabToLinear(l, cc * Math.cos(h), cc * Math.sin(h));
    if (rgb.every((v) => v >= -1e-4 && v <= 1 + 1e-4) || cc < 1e-3) {
      return rgb.map((v) => encode(Math.min(1, Math.max(0, v)))) as [number, number, number];
    }
  }
}

function oklabToLinear(L: number, a: number, b: number): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

const encode = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
const decode = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

function rgbToHex([r, g, b]: readonly number[]): string {
  const h = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** '#rrggbb' to sRGB in [0, 1]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** '#rrggbb' plus alpha in [0, 1] as an rgba() string, for faint fills. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex).map((v) => Math.round(v * 255));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Relative luminance (WCAG) of an sRGB colour. */
function luminance(rgb: readonly number[]): number {
  const [r, g, b] = rgb.map(decode);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(hexToRgb(a)), luminance(hexToRgb(b))];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** CIE L*a*b* (D65) of an sRGB colour: L* is perceived lightness, distances are ΔE76. */
export function srgbToLab(rgb: readonly number[]): [number, number, number] {
  const [r, g, b] = rgb.map(decode);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

export function deltaE(a: string, b: string): number {
  const [p, q] = [srgbToLab(hexToRgb(a)), srgbToLab(hexToRgb(b))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/**
 * How a colour looks with deuteranopia or protanopia (Viénot, Brettel & Mollon 1999, linear
 * RGB), so tests can check that run colours stay apart for the commonest deficiencies.
 */
export function simulateCvd(hex: string, kind: 'deutan' | 'protan'): string {
  const [r, g, b] = hexToRgb(hex).map(decode);
  const m =
    kind === 'protan'
      ? [
          [0.11238, 0.88762, 0],
          [0.11238, 0.88762, 0],
          [0.00401, -0.00401, 1],
        ]
      : [
          [0.29275, 0.70725, 0],
          [0.29275, 0.70725, 0],
          [-0.02234, 0.02234, 1],
        ];
  return rgbToHex(m.map((row) => encode(Math.min(1, Math.max(0, row[0] * r + row[1] * g + row[2] * b)))));
}
