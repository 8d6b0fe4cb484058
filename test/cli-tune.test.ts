/**
 * @file The `tune` command as a user runs it: JSON Lines of every variant's time per product
 * shape, one kept per shape (the fastest), the cache written where MLP_CACHE_DIR points, and the
 * CLI's exit codes for bad input (2) and no adapter (3).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireNodeDevice } from '../src/gpu/node-device';
import { networkShapes, shapeKey } from '../src/gpu/tuner';
import { runCli as cli } from './cli-process';

const rows = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const SMALL = {
  seed: 1,
  dataset: { name: 'random', samples: 100, dim: 20, classes: 3 },
  layers: [
    { units: 36, activation: 'relu' },
    { units: 3, activation: 'softmax' },
  ],
  loss: 'categorical_crossentropy',
  batch_size: 64,
};

let dir = '';
let hasAdapter = false;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlp-tune-cli-'));
  await writeFile(join(dir, 'small.json'), JSON.stringify(SMALL));
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...SMALL, batch_size: 0 }));
  const got = await acquireNodeDevice().catch(() => null);
  hasAdapter = got !== null;
  got?.device.destroy();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every shape's lines: each variant once, one chosen, the fastest. */
function expectTables(lines: Record<string, unknown>[], keys: string[]): void {
  const byShape = new Map<string, Record<string, unknown>[]>();
  for (const l of lines) {
    expect(Object.keys(l)).toEqual(['form', 'm', 'n', 'k', 'variant', 'ms', 'chosen']);
    const k = shapeKey(l as never);
    byShape.set(k, [...(byShape.get(k) ?? []), l]);
  }
  expect([...byShape.keys()].sort()).toEqual([...keys].sort());
  for (const [k, table] of byShape) {
    expect(new Set(table.map((t) => t.variant)).size, k).toBe(table.length);
    const chosen = table.filter((t) => t.chosen);
    expect(chosen.length, k).toBe(1);
    expect(chosen[0].ms, k).toBe(Math.min(...table.map((t) => t.ms as number)));
  }
}

describe('tune', () => {
  it("times the products of a config's network and keeps the fastest of each in the cache", async (ctx) => {
    if (!hasAdapter) ctx.skip();
    const cache = join(dir, 'cache');
    const r = await cli(['tune', '--config', join(dir, 'small.json')], { env: { MLP_CACHE_DIR: cache } });
    expect(r.code).toBe(0);
    const out = rows(r.stdout);
    const done = out.pop()!;
    expect(done).toMatchObject({ done: true, cache: join(cache, 'tune.json') });
    expect(typeof done.adapter).toBe('string');
    expect(typeof done.stats_chunk).toBe('number');
    const shapes = networkShapes(
      [
        { fanIn: 20, units: 36 },
        { fanIn: 36, units: 3 },
      ],
      64,
    );
    expectTables(out, shapes.map(shapeKey));
    const kept = JSON.parse(await readFile(join(cache, 'tune.json'), 'utf8'));
    const entry = Object.values(kept.adapters)[0] as { products: Record<string, { variant: string }> };
    for (const l of out.filter((x) => x.chosen)) expect(entry.products[shapeKey(l as never)].variant).toBe(l.variant);
  });

  it('without --config, tunes the 784-8×512-10 network at batch 512', async (ctx) => {
    if (!hasAdapter) ctx.skip();
    const r = await cli(['tune'], { env: { MLP_CACHE_DIR: join(dir, 'cache2') } });
    expect(r.code).toBe(0);
    const out = rows(r.stdout);
    out.pop();
    const widths = [784, ...Array(8).fill(512), 10];
    const layers = widths.slice(1).map((units, l) => ({ fanIn: widths[l], units }));
    expectTables(out, networkShapes(layers, 512).map(shapeKey));
  }, 300_000);

  it('refuses bad input with one error line and exit 2, and exits 3 without an adapter', async () => {
    for (const [args, message] of [
      [['tune', '--backend', 'cpu'], /^error: --backend must be gpu: the CPU engine has no kernels to tune$/],
      [['tune', '--backend', 'tpu'], /^error: --backend must be one of gpu, got "tpu"$/],
      [['tune', '--frob'], /^error: unknown flag "--frob"; tune flags: --config, --backend, --help$/],
      [['tune', '--config', join(dir, 'missing.json')], /^error: --config: cannot read .*no such file/],
      [['tune', '--config', join(dir, 'bad.json')], /^error: .*batch_size/],
    ] as [string[], RegExp][]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(message);
    }
    const none = await cli(['tune', '--config', join(dir, 'small.json')], {
      env: { VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' },
    });
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim().split('\n').at(-1)).toMatch(/^error: no WebGPU adapter found/);
    const help = await cli(['tune', '--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/Without it: the MNIST 784-8×512-10 network/)]);
  });
});
