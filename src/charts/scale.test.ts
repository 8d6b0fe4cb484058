import { describe, expect, it } from 'vitest';
import { formatPercent, formatTick, formatValue, linRange, logRange, niceTicks } from './scale';

describe('logRange', () => {
  it('snaps to whole decades', () => {
    expect(logRange(0.003, 0.9)).toEqual([0.001, 1]);
    expect(logRange(2, 3000)).toEqual([1, 10000]);
  });
  it('gives a single value a decade either side, and survives no data', () => {
    expect(logRange(1, 1)).toEqual([0.1, 10]);
    expect(logRange(null, null)).toEqual([0.1, 10]);
    expect(logRange(0, 5)).toEqual([0.1, 10]);
  });
});

describe('niceTicks and linRange', () => {
  it('ticks on 1-2-5 steps', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.5, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(-4.3, 4.3, 5)).toEqual([-4, -2, 0, 2, 4]);
  });
  it('pads ranges out to ticks and never collapses', () => {
    expect(linRange(0.13, 0.87)).toEqual([0.1, 0.9]);
    expect(linRange(0.13, 0.87, 2)).toEqual([0, 1]);
    const [lo, hi] = linRange(3, 3);
    expect(lo).toBeLessThan(3);
    expect(hi).toBeGreaterThan(3);
  });
});

describe('labels', () => {
  it('writes powers of ten with superscripts and keeps mid-range numbers plain', () => {
    expect(formatTick(1e-5)).toBe('10⁻⁵');
    expect(formatTick(1e6)).toBe('10⁶');
    expect(formatTick(2e-5)).toBe('2e-5');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(1200)).toBe('1200');
    expect(formatTick(null)).toBe('');
  });
  it('formats percent and values', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.123)).toBe('12.3%');
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(3.2e-7)).toBe('3.2e-7');
    expect(formatValue(NaN)).toBe('–');
  });
});
