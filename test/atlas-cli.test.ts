/**
 * @file The `atlas` command, spawned as a user runs it: a CPU run writes its result and its
 * PNG, bad input is exit 2 with one `error:` line, no adapter is exit 3; flag parsing in-process.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAtlasArgs } from '../src/cli/atlas';
import { ConfigError } from '../src/core/errors';
import { runCli } from './cli-process';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

/** Our `error:` lines (Dawn prints its own warnings to stderr too); the last line must be one. */
function errors(s: string): string[] {
  const lines = s.split('\n').filter((l) => l.length > 0);
  expect(lines.at(-1), s).toMatch(/^error: /);
  return lines.filter((l) => l.startsWith('error:'));
}

const BASIN = {
  seed: 2,
  dataset: 'xor',
  layers: [
    { units: 2, activation: 'sigmoid', kernel_initializer: { name: 'random_uniform', minval: -1, maxval: 1 } },
    { units: 1, activation: 'sigmoid' },
  ],
  optimizer: { name: 'sgd', learning_rate: 2 },
  epochs: 120,
  criterion: 'all_correct',
  mode: 'basin',
  resolution: 16,
  axes: [
    { layer: 0, row: 0, col: 0 },
    { layer: 0, row: 1, col: 1 },
  ],
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atlas-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlp-playground atlas', () => {
  it('runs a basin map on the CPU: summary on stdout, the result JSON and a PNG on disk', async () => {
    const cfg = join(dir, 'basin.json'),
      out = join(dir, 'result.json'),
      png = join(dir, 'map.png');
    await writeFile(cfg, JSON.stringify(BASIN));
    const r = await cli(['atlas', '--config', cfg, '--backend', 'cpu', '--out', out, '--png', png]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ done: true, mode: 'basin', backend: 'cpu', networks: 256, params: 9, epochs: 120 });
    expect(summary.summary.networks).toBe(256);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.format).toBe('mlp-playground-atlas');
    expect(doc.basin.epoch.length).toBe(256);
    expect(doc.basin.x.name).toBe('W0[0,0]');
    expect(doc.config.mode).toBe('basin');
    const bytes = await readFile(png);
    expect(Array.from(bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(bytes.readUInt32BE(16)).toBe(16 * 32); // 16 cells, 32 pixels each
  });

  it.each([
    [
      ['atlas', '--config', 'CFG'],
      { ...BASIN, mode: 'maze' },
      /^error: mode must be one of basin, initializers, population, got "maze"$/,
    ],
    [
      ['atlas', '--config', 'CFG'],
      {
        ...BASIN,
        axes: [
          { layer: 0, row: 5, col: 0 },
          { layer: 0, row: 0, col: 1 },
        ],
      },
      /^error: axes\[0\]\.row must be an integer from 0 to 1, got 5$/,
    ],
    [
      ['atlas', '--config', 'CFG', '--png', 'OUT/x.png'],
      { ...BASIN, mode: 'population', axes: undefined, resolution: undefined },
      /^error: --png draws a basin map or a SOM; this config has mode population and no som section$/,
    ],
    [
      ['atlas', '--config', 'CFG', '--out', '/nonexistent-dir/r.json'],
      BASIN,
      /^error: --out: cannot write \/nonexistent-dir\/r\.json: no such directory$/,
    ],
    [
      ['atlas', '--config', join('no', 'such.json')],
      BASIN,
      /^error: --config: cannot read no\/such\.json: no such file$/,
    ],
    [['atlas', '--config', 'CFG', '--backend', 'tpu'], BASIN, /^error: --backend must be one of gpu, cpu, got "tpu"$/],
    [['atlas'], BASIN, /^error: --config is required/],
  ])('rejects bad input with exit 2 and one error line: %j', async (args, doc, message) => {
    const cfg = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(cfg, JSON.stringify(doc));
    const r = await cli(args.map((a) => a.replace('CFG', cfg).replace('OUT', dir)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const e = errors(r.stderr);
    expect(e.length, r.stderr).toBe(1);
    expect(e[0]).toMatch(message);
  });

  it('exits 3 with one error line when there is no adapter', async () => {
    const cfg = join(dir, 'basin3.json');
    await writeFile(cfg, JSON.stringify(BASIN));
    const r = await cli(['atlas', '--config', cfg], {
      VK_ICD_FILENAMES: '/nonexistent.json',
      VK_DRIVER_FILES: '/nonexistent.json',
    });
    expect(r.code).toBe(3);
    const e = errors(r.stderr);
    expect(e.length).toBe(1);
    expect(e[0]).toMatch(/^error: no WebGPU adapter found; .*--backend cpu$/);
  });

  it('prints its usage with --help', async () => {
    const r = await cli(['atlas', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mlp-playground atlas --config FILE/);
  });

  it('parses flags strictly', () => {
    expect(parseAtlasArgs(['--config', 'a.json', '--backend=cpu', '--png', 'm.png'])).toMatchObject({
      config: 'a.json',
      backend: 'cpu',
      png: 'm.png',
      bench: false,
    });
    expect(parseAtlasArgs(['--bench', '--networks', '1024', '--cpu-networks=64'])).toMatchObject({
      bench: true,
      networks: 1024,
      cpuNetworks: 64,
    });
    const bad: [string[], RegExp][] = [
      [['--config', 'a.json', '--config', 'b.json'], /--config is given twice/],
      [['--config', 'a.json', '--epochs', '5'], /--epochs is only for --bench/],
      [['--bench', '--out', 'r.json'], /--out cannot be combined with --bench/],
      [['--bench', '--networks', '0'], /--networks must be an integer from 1 to 1048576, got "0"/],
      [['--bench=1'], /--bench takes no value/],
      [['--config'], /--config needs a value/],
      [['--config', 'a.json', '--seed', '3'], /unknown flag "--seed"/],
      [['--config', 'a.json', 'extra'], /unexpected argument "extra"/],
    ];
    for (const [argv, msg] of bad) {
      expect(() => parseAtlasArgs(argv)).toThrow(ConfigError);
      expect(() => parseAtlasArgs(argv)).toThrow(msg);
    }
  });
});
