/**
 * @file The `atlas` command: an atlas config in, one JSON summary on stdout, the full result
 * (--out) and a picture (--png: the basin map, or the SOM's success grid and U-matrix) on disk.
 * Same conventions as `train`: everything the user supplied is checked before a device is
 * touched; bad input is a ConfigError (exit 2, one `error:` line), no adapter is exit 3.
 * `--bench` times the GPU against the CPU trainer on 65,536 XOR networks (src/atlas/bench.ts).
 */
import { benchAtlas } from '../atlas/bench';
import { LIMITS, parseAtlasConfig } from '../atlas/config';
import { atlasResultJson } from '../atlas/export';
import { basinImage, type Image, sideBySide, somImage } from '../atlas/render';
import { type AtlasResult, runAtlas } from '../atlas/run';
import { ConfigError } from '../core/errors';
import { flagInt, flagOneOf, parseFlags } from '../core/flags';
import { DeviceWatch } from '../gpu/device-health';
import type { BackendName } from '../train/engine';
import { acquireCliDevice, EXIT_NO_ADAPTER } from './device';
import { checkWritable, readJson, writeOutput } from './files';
import { encodePng } from './png';

const ATLAS_USAGE = `Usage: mlp-playground atlas --config FILE [--backend gpu|cpu] [--out FILE] [--png FILE]
       mlp-playground atlas --bench [--networks N] [--epochs N] [--cpu-networks N]

Trains every network of an atlas config (a basin map, an initializer table or a population,
optionally with a SOM) and prints a JSON summary to stdout.

Options:
  --config FILE        atlas config (JSON); - reads it from stdin
  --backend NAME       gpu (WebGPU through Dawn, the default) or cpu (the TypeScript trainer)
  --out FILE           writes the full result (JSON)
  --png FILE           writes the basin map, or the SOM (success fraction and U-matrix), as PNG
  --bench              times 65,536 XOR 2-2-1 networks x 1,000 epochs on the GPU and the CPU
  --networks N, --epochs N, --cpu-networks N   size of the benchmark (CPU time is scaled)
`;

interface AtlasArgs {
  command: 'atlas';
  config?: string;
  backend: BackendName;
  out?: string;
  png?: string;
  bench: boolean;
  networks?: number;
  epochs?: number;
  cpuNetworks?: number;
}

const ATLAS_FLAGS = {
  values: ['--config', '--backend', '--out', '--png', '--networks', '--epochs', '--cpu-networks'],
  switches: ['--bench'],
  listName: 'atlas flags',
};
const fail = (message: string) => new ConfigError('', message);

/** Parses the flags after `atlas`; as strict as `train`'s. */
export function parseAtlasArgs(argv: readonly string[]): AtlasArgs {
  const { values, switches } = parseFlags(argv, ATLAS_FLAGS);
  const bench = switches.has('--bench');
  const backend = flagOneOf('--backend', values.get('--backend') ?? 'gpu', ['gpu', 'cpu'] as const);
  const count = (flag: string) => {
    const raw = values.get(flag);
    return raw === undefined ? undefined : flagInt(flag, raw, 1, LIMITS.networks);
  };
  const args: AtlasArgs = {
    command: 'atlas',
    config: values.get('--config'),
    backend,
    out: values.get('--out'),
    png: values.get('--png'),
    bench,
    networks: count('--networks'),
    epochs: count('--epochs'),
    cpuNetworks: count('--cpu-networks'),
  };
  if (bench) {
    for (const f of ['--config', '--out', '--png'] as const)
      if (values.has(f)) throw fail(`${f} cannot be combined with --bench`);
    if (backend === 'cpu') throw fail('--bench compares the GPU with the CPU; it takes no --backend cpu');
  } else {
    if (args.config === undefined)
      throw fail('--config is required (an atlas config JSON file, or - for stdin), or --bench');
    for (const f of ['--networks', '--epochs', '--cpu-networks'] as const)
      if (values.has(f)) throw fail(`${f} is only for --bench`);
  }
  return args;
}

/** The picture --png writes: the basin map (a few pixels per network), else the SOM. */
function resultImage(r: AtlasResult): Image | null {
  if (r.basin) return basinImage(r.basin, r.config.epochs, Math.max(1, Math.floor(512 / r.basin.resolution)));
  if (r.som) {
    const scale = Math.max(4, Math.floor(256 / Math.max(r.som.rows, r.som.cols)));
    return sideBySide(somImage(r.som, 'success', scale), somImage(r.som, 'umatrix', scale), scale);
  }
  return null;
}

/** Runs `fn` with the device, failing fast on a lost device or an uncaptured WebGPU error. */
async function withDevice<T>(got: { device: GPUDevice }, fn: () => Promise<T>): Promise<T> {
  const guard = new DeviceWatch(got.device);
  try {
    return await guard.watch(fn());
  } finally {
    guard.close();
    got.device.destroy();
  }
}

export async function atlas(args: AtlasArgs): Promise<number> {
  if (args.bench) {
    const got = await acquireCliDevice();
    if (!got) return EXIT_NO_ADAPTER;
    const r = await withDevice(got, () =>
      benchAtlas(got.device, got.adapter, {
        networks: args.networks,
        epochs: args.epochs,
        cpuNetworks: args.cpuNetworks,
      }),
    );
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const cfg = parseAtlasConfig(await readJson(args.config!, '--config'));
  if (args.png !== undefined && cfg.mode.mode !== 'basin' && !cfg.som) {
    throw fail(`--png draws a basin map or a SOM; this config has mode ${cfg.mode.mode} and no som section`);
  }
  if (args.out !== undefined) await checkWritable('--out', args.out);
  if (args.png !== undefined) await checkWritable('--png', args.png);

  let result: AtlasResult;
  if (args.backend === 'gpu') {
    const got = await acquireCliDevice();
    if (!got) return EXIT_NO_ADAPTER;
    result = await withDevice(got, () => runAtlas(cfg, { backend: 'gpu', ...got }));
  } else {
    result = await runAtlas(cfg, { backend: 'cpu' });
  }
  if (args.out !== undefined) await writeOutput('--out', args.out, `${JSON.stringify(atlasResultJson(result))}\n`);
  if (args.png !== undefined) {
    const img = resultImage(result)!;
    await writeOutput('--png', args.png, encodePng(img.width, img.height, img.rgba));
  }
  const p = result.population;
  process.stdout.write(
    `${JSON.stringify({
      done: true,
      mode: cfg.mode.mode,
      backend: p.backend,
      adapter: p.adapter,
      networks: p.networks,
      params: p.params,
      epochs: cfg.epochs,
      summary: result.summary,
      ...(result.table.length ? { table: result.table } : {}),
      ...(result.som ? { som: { rows: result.som.rows, cols: result.som.cols, ms: Math.round(result.somMs) } } : {}),
      train_ms: Math.round(p.trainMs),
      ...(args.out !== undefined ? { out: args.out } : {}),
      ...(args.png !== undefined ? { png: args.png } : {}),
    })}\n`,
  );
  return 0;
}

/** `mlp-playground atlas ...`: help, or parse and run. */
export async function atlasMain(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(ATLAS_USAGE);
    return 0;
  }
  return atlas(parseAtlasArgs(argv));
}
