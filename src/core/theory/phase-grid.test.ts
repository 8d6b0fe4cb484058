/**
 * @file The phase diagram's plane: χ₁ cell by cell and the critical line, against ReLU's closed
 * forms (χ₁ = σ_w²/2 whatever σ_b², so the critical line stands at σ_w² = 2) and tanh's critical
 * σ_w² of 1 without biases, rising with σ_b².
 */
import { describe, expect, it } from 'vitest';
import { theoryActivation } from './activation';
import { cellCentre, chiRow, criticalLine, type PhasePlane } from './phase-grid';

const PLANE: PhasePlane = { weight: [0, 4], bias: [0, 0.5], columns: 8, rows: 5 };

describe('the phase plane', () => {
  it('paints ReLU with χ₁ = σ_w²/2 at every cell centre, and its critical line at σ_w² = 2', () => {
    const relu = theoryActivation({ name: 'relu', alpha: 0 });
    for (let row = 0; row < PLANE.rows; row++) {
      const chi = chiRow(relu, PLANE, row, 32);
      chi.forEach((v, c) => {
        expect(v).toBeCloseTo(cellCentre(PLANE.weight, PLANE.columns, c) / 2, 9);
      });
    }
    for (const p of criticalLine(relu, PLANE, 5, 32)) expect(p.weightVariance).toBeCloseTo(2, 6);
  });

  it('puts tanh’s critical line at σ_w² = 1 without biases, further right with them', () => {
    const tanh = theoryActivation({ name: 'tanh', alpha: 0 });
    const line = criticalLine(tanh, PLANE, 6, 32);
    expect(line[0].biasVariance).toBe(0);
    expect(line[0].weightVariance).toBeCloseTo(1, 4);
    for (let i = 1; i < line.length; i++) expect(line[i].weightVariance!).toBeGreaterThan(line[i - 1].weightVariance!);
    expect(line[line.length - 1].biasVariance).toBeCloseTo(0.5, 12);
  });
});
