/**
 * @file Layout and pixels of <digit-grid>: MNIST digits drawn dark on light (ink = 1), each in
 * a cell with a frame saying whether the model got it right.
 */
export const DIGIT = 28;

/** Greyscale RGBA of digit i from an n × 784 array of intensities in [0, 1], ink dark. */
export function digitPixels(images: Float32Array, i: number): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(DIGIT * DIGIT * 4);
  const o = i * DIGIT * DIGIT;
  for (let k = 0; k < DIGIT * DIGIT; k++) {
    const v = images[o + k];
    const g = Math.round(255 * (1 - Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0))));
    px[4 * k] = g;
    px[4 * k + 1] = g;
    px[4 * k + 2] = g;
    px[4 * k + 3] = 255;
  }
  return px;
}

interface DigitLayout {
  cols: number;
  rows: number;
  cell: number;
  scale: number;
  count: number;
}

/**
 * Fits `n` digits (at most `max`) into `width` pixels: each digit at 2× where it fits four
 * across, else 1×, plus a 4-pixel frame and a gap.
 */
export function digitLayout(n: number, width: number, max: number): DigitLayout {
  const count = Math.max(0, Math.min(n, max));
  const scale = width >= 4 * (2 * DIGIT + 12) ? 2 : 1;
  const cell = scale * DIGIT + 12;
  const cols = Math.max(1, Math.floor(width / cell));
  return { cols, rows: Math.ceil(count / cols), cell, scale, count };
}

/** Right and wrong among the first `count` digits. */
export function digitScore(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  count: number,
): { right: number; wrong: number } {
  let right = 0,
    wrong = 0;
  for (let i = 0; i < count && i < labels.length && i < predicted.length; i++) {
    if (labels[i] === predicted[i]) right++;
    else wrong++;
  }
  return { right, wrong };
}
