/**
 * @file The `tune` command: times every product variant that can take each product of a
 * network's training step on this machine's adapter, keeps the fastest per shape in the tuner's
 * cache (what the engine then runs), and prints every time as JSON Lines. Bad flags are
 * ConfigErrors (exit 2, one `error:` line); no adapter exits 3.
 */
import { parseConfig } from '../core/config';
import { loadDataset } from '../core/datasets';
import { ConfigError } from '../core/errors';
import { flagOneOf, parseFlags } from '../core/flags';
import { DeviceWatch } from '../gpu/device-health';
import { layerShapes } from '../train/model';
import { acquireCliDevice, EXIT_NO_ADAPTER } from './device';
import { readJson } from './files';

/** The network tuned without --config: the benchmark's 8×512 MNIST rung. */
const DEFAULT_NETWORK = { widths: [784, 512, 512, 512, 512, 512, 512, 512, 512, 10], batch: 512 };

const TUNE_USAGE = `Usage: mlp-playground tune [--config FILE] [--backend gpu]

Times every product variant (src/gpu/products.ts) that can take each matrix product of one
training step of a network (forward and dW of every layer, dX of every layer above the first)
on this machine's WebGPU adapter, keeps the fastest for each shape in the tuner's cache (what
the engine runs from then on; tune again after a driver update), and prints JSON Lines: one
{"form", "m", "n", "k", "variant", "ms", "chosen"} per shape and variant (ms per product;
"chosen" for the one kept), then {"done": true, "adapter", "cache", "stats_chunk"}.

The cache: $MLP_CACHE_DIR/tune.json, else $XDG_CACHE_HOME/mlp-playground/tune.json, else
~/.cache/mlp-playground/tune.json; one entry per adapter and version of the kernels.

Options:
  --config FILE   a run config (JSON; - reads it from stdin): the products of its layers at its
                  batch size. Without it: the MNIST 784-8×512-10 network at batch 512 (the
                  benchmark's 8×512 rung)
  --backend gpu   the only backend with kernels to tune
  --help          prints this help

Exit codes: 0 success, 1 internal error, 2 invalid input, 3 no WebGPU adapter.
`;

const FLAGS = { values: ['--config', '--backend'], switches: ['--help'], listName: 'tune flags' };

/** The layers and batch of the network to tune: the config's, or the default one. */
async function network(
  config: string | undefined,
): Promise<{ layers: { fanIn: number; units: number }[]; batch: number }> {
  if (config === undefined) {
    const w = DEFAULT_NETWORK.widths;
    return { layers: w.slice(1).map((units, l) => ({ fanIn: w[l], units })), batch: DEFAULT_NETWORK.batch };
  }
  const cfg = parseConfig(await readJson(config, '--config'));
  const rows = (await loadDataset(cfg.dataset, cfg.seed)).train.n;
  return { layers: layerShapes(cfg), batch: Math.min(cfg.batch_size, rows) };
}

export async function tuneMain(argv: string[]): Promise<number> {
  const { values, switches } = parseFlags(argv, FLAGS);
  if (switches.has('--help')) {
    process.stdout.write(TUNE_USAGE);
    return 0;
  }
  const backend = values.get('--backend') ?? 'gpu';
  if (backend === 'cpu') throw new ConfigError('', '--backend must be gpu: the CPU engine has no kernels to tune');
  flagOneOf('--backend', backend, ['gpu']);
  const { layers, batch } = await network(values.get('--config'));
  const got = await acquireCliDevice();
  if (!got) return EXIT_NO_ADAPTER;
  const { ProductTuner, networkShapes } = await import('../gpu/tuner');
  const tuner = ProductTuner.for(got.device);
  const write = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const guard = new DeviceWatch(got.device);
  try {
    const choices = await guard.watch(
      tuner.choices(networkShapes(layers, batch), {
        retime: true,
        onTrials: (trials) => {
          for (const t of trials)
            write({ form: t.form, m: t.m, n: t.n, k: t.k, variant: t.variant, ms: round(t.ms), chosen: t.chosen });
        },
      }),
    );
    if (tuner.saveError) process.stderr.write(`warning: the choices were not kept: ${tuner.saveError.message}\n`);
    write({ done: true, adapter: got.adapter, cache: tuner.store.where, stats_chunk: choices.statsChunk });
  } finally {
    guard.close();
    got.device.destroy();
  }
  return 0;
}

/** Four significant digits: the trials' own noise is larger. */
const round = (ms: number) => Number(ms.toPrecision(4));
