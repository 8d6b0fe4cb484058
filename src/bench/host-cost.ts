/**
 * @file The host-cost mode (`bench --host-cost`): the training ladder on Dawn's Null backend,
 * where kernels are validated and never run, so a step's time is what the CPU spends to issue it
 * (encoding, validation, submission, read-back bookkeeping). Ours with and without statistics
 * against TF.js webgpu, which also runs on a Null device. On a fast GPU this is the floor under a
 * step: our engine is meant to keep it at most 1/20 of TF.js's on the 8×512 network with
 * statistics every step (HOST_TARGET), so that its speed there is decided by its kernels.
 */
import { fmtMs, mark, times } from './format';
import { type BenchOptions, RUNGS } from './spec';
import { textTable } from './tables';
import type { BenchResults, TrainEngine } from './types';

/** Dawn's flags of a device whose kernels never run. */
export const NULL_BACKEND = ['backend=null'];

const HOST_ENGINES: readonly TrainEngine[] = ['ours-gpu-stats', 'ours-gpu', 'tfjs-webgpu'];

/** The network, engine and bound of the host-cost target. */
export const HOST_TARGET = { rung: 'mnist-8x512', engine: 'ours-gpu-stats', peer: 'tfjs-webgpu', atMost: 1 / 20 };

/** The run's options in host-cost mode: only the training ladder, only the engines on the adapter. */
export function hostCostOptions(base: BenchOptions): BenchOptions {
  const engines = HOST_ENGINES.filter((e) => base.engines.includes(e));
  return { ...base, parts: { ceiling: false, products: false, training: true }, engines };
}

/** One network's host ms per step, by engine. */
interface HostCostRow {
  rung: string;
  ms: Partial<Record<TrainEngine, number>>;
  /** Ours with statistics over TF.js webgpu. */
  ratio?: number;
}

interface HostCost {
  adapter: string | null;
  rows: HostCostRow[];
  /** Whether ours with statistics stayed within HOST_TARGET.atMost of TF.js on HOST_TARGET.rung; null if not measured. */
  met: boolean | null;
}

export function hostCost(r: BenchResults): HostCost {
  const rows = r.rungs.map((rung) => {
    const ms: HostCostRow['ms'] = {};
    for (const t of r.training) if (t.rung === rung.id && t.status === 'ok') ms[t.engine] = t.msPerStep;
    const ours = ms[HOST_TARGET.engine as TrainEngine],
      peer = ms[HOST_TARGET.peer as TrainEngine];
    return { rung: rung.id, ms, ...(ours !== undefined && peer ? { ratio: ours / peer } : {}) };
  });
  const target = rows.find((row) => row.rung === HOST_TARGET.rung)?.ratio;
  return { adapter: r.environment.adapter, rows, met: target === undefined ? null : target <= HOST_TARGET.atMost };
}

/** The table and verdict the CLI prints. */
export function hostCostReport(r: BenchResults): string {
  const cost = hostCost(r);
  const engines = HOST_ENGINES.filter((e) => r.training.some((t) => t.engine === e));
  const timing = (rung: string, e: TrainEngine) => r.training.find((t) => t.rung === rung && t.engine === e)?.timing;
  const rows = cost.rows.map((row) => [
    RUNGS.find((x) => x.id === row.rung)?.label ?? row.rung,
    ...engines.map((e) => {
      const ms = row.ms[e];
      return ms === undefined ? '-' : `${fmtMs(ms)}${mark(timing(row.rung, e))}`;
    }),
    row.ratio === undefined ? '-' : times(row.ratio),
  ]);
  const table = textTable({ head: ['host ms per step', ...engines, 'ours+stats / TF.js'], rows });
  const verdict =
    cost.met === null
      ? `target not measured (needs ${HOST_TARGET.rung} with ${HOST_TARGET.engine} and ${HOST_TARGET.peer})`
      : `target: ${HOST_TARGET.engine} at most 1/${1 / HOST_TARGET.atMost} of ${HOST_TARGET.peer} on ` +
        `${HOST_TARGET.rung}: ${cost.met ? 'met' : 'NOT met'}`;
  return `adapter: ${cost.adapter ?? 'none'} (Dawn's Null backend: host time only)\n${table}\n${verdict}\n`;
}
