/**
 * @file The recorded statistics as one CSV table for spreadsheets and pandas: a row per run and
 * recorded step, the loss columns, then `layer<l>_<series>` for every layer and charted series.
 * It holds what the history holds (older records are thinned as a long run grows, see
 * TrainingHistory), so a CSV of a long run is evenly sampled rather than complete.
 */
import { LAYER_SERIES, type TrainingHistory } from '../train/history';

interface CsvRun {
  label: string;
  history: TrainingHistory;
}

const num = (v: number) => (Number.isNaN(v) ? '' : String(v));
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function statsToCsv(runs: readonly CsvRun[]): string {
  const layers = Math.max(0, ...runs.map((r) => r.history.layers.length));
  const head = ['run', 'step', 'loss', 'accuracy', 'test_loss', 'test_accuracy'];
  for (let l = 0; l < layers; l++) for (const s of LAYER_SERIES) head.push(`layer${l}_${s}`);
  const rows = [head.join(',')];
  for (const { label, history: h } of runs) {
    for (let i = 0; i < h.step.length; i++) {
      const row = [
        quote(label),
        String(h.step[i]),
        num(h.loss[i]),
        num(h.accuracy[i]),
        num(h.testLoss[i]),
        num(h.testAccuracy[i]),
      ];
      for (let l = 0; l < layers; l++) for (const s of LAYER_SERIES) row.push(num(h.layers[l]?.[s][i] ?? NaN));
      rows.push(row.join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
