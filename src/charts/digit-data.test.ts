import { describe, expect, it } from 'vitest';
import { digitLayout, digitPixels, digitScore } from './digit-data';

describe('digit grid', () => {
  it('draws ink dark on light', () => {
    const img = new Float32Array(2 * 784);
    img[784] = 1; // digit 1, first pixel full ink
    const px = digitPixels(img, 1);
    expect(Array.from(px.slice(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(px.slice(4, 8))).toEqual([255, 255, 255, 255]);
  });
  it('lays out at 2× when four fit across, else 1×', () => {
    expect(digitLayout(40, 1200, 60)).toMatchObject({ scale: 2, cell: 68, cols: 17, rows: 3, count: 40 });
    expect(digitLayout(40, 200, 60)).toMatchObject({ scale: 1, cols: 5, rows: 8 });
    expect(digitLayout(100, 400, 30).count).toBe(30);
  });
  it('counts right and wrong', () => {
    expect(digitScore([1, 2, 3], [1, 0, 3], 3)).toEqual({ right: 2, wrong: 1 });
  });
});
