/**
 * @file Tests of the CLI. Most spawn `node bin/mlp-playground.js` exactly as a user would, so the
 * Vite launcher, the exit codes and the stdout/stderr contract are tested for real; training
 * there uses `--backend cpu`. The GPU path's failure handling runs in-process with a stand-in
 * engine on a real device, and the weights format is checked directly.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main';
import { parseConfig } from '../src/core/config';
import { ConfigError } from '../src/core/errors';
import type { Dataset, RunConfig } from '../src/core/types';
import type { EngineOptions } from '../src/engines/create';
import { acquireNodeDevice } from '../src/gpu/node-device';
import type { Engine } from '../src/train/engine';
import { initialWeightsCpu, layerShapes } from '../src/train/model';
import { decodeWeights, encodeWeights } from '../src/train/weights-file';
import { runCli as cli, type CliResult as Result } from './cli-process';
import { STAT_KEYS } from './trajectory';

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);
const json = (s: string) => lines(s).map((l) => JSON.parse(l) as Record<string, unknown>);
/** A JavaScript stack frame (`at f (file.js:12:34)`); Dawn's own native warnings have no column. */
/** `train` on the XOR fixture with the CPU backend, and `extra` flags. */
const trainXor = (extra: string[] = []) => cli(['train', '--config', file('xor.json'), '--backend', 'cpu', ...extra]);

const JS_STACK = /^\s*at .*:\d+:\d+\)?$/m;

/** The histograms a record carries beside every number of LayerStats (STAT_KEYS). */
const HISTS = ['act_hist', 'kernel_hist', 'grad_hist'] as const;

