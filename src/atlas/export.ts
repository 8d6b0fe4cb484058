/**
 * @file Atlas results as documents: the JSON the CLI writes with --out and the page exports
 * (config, summary, and the mode's data), and CSV for the basin map and the initializer table.
 * Browser-safe: callers write the text. Non-finite losses become null (JSON has no NaN).
 */
import { initializerToKeras } from '../core/initializers';
import { networkParams } from './network';
import type { AtlasResult } from './run';
import type { BasinMap, TableRow } from './summary';
import type { AtlasConfig } from './types';

const ATLAS_FORMAT = 'mlp-playground-atlas';

/** Initial weights a population export lists at most (beyond, a JSON file of hundreds of MB). */
const MAX_EXPORTED_WEIGHTS = 1 << 21;

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** The config in canonical JSON (initializers in Keras' form). */
function atlasConfigJson(cfg: AtlasConfig): Record<string, unknown> {
  const init = (i: AtlasConfig['layers'][number]['kernel_initializer'] | null) =>
    i ? initializerToKeras(i) : undefined;
  const m = cfg.mode;
  const mode: Record<string, unknown> =
    m.mode === 'basin'
      ? {
          mode: 'basin',
          axes: m.axes,
          resolution: m.resolution,
          others:
            m.others.kind === 'fixed'
              ? { fixed: m.others.values }
              : { kernel: init(m.others.init.kernel), bias: init(m.others.init.bias), scale: m.others.init.scale },
        }
      : m.mode === 'initializers'
        ? {
            mode: 'initializers',
            initializers: m.initializers.map(initializerToKeras),
            scales: m.scales,
            seeds: m.seeds,
          }
        : {
            mode: 'population',
            size: m.size,
            init: { kernel: init(m.init.kernel), bias: init(m.init.bias), scale: m.init.scale },
          };
  return {
    seed: cfg.seed,
    dataset: cfg.dataset,
    layers: cfg.layers.map((l) => ({
      units: l.units,
      activation: l.activation,
      kernel_initializer: initializerToKeras(l.kernel_initializer),
      bias_initializer: initializerToKeras(l.bias_initializer),
    })),
    loss: cfg.loss,
    optimizer: cfg.optimizer,
    epochs: cfg.epochs,
    criterion: cfg.criterion.kind === 'all_correct' ? 'all_correct' : { loss_below: cfg.criterion.value },
    ...mode,
    som: cfg.som,
  };
}

/** The whole result; per-network arrays for basin and population modes, rows for the table. */
export function atlasResultJson(r: AtlasResult): Record<string, unknown> {
  const p = r.population;
  const doc: Record<string, unknown> = {
    format: ATLAS_FORMAT,
    version: 1,
    config: atlasConfigJson(r.config),
    backend: p.backend,
    adapter: p.adapter,
    train_ms: Math.round(p.trainMs),
    networks: p.networks,
    params: p.params,
    summary: r.summary,
  };
  if (r.basin) {
    doc.basin = {
      resolution: r.basin.resolution,
      x: r.basin.x,
      y: r.basin.y,
      epoch: Array.from(r.basin.epoch),
      final_loss: Array.from(r.basin.finalLoss, finite),
    };
  }
  if (r.table.length) doc.table = r.table.map((row) => ({ ...row, mean_final_loss: finite(row.mean_final_loss) }));
  if (r.config.mode.mode === 'population') {
    const pop: Record<string, unknown> = { epoch: Array.from(p.epoch), final_loss: Array.from(p.finalLoss, finite) };
    if (p.networks * p.params <= MAX_EXPORTED_WEIGHTS) {
      pop.initial_weights = Array.from({ length: p.networks }, (_, n) =>
        Array.from(networkParams(p.initial, p.networks, p.params, n)),
      );
    } else {
      pop.initial_weights_omitted =
        `${p.networks * p.params} weights, more than ${MAX_EXPORTED_WEIGHTS}; ` +
        'each network m is drawn with seed + m (see src/atlas/init.ts)';
    }
    doc.population = pop;
  }
  if (r.som) {
    doc.som = {
      rows: r.som.rows,
      cols: r.som.cols,
      count: Array.from(r.som.count),
      success: Array.from(r.som.success, finite),
      umatrix: Array.from(r.som.umatrix),
    };
  }
  return doc;
}

/** One line per cell: the two weights, the epoch (-1: never) and the final loss. */
export function basinCsv(map: BasinMap): string {
  const res = map.resolution;
  const lines = [`${map.x.name},${map.y.name},epoch,final_loss`];
  for (let j = 0; j < res; j++) {
    for (let i = 0; i < res; i++) {
      const n = j * res + i;
      lines.push(`${map.x.values[i]},${map.y.values[j]},${map.epoch[n]},${finite(map.finalLoss[n]) ?? ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The initializer table with its histogram as one column per bin. */
export function tableCsv(rows: readonly TableRow[]): string {
  const bins = rows[0]?.histogram.length ?? 0;
  const head = [
    'initializer',
    'scale',
    'networks',
    'converged',
    'success_rate',
    'median_epoch',
    'mean_final_loss',
    ...Array.from({ length: bins }, (_, b) => `hist_${b}`),
  ];
  const lines = [head.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.initializer,
        r.scale,
        r.networks,
        r.converged,
        r.success_rate,
        r.median_epoch ?? '',
        finite(r.mean_final_loss) ?? '',
        ...r.histogram,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
