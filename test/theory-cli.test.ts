/**
 * @file The `theory` command as a user runs it: ReLU's closed forms and tanh's critical line in
 * its JSON, the per-layer prediction of a run config laid over that run's own step-0 record
 * (`train --epochs 0`), and bad flags as exit 2 with one `error:` line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInputError, runCli } from './cli-process';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'theory-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function theory(...args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(['theory', ...args]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

describe('mlp-playground theory', () => {
  it("prints ReLU's closed forms: q* = σ_b²/(1 − σ_w²/2), χ₁ = σ_w²/2, critical σ_w² = 2, q halving to q*", async () => {
    const out = await theory('--activation', 'relu', '--weight-variance', '1', '--bias-variance', '0.1', '--depth=3');
    expect(Object.keys(out)).toEqual([
      'activation',
      'weight_variance',
      'bias_variance',
      'q_star',
      'c_star',
      'chi_1',
      'chi_c',
      'xi_q',
      'xi_c',
      'phase',
      'trainable_depth',
      'critical_weight_variance',
      'q',
    ]);
    expect(out.q_star).toBeCloseTo(0.2, 12);
    expect(out.chi_1).toBeCloseTo(0.5, 12);
    expect(out.c_star).toBe(1);
    expect(out.phase).toBe('ordered');
    expect(out.xi_c).toBeCloseTo(1 / Math.LN2, 10);
    expect(out.trainable_depth).toBeCloseTo(6 / Math.LN2, 9);
    expect(out.critical_weight_variance).toBeCloseTo(2, 10);
    (out.q as number[]).forEach((q, l) => {
      expect(q).toBeCloseTo(0.2 + 0.8 / 2 ** l, 12);
    });
  });

  it('says where tanh is critical and what a chaotic point looks like', async () => {
    const critical = await theory('--activation', 'tanh', '--weight-variance', '1', '--depth', '0');
    expect(critical.phase).toBe('critical');
    expect(critical.xi_c).toBeNull(); // infinite
    expect(critical.q).toEqual([1]);
    const chaotic = await theory(
      '--activation',
      'tanh',
      '--weight-variance',
      '4',
      '--bias-variance',
      '.1',
      '--q0',
      '2',
    );
    expect(chaotic.phase).toBe('chaotic');
    expect(chaotic.c_star).toBeCloseTo(0.2855242154655879, 8);
    expect(chaotic.critical_weight_variance as number).toBeLessThan(4);
    expect((chaotic.q as number[]).length).toBe(51);
    expect((chaotic.q as number[]).at(-1)).toBeCloseTo(chaotic.q_star as number, 10);
  });

  it('with --config predicts the std of every layer of the run as its step-0 record measures it', async () => {
    const cfg = {
      seed: 4,
      dataset: { name: 'random', dim: 256, samples: 64 },
      batch_size: 64,
      epochs: 0,
      layers: [
        ...Array.from({ length: 4 }, () => ({ units: 512, activation: 'tanh', kernel_initializer: 'he_normal' })),
        { units: 1, activation: 'sigmoid' },
      ],
    };
    const path = join(dir, 'run.json');
    await writeFile(path, JSON.stringify(cfg));
    const predicted = await theory('--config', path);
    const r = await runCli(['train', '--config', path, '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout.split('\n')[0]) as { layers: Record<string, number>[] };
    const layers = predicted.layers as Record<string, unknown>[];
    expect(predicted.rows).toBe(64);
    expect(layers).toHaveLength(5);
    for (let l = 0; l < 4; l++) {
      expect(layers[l]).toMatchObject({ layer: l, units: 512, activation: 'tanh', phase: 'chaotic' });
      expect(layers[l].weight_variance).toBeCloseTo(2, 12);
      for (const key of ['preact_std', 'act_std']) {
        // 512 units: a sample whose std spreads by √(1/2N) ≈ 3%; three of those.
        expect(Math.abs((layers[l][key] as number) / record.layers[l][key] - 1)).toBeLessThan(0.1);
      }
    }
    expect(layers[4]).not.toHaveProperty('phase'); // the output layer is no hidden layer
  });

  it('refuses bad flags with one error line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--activation', 'softmax', '--weight-variance', '1'], /--activation must be one of linear, .*swish.*"softmax"/],
      [['--activation', 'tanhh', '--weight-variance', '1'], /--activation must be one of .*"tanhh"/],
      [['--activation', 'tanh'], /--weight-variance is required/],
      [['--weight-variance', '1'], /--activation is required/],
      [['--activation', 'tanh', '--weight-variance', '-1'], /--weight-variance must be a number >= 0, got "-1"/],
      [['--activation', 'tanh', '--weight-variance', 'x'], /--weight-variance must be a number/],
      [['--activation', 'tanh', '--weight-variance', '1', '--depth', '2.5'], /--depth must be/],
      [['--activation', 'tanh', '--weight-variance', '1', '--alpha', '0.1'], /--alpha is only for leaky_relu and elu/],
      [['--activation', 'tanh', '--weight-variance', '1', '--width', '3'], /unknown flag "--width"; theory flags:/],
      [['--config', 'run.json', '--activation', 'tanh'], /--activation cannot be combined with --config/],
      [['--config', join('no', 'such.json')], /--config: cannot read .*no such file/],
    ];
    for (const [args, message] of cases) expectInputError(await runCli(['theory', ...args]), message);
  });
});
