/**
 * @file The `atlas` command: an atlas config in, one JSON summary on stdout, the full result
 * (--out) and a picture (--png: the basin map, or the SOM's success grid and U-matrix) on disk.
 * Same conventions as `train`: everything the user supplied is checked before a device is
 * touched; bad input is a ConfigError (exit 2, one `error:` line), no adapter is exit 3.
 * `--bench` times the GPU against the CPU trainer on 65,536 XOR networks (src/atlas/bench.ts).
 */
import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { benchAtlas } from '../atlas/bench';
import { parseAtlasConfig } from '../atlas/config';
import { atlasResultJson } from '../atlas/export';
import { encodePng } from '../atlas/png';
import { basinImage, type Image, sideBySide, somImage } from '../atlas/render';
import { type AtlasResult, runAtlas } from '../atlas/run';
import { ConfigError, show } from '../core/errors';
import type { BackendName } from '../train/engine';
import { acquireCliDevice, DeviceGuard, EXIT_NO_ADAPTER } from './device';

export const ATLAS_USAGE = `Usage: mlp-playground atlas --config FILE [--backend gpu|cpu] [--out FILE] [--png FILE]
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

export interface AtlasArgs {
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

const VALUE_FLAGS = ['--config', '--backend', '--out', '--png', '--networks', '--epochs', '--cpu-networks'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const fail = (message: string) => new ConfigError('', message);

/** Parses the flags after `atlas`; as strict as `train`'s. */
export function parseAtlasArgs(argv: readonly string[]): AtlasArgs {
  const values = new Map<ValueFlag, string>();
  let bench = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const flag = eq > 0 ? tok.slice(0, eq) : tok;
    if (flag === '--bench') {
      if (eq > 0) throw fail(`--bench takes no value, got ${show(tok.slice(eq + 1))}`);
      bench = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      const what = tok.startsWith('-') ? `unknown flag ${show(flag)}` : `unexpected argument ${show(tok)}`;
      throw fail(`${what}; atlas flags: ${[...VALUE_FLAGS, '--bench'].join(', ')}`);
    }
    const f = flag as ValueFlag;
    const value = eq > 0 ? tok.slice(eq + 1) : argv[i + 1];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw fail(`${f} needs a value`);
    if (eq < 0) i++;
    if (values.has(f)) throw fail(`${f} is given twice`);
    values.set(f, value);
  }
  const backend = values.get('--backend') ?? 'gpu';
  if (backend !== 'gpu' && backend !== 'cpu') throw fail(`--backend must be gpu or cpu, got ${show(backend)}`);
  const count = (f: ValueFlag) => {
    const raw = values.get(f);
    if (raw === undefined) return undefined;
    const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v) || v < 1 || v > 1 << 20)
      throw fail(`${f} must be an integer from 1 to ${1 << 20}, got ${show(raw)}`);
    return v;
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

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a directory'
        : e instanceof Error
          ? e.message
          : String(e);
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = await readFile(path, 'utf8');
    }
  } catch (e) {
    throw fail(`--config: cannot read ${path}: ${reason(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail(`${path === '-' ? 'stdin' : path} is not valid JSON: ${(e as Error).message}`);
  }
}

async function checkWritable(flag: string, path: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (e) {
    throw fail(`${flag}: cannot write ${path}: ${reason(e) === 'no such file' ? 'no such directory' : reason(e)}`);
  }
}

async function write(flag: string, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (e) {
    throw fail(`${flag}: cannot write ${path}: ${reason(e)}`);
  }
}

/** The picture --png writes: the basin map (a few pixels per network), else the SOM. */
export function resultImage(r: AtlasResult): Image | null {
  if (r.basin) return basinImage(r.basin, r.config.epochs, Math.max(1, Math.floor(512 / r.basin.resolution)));
  if (r.som) {
    const scale = Math.max(4, Math.floor(256 / Math.max(r.som.rows, r.som.cols)));
    return sideBySide(somImage(r.som, 'success', scale), somImage(r.som, 'umatrix', scale), scale);
  }
  return null;
}

/** Runs `fn` with the device, failing fast on a lost device or an uncaptured WebGPU error. */
async function withDevice<T>(got: { device: GPUDevice }, fn: () => Promise<T>): Promise<T> {
  const guard = new DeviceGuard(got.device);
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
  const cfg = parseAtlasConfig(await readConfig(args.config!));
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
  if (args.out !== undefined) await write('--out', args.out, `${JSON.stringify(atlasResultJson(result))}\n`);
  if (args.png !== undefined) {
    const img = resultImage(result)!;
    await write('--png', args.png, encodePng(img.width, img.height, img.rgba));
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
