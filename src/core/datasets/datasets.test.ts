/**
 * @file Checks the datasets against the numbers they are built to have: exact XOR, the
 * playground geometry of the 2-D sets, moments of `random`, the split, target encoding, and
 * the MNIST binary round trip.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import type { Dataset, DatasetConfig, DatasetName } from '../types';
import { DATASET_INFO, decodeMnist, loadDataset, targetsFor } from './index';

const cfg = (name: DatasetName, over: Partial<DatasetConfig> = {}): DatasetConfig => ({
  name,
  samples: 500,
  noise: 0,
  dim: 2,
  classes: 2,
  test_fraction: 0,
  ...over,
});

async function train(c: DatasetConfig, seed = 1): Promise<Dataset> {
  const { train, test } = await loadDataset(c, seed);
  expect(test).toBeNull();
  return train;
}

function count(labels: Uint32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

describe('xor', () => {
  it('is the four corners with XOR labels, ignoring samples and noise', async () => {
    const ds = await train(cfg('xor', { samples: 999, noise: 0.5 }));
    expect(Array.from(ds.x)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(ds.labels)).toEqual([0, 1, 1, 0]);
    expect([ds.n, ds.inputDim, ds.classes]).toEqual([4, 2, 2]);
  });
  it('refuses a test split', async () => {
    await expect(loadDataset(cfg('xor', { test_fraction: 0.25 }), 1)).rejects.toThrow(ConfigError);
    await expect(loadDataset(cfg('xor', { test_fraction: 0.25 }), 1)).rejects.toThrow(
      'dataset.test_fraction must be 0 for xor (it has only 4 points), got 0.25',
    );
  });
});

describe('2-D playground sets', () => {
  it('have the requested count and half of each class', async () => {
    for (const name of ['circle', 'xor2d', 'gauss', 'spiral'] as const) {
      const ds = await train(cfg(name, { samples: 400 }));
      expect([ds.n, ds.x.length, ds.inputDim, ds.classes]).toEqual([400, 800, 2, 2]);
      const c = count(ds.labels, 2);
      if (name === 'xor2d') {
        // Labels come from the quadrant of a uniform point: binomial(400, 1/2), sd 10.
        expect(Math.abs(c[1] - 200)).toBeLessThan(50);
      } else {
        expect(c).toEqual([200, 200]);
      }
    }
    const odd = await train(cfg('spiral', { samples: 7 }));
    expect(count(odd.labels, 2)).toEqual([3, 4]);
  });

  it('circle at noise 0: class 1 inside radius 2.5, class 0 in the ring [3.5, 5]', async () => {
    const ds = await train(cfg('circle', { samples: 2000 }));
    let maxIn = 0,
      minOut = Infinity,
      maxOut = 0;
    for (let i = 0; i < ds.n; i++) {
      const r = Math.hypot(ds.x[2 * i], ds.x[2 * i + 1]);
      if (ds.labels[i] === 1) maxIn = Math.max(maxIn, r);
      else {
        minOut = Math.min(minOut, r);
        maxOut = Math.max(maxOut, r);
      }
    }
    expect(maxIn).toBeLessThan(2.5);
    expect(maxIn).toBeGreaterThan(2.45);
    expect(minOut).toBeGreaterThanOrEqual(3.5 - 1e-6);
    expect(minOut).toBeLessThan(3.55);
    expect(maxOut).toBeLessThanOrEqual(5 + 1e-6);
    expect(maxOut).toBeGreaterThan(4.95);
  });

  it('circle with noise keeps points but flips some labels', async () => {
    const clean = await train(cfg('circle', { samples: 2000 }));
    const noisy = await train(cfg('circle', { samples: 2000, noise: 0.5 }));
    expect(noisy.x).toEqual(clean.x);
    let flips = 0;
    for (let i = 0; i < clean.n; i++) if (clean.labels[i] !== noisy.labels[i]) flips++;
    expect(flips).toBeGreaterThan(200);
    expect(flips).toBeLessThan(1500);
  });

  it('xor2d at noise 0: inside [-5.3, 5.3], 0.3 off both axes, class 1 where x*y >= 0', async () => {
    const ds = await train(cfg('xor2d', { samples: 2000 }));
    for (let i = 0; i < ds.n; i++) {
      const x = ds.x[2 * i],
        y = ds.x[2 * i + 1];
      expect(Math.abs(x)).toBeLessThanOrEqual(5.3 + 1e-6);
      expect(Math.abs(x)).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(Math.abs(y)).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(ds.labels[i]).toBe(x * y >= 0 ? 1 : 0);
    }
  });

  it('gauss: class means near (2, 2) and (-2, -2), variance 0.5 at noise 0 and 4 at noise 0.5', async () => {
    for (const [noise, variance] of [
      [0, 0.5],
      [0.5, 4],
    ]) {
      const ds = await train(cfg('gauss', { samples: 20000, noise }));
      const sum = [
          [0, 0],
          [0, 0],
        ],
        sq = [0, 0];
      for (let i = 0; i < ds.n; i++) {
        const l = ds.labels[i],
          c = l === 1 ? 2 : -2;
        sum[l][0] += ds.x[2 * i];
        sum[l][1] += ds.x[2 * i + 1];
        sq[l] += (ds.x[2 * i] - c) ** 2 + (ds.x[2 * i + 1] - c) ** 2;
      }
      const half = ds.n / 2;
      expect(sum[1][0] / half).toBeCloseTo(2, 1);
      expect(sum[1][1] / half).toBeCloseTo(2, 1);
      expect(sum[0][0] / half).toBeCloseTo(-2, 1);
      expect(sum[0][1] / half).toBeCloseTo(-2, 1);
      expect(sq[0] / (2 * half) / variance).toBeCloseTo(1, 1);
      expect(sq[1] / (2 * half) / variance).toBeCloseTo(1, 1);
    }
  });

  it('spiral at noise 0: radius grows from 0 to just under 5, the two arms opposite', async () => {
    const ds = await train(cfg('spiral', { samples: 200 }));
    const n1 = 100;
    for (let j = 0; j < n1; j++) {
      const a = [ds.x[2 * j], ds.x[2 * j + 1]],
        b = [ds.x[2 * (n1 + j)], ds.x[2 * (n1 + j) + 1]];
      expect(Math.hypot(a[0], a[1])).toBeCloseTo((j / n1) * 5, 5);
      expect(b[0]).toBeCloseTo(-a[0], 5);
      expect(b[1]).toBeCloseTo(-a[1], 5);
    }
    const noisy = await train(cfg('spiral', { samples: 200, noise: 0.5 }));
    let maxDev = 0;
    for (let i = 0; i < ds.x.length; i++) maxDev = Math.max(maxDev, Math.abs(noisy.x[i] - ds.x[i]));
    expect(maxDev).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(maxDev).toBeGreaterThan(0.45);
  });

  it('same seed gives identical data, a different seed different data', async () => {
    for (const name of ['circle', 'xor2d', 'gauss', 'spiral', 'random'] as const) {
      const c = cfg(name, { noise: 0.2, dim: 3, classes: 4 });
      const a = await train(c, 7),
        b = await train(c, 7),
        d = await train(c, 8);
      expect(new Uint8Array(a.x.buffer)).toEqual(new Uint8Array(b.x.buffer));
      expect(a.labels).toEqual(b.labels);
      expect(a.x).not.toEqual(d.x);
    }
  });
});

describe('random', () => {
  it('has N(0, 1) inputs and uniform labels', async () => {
    const ds = await train(cfg('random', { samples: 20000, dim: 8, classes: 5 }));
    expect([ds.n, ds.inputDim, ds.classes, ds.x.length]).toEqual([20000, 8, 5, 160000]);
    for (let j = 0; j < 8; j++) {
      let s = 0,
        s2 = 0;
      for (let i = 0; i < ds.n; i++) {
        const v = ds.x[i * 8 + j];
        s += v;
        s2 += v * v;
      }
      const mean = s / ds.n;
      expect(Math.abs(mean)).toBeLessThan(0.03); // sd of the mean is 0.007
      expect(Math.abs(s2 / ds.n - mean * mean - 1)).toBeLessThan(0.05); // sd 0.01
    }
    for (const c of count(ds.labels, 5)) expect(Math.abs(c - 4000)).toBeLessThan(250); // sd 57
  });
});

describe('split', () => {
  it('holds out round(n * test_fraction) rows and keeps every row exactly once', async () => {
    const c = cfg('random', { samples: 1001, dim: 3, classes: 3, test_fraction: 0.2 });
    const full = await train({ ...c, test_fraction: 0 }, 5);
    const { train: tr, test } = await loadDataset(c, 5);
    expect(test).not.toBeNull();
    expect([tr.n, test!.n]).toEqual([801, 200]);
    expect([tr.x.length, test!.x.length]).toEqual([801 * 3, 200 * 3]);
    // Rows are unique (continuous normals), so map each back to its original index.
    const index = new Map<string, number>();
    for (let i = 0; i < full.n; i++) index.set(Array.from(full.x.subarray(3 * i, 3 * i + 3)).join(), i);
    const seen = new Set<number>();
    for (const part of [tr, test!]) {
      for (let i = 0; i < part.n; i++) {
        const r = index.get(Array.from(part.x.subarray(3 * i, 3 * i + 3)).join());
        expect(r).toBeDefined();
        expect(part.labels[i]).toBe(full.labels[r!]);
        seen.add(r!);
      }
    }
    expect(seen.size).toBe(1001);
  });
  it('gives test null when nothing rounds into it', async () => {
    const { test } = await loadDataset(cfg('gauss', { samples: 10, test_fraction: 0.04 }), 1);
    expect(test).toBeNull();
  });
});

describe('targetsFor', () => {
  it('encodes one unit as the 0/1 label and several as one-hot', () => {
    const labels = new Uint32Array([0, 1, 1, 0]);
    expect(Array.from(targetsFor(labels, 1))).toEqual([0, 1, 1, 0]);
    expect(Array.from(targetsFor(labels, 2))).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
    expect(Array.from(targetsFor(new Uint32Array([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => targetsFor(new Uint32Array([2]), 1)).toThrow(/label 2/);
    expect(() => targetsFor(new Uint32Array([3]), 3)).toThrow(/3 units/);
  });
});

describe('DATASET_INFO', () => {
  it('matches what the generators produce', async () => {
    for (const name of ['xor', 'circle', 'xor2d', 'gauss', 'spiral'] as const) {
      const ds = await train(cfg(name, { samples: 10 }));
      expect([DATASET_INFO[name].inputDim, DATASET_INFO[name].classes]).toEqual([ds.inputDim, ds.classes]);
    }
    expect(DATASET_INFO.random.inputDim).toBeNull();
    expect(DATASET_INFO.mnist).toMatchObject({ inputDim: 784, classes: 10 });
  });
});

describe('mnist', () => {
  const script = new URL('../../../scripts/build-mnist.js', import.meta.url).href;
  const binPath = new URL('../../../public/data/mnist.bin', import.meta.url);

  it('builds the binary once, then skips', async () => {
    const mod = (await import(/* @vite-ignore */ script)) as {
      buildMnist(o?: { force?: boolean }): Promise<{ count: number; skipped: boolean }>;
    };
    const first = await mod.buildMnist();
    expect(first.count).toBe(10000);
    const again = await mod.buildMnist();
    expect(again).toMatchObject({ count: 10000, skipped: true });
    const bytes = await readFile(binPath);
    expect(bytes.length).toBe(16 + 785 * 10000);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('MNST');
  });

  it('loads 10,000 digits in [0, 1] with about 1,000 of each class', async () => {
    const { train: ds } = await loadDataset(cfg('mnist', { samples: 10000 }), 1);
    expect([ds.n, ds.inputDim, ds.classes, ds.x.length]).toEqual([10000, 784, 10, 7840000]);
    let min = Infinity,
      max = -Infinity;
    for (const v of ds.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    for (const c of count(ds.labels, 10)) {
      expect(c).toBeGreaterThan(850);
      expect(c).toBeLessThan(1150);
    }
    // Interleaved: the first ten rows are one of each digit.
    expect(Array.from(ds.labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('takes the first `samples` rows, uses opts.mnist and splits', async () => {
    const bytes = await readFile(binPath);
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    const full = decodeMnist(buf);
    const { train: tr, test } = await loadDataset(cfg('mnist', { samples: 1000, test_fraction: 0.1 }), 3, {
      mnist: async () => buf,
    });
    expect([tr.n, test!.n]).toEqual([900, 100]);
    const c = count(new Uint32Array([...tr.labels, ...test!.labels]), 10);
    expect(c).toEqual(count(full.labels.subarray(0, 1000), 10));
    for (const k of c) expect(k).toBe(100);
  });

  it('rejects a corrupted file with a clear error', async () => {
    const bytes = new Uint8Array(await readFile(binPath));
    const broken = bytes.slice();
    broken[0] = 'X'.charCodeAt(0);
    expect(() => decodeMnist(broken.buffer)).toThrow('mnist.bin: bad magic "XNST", expected "MNST"');
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(4, 2, true);
    expect(() => decodeMnist(v2.buffer)).toThrow(/unsupported version 2/);
    expect(() => decodeMnist(bytes.slice(0, 1000).buffer)).toThrow(/1000 bytes, expected 7850016/);
    expect(() => decodeMnist(new ArrayBuffer(8))).toThrow(/shorter than the 16-byte header/);
  });
});
