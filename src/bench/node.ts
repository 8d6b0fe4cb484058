/**
 * @file The `bench` command (Node): sets up one WebGPU adapter for our engine and for TF.js's
 * webgpu backend, the wasm and cpu backends, runs the ladder (src/bench/ladder.ts), prints the
 * tables and writes bench/results.json, bench/REPORT.md and the SVG charts. Node only: the page
 * runs the same ladder through src/bench/bench-view.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { benchAtlas } from '../atlas/bench';
import { describeAdapter } from '../gpu/adapter';
import { acquireNodeDevice, throttleDawnEventPump } from '../gpu/node-device';
import { BENCH_USAGE, parseBenchArgs } from './args';
import { charts } from './charts';
import { extractHistory, loadNote } from './history';
import { hostCost, hostCostOptions, hostCostReport, NULL_BACKEND } from './host-cost';
import { runBench } from './ladder';
import { markdownReport } from './report';
import { serializeResults } from './results-file';
import type { BenchOptions } from './spec';
import { keyFigures, terminalReport } from './terminal';
import { initBackends, type TfBackend, type TfHandle, type TfModule, tfAdapterInfo } from './tf';
import type { BenchEnv, BenchResults, Environment, Machine } from './types';
import { REPORT_WORDS } from './words';

/** Dawn's GPU object for TF.js, alive for the whole process (Dawn crashes if it is collected while a device lives). */
let tfGpu: GPU | null = null;

const repoRoot = () => resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The pause before every timed repeat (see Clock.settle). */
const SETTLE_MS = 50;

/** A full garbage collection (V8's gc, exposed at run time), or undefined where V8 refuses. */
function fullGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}

