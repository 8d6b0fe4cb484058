/** @file The statistics CSV: header, one row per run and record, empty cells for missing test metrics. */
import { expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { loadDataset } from '../core/datasets';
import { CpuEngine } from '../train/cpu-engine';
import { LAYER_SERIES, TrainingHistory } from '../train/history';
import { statsToCsv } from './stats-csv';

it('writes a row per run and recorded step with every layer series', async () => {
  const cfg = parseConfig({
    dataset: 'xor',
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    batch_size: 4,
    epochs: 4,
    log_every: 2,
  });
  const e = new CpuEngine(cfg, (await loadDataset(cfg.dataset, 1)).train);
  const h = new TrainingHistory();
  h.push(await e.init());
  await e.run(4, (r) => h.push(r, r.step === 4 ? { loss: 0.5, accuracy: 0.75 } : undefined));
  const lines = statsToCsv([
    { label: 'he, "n"', history: h },
    { label: 'b', history: h },
  ])
    .trim()
    .split('\n');
  expect(lines).toHaveLength(1 + 2 * 3);
  const head = lines[0].split(',');
  expect(head.slice(0, 6)).toEqual(['run', 'step', 'loss', 'accuracy', 'test_loss', 'test_accuracy']);
  expect(head).toContain('layer1_update_ratio');
  expect(head).toContain('layer1_max_unit_diff');
  expect(head).toHaveLength(6 + 2 * LAYER_SERIES.length);
  expect(lines[1].startsWith('"he, ""n""",0,')).toBe(true);
  expect(lines[5].split(',').slice(0, 6)).toEqual(['b', '2', expect.any(String), expect.any(String), '', '']);
  expect(lines[6].split(',').slice(4, 6)).toEqual(['0.5', '0.75']);
});
