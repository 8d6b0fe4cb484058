/**
 * @file Atlas results as RGBA pixels: the basin map (one pixel per network, top row = the
 * highest value of the second weight, as a plot's y axis) and the SOM's two grids. The page
 * puts them on a canvas, the CLI into a PNG file.
 */
import { epochColor, heightColor, type Rgb, successColor } from './colormap';
import type { SomResult } from './som';
import type { BasinMap } from './summary';

export interface Image {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

function image(width: number, height: number, color: (x: number, y: number) => Rgb): Image {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = color(x, y),
        o = (y * width + x) * 4;
      rgba[o] = c[0];
      rgba[o + 1] = c[1];
      rgba[o + 2] = c[2];
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** The basin map, `scale` pixels per network (nearest neighbour). */
export function basinImage(map: BasinMap, epochs: number, scale = 1): Image {
  const res = map.resolution;
  return image(res * scale, res * scale, (x, y) => {
    const i = Math.floor(x / scale),
      j = res - 1 - Math.floor(y / scale);
    return epochColor(map.epoch[j * res + i], epochs);
  });
}

/** The SOM grid coloured by success fraction, or its U-matrix (stretched from its minimum to its maximum). */
export function somImage(som: SomResult, kind: 'success' | 'umatrix', scale = 1): Image {
  let min = Infinity,
    max = -Infinity;
  for (const v of som.umatrix) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return image(som.cols * scale, som.rows * scale, (x, y) => {
    const k = Math.floor(y / scale) * som.cols + Math.floor(x / scale);
    return kind === 'success'
      ? successColor(som.success[k])
      : heightColor(max > min ? (som.umatrix[k] - min) / (max - min) : 0);
  });
}

/** Two images side by side with a gap (the SOM's success grid next to its U-matrix). */
export function sideBySide(a: Image, b: Image, gap = 8): Image {
  const width = a.width + gap + b.width,
    height = Math.max(a.height, b.height);
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  const blit = (src: Image, x0: number) => {
    for (let y = 0; y < src.height; y++)
      rgba.set(src.rgba.subarray(y * src.width * 4, (y + 1) * src.width * 4), (y * width + x0) * 4);
  };
  blit(a, 0);
  blit(b, a.width + gap);
  return { width, height, rgba };
}
