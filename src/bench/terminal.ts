/**
 * @file What `npm run bench` prints: the tables, the targets and the total time, and the one
 * line of key figures a History entry starts from.
 */

import { cpuTargets } from './cpu-targets';
import { fmtMs } from './format';
import { FORMS, TINY_RUNGS } from './spec';
import { productTable, statsTable, textTable, trainTable } from './tables';
import { evaluateTargets, fastestCheck, type TargetCheck } from './targets';
import type { BenchResults } from './types';

function targetText(t: TargetCheck): string {
  const lines = [...t.details, ...t.why.map((w) => `why: ${w}`)].map((d) => `       ${d}`);
  return [`  ${t.id}. [${t.status}] ${t.title}`, ...lines].join('\n');
}

/** The tables and targets printed by the CLI. */
export function terminalReport(r: BenchResults): string {
  const parts: string[] = [];
  const env = r.environment;
  const memory = env.machine.memoryGiB ? `, ${env.machine.memoryGiB.toFixed(0)} GiB` : '';
  parts.push(
    [
      `adapter: ${env.adapter ?? 'none'}`,
      `TF.js webgpu adapter: ${env.tfjsAdapter ?? 'none'}`,
      `machine: ${env.machine.cpu}, ${env.machine.cores} cores${memory}; ${env.runtime}`,
    ].join('\n'),
  );
  const c = r.ceiling;
  if (c) {
    const variants = c.variants.map((v) => `${v.width === 4 ? 'vec4' : 'f32'}×${v.chains} ${v.gflops.toFixed(1)}`);
    const dispatch = c.dispatchUs?.toFixed(1) ?? '?';
    parts.push(`ceiling: ${c.gflops.toFixed(1)} GFLOP/s (${variants.join(', ')}); empty dispatch ${dispatch} µs`);
  }
  for (const form of FORMS) {
    if (!r.products.some((p) => p.form === form)) continue;
    parts.push(`${form} product: ms per product (GFLOP/s)\n${textTable(productTable(r, form))}`);
  }
  if (r.training.length) {
    parts.push(`training: ms per step (samples/s)\n${textTable(trainTable(r))}`);
    const statsCost = statsTable(r);
    if (statsCost.rows.length) parts.push(`statistics overhead (ours GPU)\n${textTable(statsCost)}`);
  }
  const fastest = fastestCheck(r);
  parts.push(`fastest in the table: [${fastest.status}]\n${fastest.details.map((d) => `  ${d}`).join('\n')}`);
  parts.push(`targets:\n${[...evaluateTargets(r), ...cpuTargets(r)].map(targetText).join('\n')}`);
  parts.push(`total ${(r.durationS / 60).toFixed(1)} min`);
  return `${parts.join('\n\n')}\n`;
}

/** One line summarizing the key figures, for a History entry. */
export function keyFigures(r: BenchResults): string {
  const p = (e: string, f: string, n: number) => r.products.find((x) => x.engine === e && x.form === f && x.size === n);
  const t = (e: string, id: string) => r.training.find((x) => x.engine === e && x.rung === id);
  const bits: string[] = [];
  if (r.ceiling) bits.push(`ceiling ${r.ceiling.gflops.toFixed(1)} GFLOP/s`);
  if (r.cpuCeiling)
    bits.push(`CPU ceiling ${r.cpuCeiling.gflops.toFixed(1)} GFLOP/s (${r.cpuCeiling.threads} threads)`);
  const f = p('ours-gpu', 'forward', 1024);
  if (f?.status === 'ok') {
    const all = FORMS.map((fm) => p('ours-gpu', fm, 1024))
      .filter((x) => x?.status === 'ok')
      .map((x) => `${x!.form} ${fmtMs(x!.timing!.median)}`);
    const again = FORMS.map((fm) => p('ours-gpu', fm, 1024)?.again)
      .filter((x) => x)
      .map((x) => fmtMs(x!.median));
    bits.push(`1024³ ours ${all.join(' / ')} ms${again.length ? ` (again at the end: ${again.join(' / ')} ms)` : ''}`);
    const tw = FORMS.map((fm) => p('tfjs-webgpu', fm, 1024))
      .filter((x) => x?.status === 'ok')
      .map((x) => fmtMs(x!.timing!.median));
    if (tw.length) bits.push(`TF.js webgpu ${tw.join(' / ')} ms`);
  }
  const on = t('ours-gpu-stats', 'mnist-8x512'),
    off = t('ours-gpu', 'mnist-8x512'),
    tw = t('tfjs-webgpu', 'mnist-8x512');
  if (on?.status === 'ok') {
    const without = off?.status === 'ok' ? `, ${fmtMs(off.msPerStep!)} without` : '';
    const tf = tw?.status === 'ok' ? ` (TF.js webgpu ${fmtMs(tw.msPerStep!)})` : '';
    bits.push(`8×512 step ${fmtMs(on.msPerStep!)} ms with stats${without}${tf}`);
  }
  for (const id of TINY_RUNGS) {
    const g = t('ours-gpu', id),
      c = t('ours-cpu', id);
    if (g?.status === 'ok' && c?.status === 'ok')
      bits.push(`${id} GPU ${g.stepsPerSec!.toFixed(0)} vs CPU ${c.stepsPerSec!.toFixed(0)} steps/s`);
  }
  return bits.join('; ');
}