/** CPU model, cores and memory, from /proc/cpuinfo where it exists; never the host name. */
async function machine(): Promise<Machine> {
  let cpu = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  try {
    const info = await readFile('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadStart: os.loadavg()[0],
  };
}

/**
 * Loads TF.js with the webgpu, wasm and cpu backends. `navigator.gpu` is Dawn's, from the same
 * `webgpu` package our engine uses, so TF.js requests the same adapter. The packages are
 * CommonJS and share one tfjs-core through `require`.
 */
async function loadTf(
  wanted: TfBackend[],
  dawnFlags: readonly string[],
): Promise<{ handle: TfHandle; adapter: string | null; version: string } | null> {
  const require = createRequire(join(repoRoot(), 'package.json'));
  let tf: TfModule;
  try {
    tf = require('@tensorflow/tfjs') as TfModule;
  } catch (e) {
    process.stderr.write(`bench: TF.js not loaded (${(e as Error).message}); its engines are skipped\n`);
    return null;
  }
  let adapter: string | null = null;
  if (wanted.includes('webgpu')) {
    try {
      const webgpu = require('webgpu') as { create(o: string[]): GPU; globals: Record<string, unknown> };
      Object.assign(globalThis, webgpu.globals);
      throttleDawnEventPump(webgpu.globals); // TF.js waits on its own Dawn instance: the same pump, the same throttle
      tfGpu ??= webgpu.create([...dawnFlags]);
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: tfGpu }, configurable: true, writable: true });
      // The request TF.js itself makes (tf-backend-webgpu: high-performance unless WEBGPU_USE_LOW_POWER_GPU).
      const a = await tfGpu.requestAdapter({ powerPreference: 'high-performance' });
      adapter = a ? describeAdapter(a) : null;
      require('@tensorflow/tfjs-backend-webgpu');
    } catch (e) {
      process.stderr.write(`bench: TF.js webgpu unavailable: ${(e as Error).message}\n`);
    }
  }
  if (wanted.includes('wasm')) {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
      // A file path with a trailing slash: the Node build reads the .wasm with fs.
      wasm.setWasmPaths(`${join(repoRoot(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
    } catch (e) {
      process.stderr.write(`bench: TF.js wasm unavailable: ${(e as Error).message}\n`);
    }
  }
  const handle = await initBackends(tf, wanted);
  const version = (tf.version as Record<string, string>).tfjs ?? tf.version_core;
  // TF.js keeps only vendor / architecture of the adapter it got: shown next to the full description.
  const own = handle.backends.includes('webgpu') ? tfAdapterInfo(tf) : null;
  return { handle, adapter: adapter && own ? `${adapter} (TF.js backend reports: ${own})` : adapter, version };
}

/** The commit measured; MLP_BENCH_COMMIT names it where there is no git checkout (an exported tree). */
function commit(): string | undefined {
  try {
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', repoRoot(), ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'shaders') ? `${head}+dirty` : head;
  } catch {
    return process.env.MLP_BENCH_COMMIT || undefined;
  }
}

async function write(path: string, text: string): Promise<void> {
  await writeFile(path, text, 'utf8');
  process.stderr.write(`bench: wrote ${path}\n`);
}

/** The charts and REPORT.md, keeping the History section of the REPORT.md already there. */
async function writeReport(dir: string, results: BenchResults): Promise<void> {
  const reportPath = join(dir, 'REPORT.md');
  const previous = await readFile(reportPath, 'utf8').catch(() => null);
  for (const c of charts(results)) await write(join(dir, c.file), c.svg);
  await write(reportPath, markdownReport(results, extractHistory(previous)));
}

/** The atlas benchmark's population: XOR networks and epochs on the GPU, networks on our CPU. */
const ATLAS_RUN = { networks: 65536, epochs: 1000, cpuNetworks: 8192 };

/** Runs only the atlas benchmark and adds it to the results.json (and report) already in `dir`. */
async function atlasOnly(dir: string, writeFiles: boolean): Promise<number> {
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as BenchResults;
  const acquired = await acquireNodeDevice();
  if (!acquired) throw new Error('bench: the atlas benchmark needs a WebGPU adapter');
  results.atlas = await benchAtlas(acquired.device, acquired.adapter, ATLAS_RUN);
  process.stdout.write(
    `atlas: GPU ${results.atlas.gpu_ms.toFixed(0)} ms, CPU ${results.atlas.cpu_ms_full.toFixed(0)} ms (scaled), ` +
      `${results.atlas.speedup.toFixed(1)}×\n`,
  );
  if (writeFiles) {
    await write(join(dir, 'results.json'), serializeResults(results));
    await writeReport(dir, results);
  }
  acquired.device.destroy();
  return 0;
}

/** Ends a host-cost run: its table, and host-cost.json (the run's results and the summary) in `dir`. */
async function writeHostCost(dir: string, results: BenchResults, writeFiles: boolean, device?: GPUDevice) {
  process.stdout.write(hostCostReport(results));
  if (writeFiles) {
    await mkdir(dir, { recursive: true });
    const json = { ...JSON.parse(serializeResults(results)), hostCost: hostCost(results) };
    await write(join(dir, 'host-cost.json'), `${JSON.stringify(json, null, 2)}\n`);
  }
  device?.destroy();
  return 0;
}

/**
 * The run's environment: our device and TF.js's backends (on Dawn's `dawnFlags`: the Null backend
 * in host-cost mode), the machine, and a clock that settles before every timed repeat.
 */
async function setUp(o: BenchOptions, dawnFlags: readonly string[]): Promise<{ env: BenchEnv; gc?: () => void }> {
  const needGpu = o.engines.some((e) => e.startsWith('ours-gpu')) || o.parts.ceiling || !!o.parts.atlas;
  const acquired = needGpu
    ? await acquireNodeDevice(dawnFlags).catch((e) => {
        process.stderr.write(`bench: no WebGPU device (${(e as Error).message})\n`);
        return null;
      })
    : null;
  if (needGpu && !acquired) process.stderr.write('bench: no WebGPU adapter; GPU engines are skipped\n');
  const wanted = (['webgpu', 'wasm', 'cpu'] as const).filter((b) => o.engines.includes(`tfjs-${b}`));
  const tf = wanted.length ? await loadTf([...wanted], dawnFlags) : null;
  const environment: Environment = {
    commit: commit(),
    runtime: `Node ${process.version}`,
    machine: await machine(),
    adapter: acquired?.adapter ?? null,
    tfjsAdapter: tf?.handle.backends.includes('webgpu') ? tf.adapter : null,
    driver: acquired?.adapter.split(' / ').at(-1) ?? null,
    tfjsVersion: tf?.version ?? null,
    tfjsBackends: tf?.handle.backends ?? [],
  };
  process.stderr.write(
    `bench: adapter ${environment.adapter ?? 'none'}; TF.js webgpu adapter ${environment.tfjsAdapter ?? 'none'}\n`,
  );
  const gc = fullGc();
  // Collect, then let background threads (V8's, TF.js wasm's pool, lavapipe's) fall idle.
  const settle = async () => {
    gc?.();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  };
  const env: BenchEnv = {
    clock: { now: () => performance.now(), settle },
    gpu: acquired,
    tf: tf?.handle ?? null,
    environment,
  };
  return { env, gc };
}

export async function bench(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const args = parseBenchArgs(argv);
  const dir = resolve(args.out ?? join(repoRoot(), 'bench'));
  if (args.reportOnly) {
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as BenchResults;
    await write(join(dir, 'results.json'), serializeResults(results));
    await writeReport(dir, results);
    process.stdout.write(terminalReport(results));
    return 0;
  }
  const o = args.hostCost ? hostCostOptions(args.options) : args.options;
  if (o.parts.atlas && !o.parts.ceiling && !o.parts.products && !o.parts.training) return atlasOnly(dir, args.write);
  const { env, gc } = await setUp(o, args.hostCost ? NULL_BACKEND : []);
  const acquired = env.gpu;
  const started = Date.now();
  const results = await runBench(env, o, {
    onProgress: (p) =>
      process.stderr.write(
        `bench: [${p.done}/${p.total}] ${p.phase} ${p.label} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      ),
  });
  const settleNote = {
    gc: gc ? 'a full garbage collection, then ' : '',
    settleMs: SETTLE_MS,
    noGc: gc ? '' : ' (V8 refused to expose its garbage collector)',
  };
  results.notes.push(REPORT_WORDS.fill('note-settle', settleNote));
  if (o.parts.atlas && acquired) {
    process.stderr.write('bench: atlas population (65,536 XOR networks × 1,000 epochs)\n');
    results.atlas = await benchAtlas(acquired.device, acquired.adapter, ATLAS_RUN);
  }
  results.environment.machine.loadEnd = os.loadavg()[0];
  if (args.hostCost) return writeHostCost(dir, results, args.write, acquired?.device);
  process.stdout.write(terminalReport(results));
  if (args.write) {
    await mkdir(dir, { recursive: true });
    await write(join(dir, 'results.json'), serializeResults(results));
    await writeReport(dir, results);
    process.stdout.write(`\nkey figures (for a History entry): ${keyFigures(results)}${loadNote(results)}\n`);
  }
  acquired?.device.destroy();
  return 0;
}
