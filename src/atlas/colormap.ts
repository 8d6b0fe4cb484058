/**
 * @file The atlas' colours, shared by the page's canvases and the CLI's PNG files so that a map
 * looks the same wherever it is drawn. Epochs to converge use viridis (perceptually uniform,
 * readable with colour-vision deficiency and in greyscale), reversed so that fast convergence is
 * bright; networks that never converge get a neutral grey no viridis colour comes near. SOM
 * success fractions use viridis too (1 = bright); the U-matrix is grey, darker = farther apart.
 */

export type Rgb = readonly [number, number, number];

/** Viridis at 0, 0.1, ..., 1 (matplotlib's table, sampled). */
const VIRIDIS: Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x48, 0x24, 0x75],
  [0x41, 0x44, 0x87],
  [0x35, 0x5f, 0x8d],
  [0x2a, 0x78, 0x8e],
  [0x21, 0x91, 0x8c],
  [0x22, 0xa8, 0x84],
  [0x44, 0xbf, 0x70],
  [0x7a, 0xd1, 0x51],
  [0xbd, 0xdf, 0x26],
  [0xfd, 0xe7, 0x25],
];

/** Networks that never met the criterion. */
export const FAIL_RGB: Rgb = [0xc8, 0xc8, 0xc8];
/** SOM cells that hold no network. */
export const EMPTY_RGB: Rgb = [0xff, 0xff, 0xff];

/** Viridis at t in [0, 1] (clamped), linearly interpolated between the stops. */
export function viridis(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)),
    f = x - i;
  const a = VIRIDIS[i],
    b = VIRIDIS[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** Colour of a network that converged at `epoch` of `epochs` (NEVER, i.e. negative: failed). */
export function epochColor(epoch: number, epochs: number): Rgb {
  return epoch < 0 ? FAIL_RGB : viridis(1 - epoch / Math.max(1, epochs));
}

/** SOM cell coloured by its success fraction (NaN: empty cell). */
export function successColor(fraction: number): Rgb {
  return Number.isNaN(fraction) ? EMPTY_RGB : viridis(fraction);
}

/** U-matrix height t in [0, 1]: white (close prototypes) to near-black (a fold of the map). */
export function heightColor(t: number): Rgb {
  const v = Math.round(250 - 220 * Math.min(1, Math.max(0, t)));
  return [v, v, v];
}

export function css(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
