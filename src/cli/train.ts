/**
 * @file The `train` command: config file in, JSON Lines out. Everything the user supplied
 * (config, overrides, weights file, --save's directory) is checked before any device is touched
 * or any step is taken, so a typo fails in milliseconds with exit 2 rather than after training.
 * stdout carries only JSON records; all human-facing text goes to stderr.
 */

import { parseConfig } from '../core/config';
import { loadDataset } from '../core/datasets';
import type { RunConfig } from '../core/types';
import { createEngine } from '../engines/create';
import { DeviceWatch } from '../gpu/device-health';
import type { Engine, LayerWeights, StepRecord } from '../train/engine';
import { layerShapes } from '../train/model';
import { decodeWeights, encodeWeights } from '../train/weights-file';
import type { TrainArgs } from './args';
import { acquireCliDevice, EXIT_NO_ADAPTER } from './device';
import { checkWritable, readJson, writeOutput } from './files';

/** Applies the flag overrides to the raw document, so parseConfig validates them like any field. */
function withOverrides(doc: unknown, args: TrainArgs): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const d: Record<string, unknown> = { ...doc };
  if (args.seed !== undefined) d.seed = args.seed;
  if (args.epochs !== undefined) d.epochs = args.epochs;
  if (args.logEvery !== undefined) d.log_every = args.logEvery;
  return d;
}

/**
 * stdout with backpressure: records are queued with `write` and the run pauses on `drained`,
 * so a slow consumer bounds memory instead of letting output pile up. A closed pipe (`| head`)
 * stops the run quietly.
 */
class JsonLines {
  closed = false;
  readonly abort = new AbortController();
  constructor(private readonly out: NodeJS.WriteStream) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      this.closed = true;
      this.abort.abort();
      if (e.code !== 'EPIPE') process.stderr.write(`error: cannot write stdout: ${e.message}\n`);
    });
  }

  private pending = false;
  write(value: unknown): void {
    // JSON.stringify writes NaN and ±Infinity as null, so a diverging run still prints valid JSON.
    if (!this.closed && !this.out.write(`${JSON.stringify(value)}\n`)) this.pending = true;
  }

  async drained(): Promise<void> {
    if (!this.pending || this.closed) return;
    this.pending = false;
    await new Promise<void>((res) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('error', done);
        res();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
    });
  }
}

function recordJson(r: StepRecord) {
  return { step: r.step, epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, layers: r.layers };
}

/** At most one stderr line a second, so a long run shows life without flooding a terminal. */
class Progress {
  private last = performance.now();
  constructor(
    private readonly enabled: boolean,
    private readonly total: number,
  ) {}
  update(r: StepRecord): void {
    if (!this.enabled || performance.now() - this.last < 1000) return;
    this.last = performance.now();
    process.stderr.write(`step ${r.step}/${this.total} loss ${r.loss.toPrecision(4)}\n`);
  }
}

/** Samples the applied steps consumed: whole epochs of n rows, then full batches of the partial one. */
function samplesSeen(steps: number, n: number, batchSize: number): number {
  const batch = Math.min(batchSize, n);
  const perEpoch = Math.ceil(n / batch);
  return Math.floor(steps / perEpoch) * n + (steps % perEpoch) * batch;
}

async function loadWeights(path: string, cfg: RunConfig): Promise<LayerWeights[]> {
  return decodeWeights(await readJson(path, '--load'), layerShapes(cfg));
}

export async function train(args: TrainArgs): Promise<number> {
  const cfg = parseConfig(withOverrides(await readJson(args.config, '--config'), args));
  const initial = args.load === undefined ? undefined : await loadWeights(args.load, cfg);
  if (args.save !== undefined) await checkWritable('--save', args.save);
  const data = (await loadDataset(cfg.dataset, cfg.seed)).train;

  const got: { device?: GPUDevice; adapter?: string } | null = args.backend === 'gpu' ? await acquireCliDevice() : {};
  if (!got) return EXIT_NO_ADAPTER;
  const guard = new DeviceWatch(got.device);
  let engine: Engine | undefined;
  try {
    engine = await guard.watch(
      createEngine(cfg, data, { backend: args.backend, device: got.device, adapter: got.adapter }),
    );
    const out = new JsonLines(process.stdout);
    let last = await guard.watch(engine.init(initial));
    out.write(recordJson(last));

    const total = engine.totalSteps;
    const progress = new Progress(args.progress || process.stderr.isTTY === true, total);
    const t0 = performance.now();
    // Calls end on multiples of log_every (or the last step), so chunking adds no extra records;
    // the chunk grows while calls are short, and bounds the records buffered between drains.
    let records = 1;
    while (engine.step < total && !out.closed) {
      const c0 = performance.now();
      const steps = Math.min(total - engine.step, records * cfg.log_every);
      await guard.watch(
        engine.run(
          steps,
          (r) => {
            last = r;
            out.write(recordJson(r));
            progress.update(r);
          },
          out.abort.signal,
        ),
      );
      await out.drained();
      if (performance.now() - c0 < 100 && records < 64) records *= 2;
    }
    const wallMs = performance.now() - t0;
    if (out.closed) return 0;

    if (args.save !== undefined) {
      const doc = encodeWeights(cfg, await guard.watch(engine.weights()));
      await writeOutput('--save', args.save, `${JSON.stringify(doc)}\n`);
    }
    const steps = engine.step;
    out.write({
      done: true,
      steps,
      loss: last.loss,
      accuracy: last.accuracy,
      backend: engine.backend,
      adapter: engine.adapter,
      wall_ms: Math.round(wallMs * 1000) / 1000,
      samples_per_sec: wallMs > 0 ? samplesSeen(steps, data.n, cfg.batch_size) / (wallMs / 1000) : 0,
    });
    await out.drained();
    return 0;
  } finally {
    guard.close();
    engine?.dispose();
    got.device?.destroy();
  }
}