const XOR = {
  seed: 1,
  dataset: { name: 'xor' },
  layers: [
    { units: 4, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'binary_crossentropy',
  optimizer: { name: 'adam', learning_rate: 0.05 },
  batch_size: 4,
  epochs: 300,
  log_every: 100,
};

let dir = '';
const file = (name: string) => join(dir, name);
async function writeConfig(name: string, doc: unknown): Promise<string> {
  await writeFile(file(name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file(name);
}

/** The WebGPU adapter Dawn finds here, or null: the tests that need one skip without it. */
let adapter: string | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlp-cli-'));
  await writeConfig('xor.json', XOR);
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const got = await acquireNodeDevice().catch(() => null);
  adapter = got?.adapter ?? null;
  got?.device.destroy();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Samples a done record claims, back from its rate (wall_ms is rounded to the microsecond). */
const samplesIn = (done: Record<string, unknown>) =>
  ((done.samples_per_sec as number) * (done.wall_ms as number)) / 1000;

/** Invalid input: exit 2, nothing on stdout, one `error:` line on stderr and no stack. */
function expectInputError(r: Result, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr)).toHaveLength(1);
  expect(lines(r.stderr)[0]).toMatch(message);
  expect(r.stderr).not.toMatch(JS_STACK);
}

function expectLayerStats(layers: unknown, count: number): void {
  expect(Array.isArray(layers)).toBe(true);
  const ls = layers as Record<string, unknown>[];
  expect(ls).toHaveLength(count);
  for (const l of ls) {
    expect(Object.keys(l).sort()).toEqual([...STAT_KEYS, ...HISTS].sort());
    for (const k of STAT_KEYS) expect(typeof l[k], k).toBe('number');
    for (const k of HISTS) {
      const h = l[k] as { min: number; max: number; counts: number[] };
      expect(typeof h.min).toBe('number');
      expect(h.counts, k).toHaveLength(32);
    }
  }
}

describe('train on the CPU', () => {
  it('learns XOR and prints the step records and a done record', async () => {
    const r = await trainXor();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const recs = json(r.stdout);
    expect(recs.map((x) => x.step ?? 'done')).toEqual([0, 100, 200, 300, 'done']);
    for (const rec of recs.slice(0, 4)) {
      expect(Object.keys(rec)).toEqual(['step', 'epoch', 'loss', 'accuracy', 'layers']);
      expectLayerStats(rec.layers, 2);
    }
    const [first, , , last, done] = recs;
    expect(last.loss as number).toBeLessThan(first.loss as number);
    expect(last.loss as number).toBeLessThan(0.1);
    expect(done).toMatchObject({ done: true, steps: 300, loss: last.loss, accuracy: last.accuracy, backend: 'cpu' });
    expect(typeof done.adapter).toBe('string');
    expect(done.wall_ms as number).toBeGreaterThan(0);
    // 300 full batches of the 4 points.
    expect(samplesIn(done) / 1200).toBeCloseTo(1, 2);
  });

  it('--epochs 0 prints only the step-0 record and done', async () => {
    const r = await trainXor(['--epochs', '0']);
    expect(r.code).toBe(0);
    const recs = json(r.stdout);
    expect(recs).toHaveLength(2);
    expect(recs[0].step).toBe(0);
    expect(recs[1]).toMatchObject({ done: true, steps: 0, loss: recs[0].loss, samples_per_sec: 0 });
  });

  it('overrides seed, epochs and log-every from flags, and reads the config from stdin', async () => {
    const r = await cli(
      ['train', '--config', '-', '--backend', 'cpu', '--epochs', '7', '--log-every', '3', '--seed', '5'],
      { input: JSON.stringify(XOR) },
    );
    expect(r.code).toBe(0);
    expect(json(r.stdout).map((x) => x.step ?? 'done')).toEqual([0, 3, 6, 7, 'done']);
    const other = await trainXor(['--epochs', '0']);
    expect(json(r.stdout)[0].loss).not.toBe(json(other.stdout)[0].loss);
  });

  it('counts the samples of partial batches in samples_per_sec', async () => {
    // 10 points in batches of 4: 3 steps an epoch (4 + 4 + 2); 5 steps = one epoch + 8 samples.
    const cfg = await writeConfig('gauss.json', {
      dataset: { name: 'gauss', samples: 10 },
      layers: [{ units: 1, activation: 'sigmoid' }],
      batch_size: 4,
      epochs: 2,
      log_every: 5,
    });
    const r = await cli(['train', '--config', cfg, '--backend', 'cpu']);
    const done = json(r.stdout).at(-1)!;
    expect(done.steps).toBe(6);
    expect(samplesIn(done) / 20).toBeCloseTo(1, 2);
  });

  it('writes a diverging run as valid JSON, with null for non-finite numbers', async () => {
    const cfg = await writeConfig('diverge.json', {
      dataset: 'gauss',
      layers: [{ units: 8, activation: 'relu' }, { units: 1 }],
      optimizer: { name: 'sgd', learning_rate: 1e6 },
      epochs: 1,
      log_every: 4,
    });
    const r = await cli(['train', '--config', cfg, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const recs = json(r.stdout);
    expect(recs.some((x) => x.loss === null)).toBe(true);
    expect(recs.at(-1)!.done).toBe(true);
  });

  it('keeps progress on stderr and stdout pure JSON', async () => {
    const cfg = await writeConfig('spiral.json', {
      dataset: { name: 'spiral', samples: 500 },
      layers: [
        { units: 64, activation: 'tanh' },
        { units: 64, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary_crossentropy',
      optimizer: 'adam',
      epochs: 60,
      log_every: 50,
    });
    const r = await cli(['train', '--config', cfg, '--backend', 'cpu', '--progress']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).at(-1)!.done).toBe(true);
    for (const l of lines(r.stderr)) expect(l).toMatch(/^step \d+\/960 loss \S+$/);
  });
});

describe('weights files', () => {
  it('--save then --load reproduces the weights bit for bit and their loss', async () => {
    // Train 300 epochs and save; separately train 301 epochs logging every step: its record at
    // step 301 is the loss of the 300-epoch weights on one full batch (xor's 4 points), which is
    // exactly the step-0 record of a run that loads those weights.
    const a = await trainXor(['--save', file('w300.json')]);
    expect(a.code).toBe(0);
    const b = await trainXor(['--epochs', '0', '--load', file('w300.json'), '--save', file('w300-again.json')]);
    expect(b.code).toBe(0);
    const c = await trainXor(['--epochs', '301', '--log-every', '1']);
    const loaded = json(b.stdout)[0];
    const step301 = json(c.stdout).find((x) => x.step === 301)!;
    expect(loaded.loss as number).toBeCloseTo(step301.loss as number, 6);
    expect(loaded.accuracy).toBe(step301.accuracy);

    const w = JSON.parse(await readFile(file('w300.json'), 'utf8'));
    expect(w.format).toBe('mlp-playground-weights');
    expect(w.version).toBe(1);
    expect(w.config.layers[0].kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(w.layers.map((l: { kernel: { shape: number[] } }) => l.kernel.shape)).toEqual([
      [2, 4],
      [4, 1],
    ]);
    const again = JSON.parse(await readFile(file('w300-again.json'), 'utf8'));
    expect(again.layers).toEqual(w.layers);
  });

  it('--save with --epochs 0 writes the initial weights', async () => {
    const a = await trainXor(['--epochs', '0', '--save', file('w0.json')]);
    const b = await trainXor(['--epochs', '0', '--load', file('w0.json')]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(json(b.stdout)[0]).toEqual(json(a.stdout)[0]);
  });

  it('refuses weights whose shapes do not match the config', async () => {
    await trainXor(['--epochs', '0', '--save', file('w4.json')]);
    const wide = await writeConfig('xor8.json', {
      ...XOR,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
    });
    expectInputError(
      await cli(['train', '--config', wide, '--backend', 'cpu', '--load', file('w4.json')]),
      /^error: weights\.layers\[0\]\.kernel\.shape must be \[2, 8\] for this config, got \[2, 4\]$/,
    );
  });

  it('refuses a file that is not a weights file', async () => {
    expectInputError(
      await trainXor(['--load', file('xor.json')]),
      /^error: weights\.seed is not a known field; allowed: format, version, config, layers$/,
    );
  });
});

describe('invalid input: exit 2, one error line naming the field', () => {
  const bad = (layers: unknown[], extra: Record<string, unknown> = {}) => ({ ...XOR, layers, ...extra });
  const cases: [string, unknown, RegExp][] = [
    [
      'negative units',
      bad([{ units: 4, activation: 'tanh' }, { units: -3 }]),
      /^error: layers\[1\]\.units must be an integer from 1 to 8192, got -3$/,
    ],
    [
      'unknown activation',
      bad([{ units: 4, activation: 'relux' }, { units: 1 }]),
      /^error: layers\[0\]\.activation must be one of linear, .*softmax, got "relux"$/,
    ],
    [
      'unknown initializer',
      bad([{ units: 4, kernel_initializer: 'glorot' }, { units: 1 }]),
      /^error: layers\[0\]\.kernel_initializer must be one of zeros, .*glorot_uniform.*, got "glorot"$/,
    ],
    [
      'bad optimizer field',
      { ...XOR, optimizer: { name: 'adam', beta_1: 1.5 } },
      /^error: optimizer\.beta_1 must be a number >= 0 and < 1, got 1\.5$/,
    ],
    [
      'unknown optimizer field',
      { ...XOR, optimizer: { name: 'sgd', beta_1: 0.9 } },
      /^error: optimizer\.beta_1 is not a known field; allowed: name, learning_rate, momentum, nesterov$/,
    ],
    ['missing dataset', { ...XOR, dataset: undefined }, /^error: dataset is required, .*names: xor, /],
  ];
  for (const [name, doc, message] of cases) {
    it.concurrent(name, async () => {
      const cfg = await writeConfig(`${name.replace(/ /g, '-')}.json`, doc);
      expectInputError(await cli(['train', '--config', cfg, '--backend', 'cpu']), message);
    });
  }

  const argCases: [string, (cfg: string) => string[], RegExp][] = [
    ['invalid JSON', () => ['--config', file('broken.json')], /^error: .*broken\.json is not valid JSON: /],
    [
      'missing file',
      () => ['--config', file('absent.json')],
      /^error: --config: cannot read .*absent\.json: no such file$/,
    ],
    ['unknown flag', (c) => ['--config', c, '--epoch', '3'], /^error: unknown flag "--epoch"; flags: --config, /],
    [
      'negative epochs',
      (c) => ['--config', c, '--epochs', '-1'],
      /^error: --epochs must be a non-negative integer, got "-1"$/,
    ],
    [
      'non-integer seed',
      (c) => ['--config', c, '--seed', 'abc'],
      /^error: --seed must be a non-negative integer, got "abc"$/,
    ],
    [
      'bad backend',
      (c) => ['--config', c, '--backend', 'tpu'],
      /^error: --backend must be one of gpu, cpu, got "tpu"$/,
    ],
    ['missing value', (c) => ['--config', c, '--save'], /^error: --save needs a value$/],
    ['missing --config', () => ['--backend', 'cpu'], /^error: --config is required/],
    [
      'zero log-every',
      (c) => ['--config', c, '--log-every', '0'],
      /^error: --log-every must be a positive integer, got "0"$/,
    ],
  ];
  for (const [name, args, message] of argCases) {
    it.concurrent(name, async () => {
      await writeFile(file('broken.json'), '{"seed": 1,');
      expectInputError(await cli(['train', ...args(file('xor.json'))]), message);
    });
  }

  it.concurrent('unknown command names the commands', async () => {
    expectInputError(await cli(['fit', '--config', 'x.json']), /^error: unknown command "fit"; commands: train$/);
  });

  it.concurrent('--help prints usage to stdout and exits 0', async () => {
    const r = await cli(['train', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mlp-playground train --config FILE/);
    expect(r.stderr).toBe('');
  });
});

describe('train on the GPU', () => {
  it('learns XOR like the CPU reference', async (ctx) => {
    if (!adapter) ctx.skip();
    const [gpu, cpu] = await Promise.all([
      cli(['train', '--config', file('xor.json'), '--backend', 'gpu']),
      trainXor(),
    ]);
    expect(gpu.code).toBe(0);
    const g = json(gpu.stdout),
      c = json(cpu.stdout);
    expect(g.map((x) => x.step ?? 'done')).toEqual([0, 100, 200, 300, 'done']);
    expect(g.at(-1)).toMatchObject({ done: true, steps: 300, backend: 'gpu', adapter });
    for (let i = 0; i < 4; i++) expect(g[i].loss as number).toBeCloseTo(c[i].loss as number, 4);
    expect(gpu.stderr).not.toMatch(/^error/m);
  });
});

describe('no WebGPU adapter', () => {
  it('exits 3 with advice when Dawn finds no Vulkan driver', async () => {
    const r = await cli(['train', '--config', file('xor.json'), '--backend', 'gpu'], {
      env: { VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    // Dawn prints its own warnings to stderr first; ours is the last line.
    const last = lines(r.stderr).at(-1)!;
    expect(last).toMatch(/^error: no WebGPU adapter found; .*mesa-vulkan-drivers.*VK_ICD_FILENAMES.*--backend cpu$/);
    expect(r.stderr).not.toMatch(JS_STACK);
  });
});

/**
 * The GPU path of `train` in-process, on a real WebGPU device but with a stand-in engine (the
 * real one is tested elsewhere): the device reaches the engine, the adapter reaches the done
 * record, and a WebGPU error or a lost device ends the run with exit 1 instead of a hang, with
 * nothing but JSON on stdout. Skipped where Dawn finds no adapter.
 */
const gpuMode = vi.hoisted(() => ({ mode: 'ok' as 'ok' | 'error' | 'lost', device: null as GPUDevice | null }));
vi.mock('../src/engines/create', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/engines/create')>();
  return {
    ...real,
    createEngine: async (cfg: RunConfig, data: Dataset, opts: EngineOptions): Promise<Engine> => {
      if (opts.backend !== 'gpu') return real.createEngine(cfg, data, opts);
      const device = opts.device!;
      gpuMode.device = device;
      const cpu = await real.createEngine(cfg, data, { backend: 'cpu' });
      const run: Engine['run'] = (steps, onRecord, signal) => {
        if (gpuMode.mode === 'ok') return cpu.run(steps, onRecord, signal);
        if (gpuMode.mode === 'error') device.createBuffer({ size: 4, usage: 0 });
        else device.destroy();
        return new Promise<void>(() => {});
      };
      // The CPU engine in GPU clothes: everything else is delegated, whatever Engine grows to hold.
      return new Proxy(cpu, {
        get(target, key) {
          if (key === 'backend') return 'gpu';
          if (key === 'adapter') return opts.adapter;
          if (key === 'run') return run;
          const v: unknown = Reflect.get(target, key);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
});

describe('gpu path with a stand-in engine', () => {
  async function runMain(): Promise<Result> {
    let stdout = '',
      stderr = '';
    const capture =
      (append: (s: string) => void) =>
      (chunk: unknown, ...rest: unknown[]) => {
        append(String(chunk));
        const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
        cb?.();
        return true;
      };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(
      capture((s) => {
        stdout += s;
      }) as never,
    );
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(
      capture((s) => {
        stderr += s;
      }) as never,
    );
    try {
      const code = await main([
        'train',
        '--config',
        file('xor.json'),
        '--backend',
        'gpu',
        '--epochs',
        '20',
        '--log-every',
        '10',
      ]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('hands the device to the engine and reports the adapter', async (ctx) => {
    if (!adapter) ctx.skip();
    gpuMode.mode = 'ok';
    const r = await runMain();
    expect(r.code).toBe(0);
    const recs = json(r.stdout);
    expect(recs.map((x) => x.step ?? 'done')).toEqual([0, 10, 20, 'done']);
    expect(recs.at(-1)).toMatchObject({ backend: 'gpu', adapter });
    // The CLI destroys its device when done.
    expect((await gpuMode.device!.lost).reason).toBe('destroyed');
  });

  it('ends with exit 1 on an uncaptured WebGPU error', async (ctx) => {
    if (!adapter) ctx.skip();
    gpuMode.mode = 'error';
    const r = await runMain();
    expect(r.code).toBe(1);
    expect(json(r.stdout).map((x) => x.step)).toEqual([0]);
    expect(lines(r.stderr)).toEqual(['error: WebGPU error: Buffer usages must not be 0.']);
  });

  it('ends with exit 1 when the device is lost', async (ctx) => {
    if (!adapter) ctx.skip();
    gpuMode.mode = 'lost';
    const r = await runMain();
    expect(r.code).toBe(1);
    expect(json(r.stdout).map((x) => x.step)).toEqual([0]);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^error: the GPU device was lost \(/)]);
  });
});

describe('weights file format', () => {
  const cfg = parseConfig(XOR);
  const shapes = layerShapes(cfg);
  const weights = initialWeightsCpu(cfg);
  const doc = () => JSON.parse(JSON.stringify(encodeWeights(cfg, weights)));
  const decodeError = (d: unknown) => {
    try {
      decodeWeights(d, shapes);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('round-trips float32 weights exactly through JSON text', () => {
    const back = decodeWeights(doc(), shapes);
    back.forEach((w, l) => {
      expect(w.kernel).toEqual(weights[l].kernel);
      expect(w.bias).toEqual(weights[l].bias);
    });
    expect(parseConfig(doc().config)).toEqual(cfg);
  });

  it('names the field of every problem', () => {
    const d = doc();
    expect(decodeError({ ...d, version: 2 })).toBe('weights.version must be 1, got 2');
    expect(decodeError({ ...d, format: 'keras' })).toBe(
      'weights.format must be "mlp-playground-weights" (a file written by --save), got "keras"',
    );
    expect(decodeError({ ...d, layers: d.layers.slice(1) })).toBe(
      'weights.layers must have 2 layers for this config, got 1',
    );
    const short = doc();
    short.layers[1].kernel.data.pop();
    expect(decodeError(short)).toBe(
      'weights.layers[1].kernel.data must be an array of 4 numbers (shape [4, 1]), got 3 numbers',
    );
    const nan = doc();
    nan.layers[0].bias.data[2] = null;
    expect(decodeError(nan)).toBe('weights.layers[0].bias.data[2] must be a finite float32 number, got null');
    const huge = doc();
    huge.layers[0].kernel.data[0] = 1e39;
    expect(decodeError(huge)).toBe('weights.layers[0].kernel.data[0] must be a finite float32 number, got 1e+39');
    const shape = doc();
    shape.layers[1].bias.shape = [2];
    expect(decodeError(shape)).toBe('weights.layers[1].bias.shape must be [1] for this config, got [2]');
  });
});
