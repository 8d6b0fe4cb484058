import { describe, expect, it } from 'vitest';
import {
  contrast,
  deltaE,
  depthColor,
  hexToRgb,
  layerColor,
  RUN_COLORS,
  runColor,
  simulateCvd,
  srgbToLab,
  withAlpha,
} from './palette';

const pairs = <T>(xs: readonly T[]) => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => [a, b] as const));

describe('run colours', () => {
  it('are 8 distinct colours, also for deuteranopes and protanopes', () => {
    expect(new Set(RUN_COLORS).size).toBe(8);
    for (const [a, b] of pairs(RUN_COLORS)) {
      expect(deltaE(a, b), `${a} ${b}`).toBeGreaterThan(20);
      for (const kind of ['deutan', 'protan'] as const) {
        expect(deltaE(simulateCvd(a, kind), simulateCvd(b, kind)), `${a} ${b} ${kind}`).toBeGreaterThan(15);
      }
    }
  });

  it('keep 3:1 contrast on white for the first six, and cycle', () => {
    for (const c of RUN_COLORS.slice(0, 6)) expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    for (const c of RUN_COLORS) expect(contrast(c, '#ffffff'), c).toBeGreaterThan(2.2);
    expect(runColor(0)).toBe(RUN_COLORS[0]);
    expect(runColor(9)).toBe(RUN_COLORS[1]);
    expect(runColor(-1)).toBe(RUN_COLORS[7]);
  });
});

describe('depth palette', () => {
  const ramp = Array.from({ length: 33 }, (_, i) => depthColor(i / 32));
  const lightness = ramp.map((c) => srgbToLab(hexToRgb(c))[0]);

  it('rises monotonically in lightness from dark to mid', () => {
    for (let i = 1; i < lightness.length; i++) expect(lightness[i]).toBeGreaterThan(lightness[i - 1]);
    expect(lightness[0]).toBeLessThan(30);
    expect(lightness[32]).toBeGreaterThan(55);
  });

  it('keeps every layer visible on white and neighbours of 12 layers apart', () => {
    for (const c of ramp) expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    const twelve = Array.from({ length: 12 }, (_, l) => layerColor(l, 12));
    for (let l = 1; l < 12; l++) expect(deltaE(twelve[l], twelve[l - 1])).toBeGreaterThan(3);
    expect(layerColor(0, 1)).toBe(depthColor(0));
    expect(depthColor(2)).toBe(depthColor(1));
    expect(depthColor(NaN)).toBe(depthColor(0));
  });

  it('is valid hex', () => {
    for (const c of ramp) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(withAlpha('#0072B2', 0.5)).toBe('rgba(0, 114, 178, 0.5)');
  });
});
