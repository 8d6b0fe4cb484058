/**
 * @file Every lesson parses, and the two small ones do what their text promises on the CPU
 * engine: XOR reaches accuracy 1.0 within its epochs with the default seed, and zero
 * initialization keeps the hidden units identical.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../core/datasets';
import { CpuEngine } from '../train/cpu-engine';
import type { StepRecord } from '../train/engine';
import { findLesson, isLessonConfig, LESSONS, lessonState } from './presets';

async function train(id: string) {
  const { config } = lessonState(findLesson(id)!);
  const { train: data } = await loadDataset(config.dataset, config.seed);
  const engine = new CpuEngine(config, data);
  await engine.init();
  const records: StepRecord[] = [];
  await engine.run(engine.totalSteps, (r) => records.push(r));
  return { config, engine, records };
}

describe('lessons', () => {
  it.each(LESSONS.map((l) => [l.id, l] as const))('%s parses, with its compare set', (_, l) => {
    const { config, compare } = lessonState(l);
    expect(config.layers.length).toBeGreaterThan(1);
    expect(compare.length).toBeGreaterThan(0);
    expect(l.text.length).toBeGreaterThan(100);
  });

  it('XOR (2-2-1, sigmoid, mse, sgd) reaches accuracy 1.0 within its epochs with seed 1', async () => {
    const { config, records } = await train('xor');
    expect(config).toMatchObject({ seed: 1, loss: 'mse', optimizer: { name: 'sgd' } });
    expect(config.layers.map((l) => [l.units, l.activation.name])).toEqual([
      [2, 'sigmoid'],
      [1, 'sigmoid'],
    ]);
    expect(config.epochs).toBeLessThanOrEqual(2000);
    const first = records.find((r) => r.accuracy === 1);
    expect(first, 'accuracy 1.0 reached').toBeDefined();
    expect(first!.epoch).toBeLessThan(1000);
    expect(records[records.length - 1].accuracy).toBe(1);
  });

  it('zero initialization keeps every hidden unit identical and cannot solve XOR', async () => {
    const { engine, records } = await train('zeros');
    const [hidden, out] = await engine.weights();
    const units = 4;
    for (let u = 1; u < units; u++) {
      for (let i = 0; i < 2; i++) expect(hidden.kernel[i * units + u]).toBe(hidden.kernel[i * units]);
      expect(hidden.bias[u]).toBe(hidden.bias[0]);
      expect(out.kernel[u]).toBe(out.kernel[0]);
    }
    expect(records[records.length - 1].accuracy).toBeLessThan(1);
  });

  it('tells a lesson config from one edited away from it (a new seed is still the lesson)', () => {
    for (const l of LESSONS) {
      const { config } = lessonState(l);
      expect(isLessonConfig(l.id, config), l.id).toBe(true);
      expect(isLessonConfig(l.id, { ...config, seed: config.seed + 1 }), l.id).toBe(true);
      expect(isLessonConfig(l.id, { ...config, batch_size: config.batch_size + 1 }), l.id).toBe(false);
    }
    expect(isLessonConfig('no-such-lesson', lessonState(LESSONS[0]).config)).toBe(false);
  });
});
