/**
 * @file Initializers against theory: parsing every Keras form with Keras 3's defaults and error
 * messages, the VarianceScaling arithmetic, sample moments within 4 standard errors of the exact
 * values, hard bounds, orthogonality, and the exact draw recipe the GPU kernel reproduces.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors';
import {
  INITIALIZER_NAMES,
  initializerToKeras,
  parseInitializer,
  resolveSampler,
  TRUNCATION_CORRECTION,
} from '../src/core/initializers';
import { CounterRng, Stream, toNormal, toUniform } from '../src/core/rng';
import { sampleCpu } from '../src/core/sampling';
import type { Initializer, Sampler } from '../src/core/types';

const P = 'layers[0].kernel_initializer';

/** Message of the ConfigError `fn` throws (fails the test if it throws anything else). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function moments(x: Float32Array) {
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  let s2 = 0,
    min = Infinity,
    max = -Infinity;
  for (const v of x) {
    s2 += (v - mean) * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean, std: Math.sqrt(s2 / (x.length - 1)), min, max };
}

/** Simpson's rule, for the exact moments of the truncated normal. */
function integrate(f: (x: number) => number, a: number, b: number, n = 20000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}
const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
const TN_MASS = integrate(phi, -2, 2);
/** Variance and kurtosis of a unit normal truncated to [-2, 2]. */
const TN_VAR = integrate((x) => x * x * phi(x), -2, 2) / TN_MASS;
const TN_KURT = integrate((x) => x ** 4 * phi(x), -2, 2) / TN_MASS / (TN_VAR * TN_VAR);

/**
 * Sample mean and std within 4 standard errors of theory. SE(mean) = sigma/sqrt(N);
 * SE(std) ~= sigma * sqrt((kurtosis - 1) / (4N)) (delta method on the sample variance).
 */
function expectMoments(x: Float32Array, mean: number, std: number, kurtosis: number) {
  const m = moments(x);
  const n = x.length;
  expect(Math.abs(m.mean - mean)).toBeLessThan((4 * std) / Math.sqrt(n));
  expect(Math.abs(m.std - std)).toBeLessThan(4 * std * Math.sqrt((kurtosis - 1) / (4 * n)));
  return m;
}
const KURT_NORMAL = 3,
  KURT_UNIFORM = 9 / 5;

const draw = (
  init: Initializer,
  shape: [number] | [number, number],
  seed = 1234,
  layer = 0,
  stream: number = Stream.kernel,
) => sampleCpu(resolveSampler(init, shape), shape, seed, layer, stream);

describe('parseInitializer', () => {
  it('fills Keras 3 defaults for every string identifier', () => {
    const vs = (scale: number, mode: string, distribution: string) => ({ scale, mode, distribution });
    const expected: Record<string, object> = {
      zeros: {},
      ones: {},
      constant: { value: 0 },
      random_normal: { mean: 0, stddev: 0.05 },
      random_uniform: { minval: -0.05, maxval: 0.05 },
      truncated_normal: { mean: 0, stddev: 0.05 },
      variance_scaling: vs(1, 'fan_in', 'truncated_normal'),
      glorot_uniform: vs(1, 'fan_avg', 'uniform'),
      glorot_normal: vs(1, 'fan_avg', 'truncated_normal'),
      he_uniform: vs(2, 'fan_in', 'uniform'),
      he_normal: vs(2, 'fan_in', 'truncated_normal'),
      lecun_uniform: vs(1, 'fan_in', 'uniform'),
      lecun_normal: vs(1, 'fan_in', 'truncated_normal'),
      orthogonal: { gain: 1 },
      identity: { gain: 1 },
    };
    expect([...INITIALIZER_NAMES].sort()).toEqual(Object.keys(expected).sort());
    for (const name of INITIALIZER_NAMES) {
      expect(parseInitializer(name, P)).toEqual({ name, ...expected[name] });
    }
  });

  it('accepts Keras serialized forms', () => {
    expect(parseInitializer({ class_name: 'RandomUniform', config: { minval: 0, maxval: 1 } }, P)).toEqual({
      name: 'random_uniform',
      minval: 0,
      maxval: 1,
    });
    expect(parseInitializer({ class_name: 'RandomNormal', config: { mean: 0, stddev: 1, seed: null } }, P)).toEqual({
      name: 'random_normal',
      mean: 0,
      stddev: 1,
    });
    // Keras 3 writes module and registered_name alongside.
    expect(
      parseInitializer(
        {
          module: 'keras.initializers',
          class_name: 'GlorotUniform',
          config: { seed: 42 },
          registered_name: null,
        },
        P,
      ),
    ).toEqual({ name: 'glorot_uniform', scale: 1, mode: 'fan_avg', distribution: 'uniform' });
    expect(parseInitializer({ class_name: 'HeNormal' }, P)).toEqual({
      name: 'he_normal',
      scale: 2,
      mode: 'fan_in',
      distribution: 'truncated_normal',
    });
    expect(parseInitializer({ class_name: 'truncated_normal', config: { stddev: 0.1 } }, P)).toEqual({
      name: 'truncated_normal',
      mean: 0,
      stddev: 0.1,
    });
    expect(parseInitializer({ class_name: 'IdentityInitializer', config: { gain: 3 } }, P)).toEqual({
      name: 'identity',
      gain: 3,
    });
    expect(parseInitializer({ class_name: 'Orthogonal', config: { gain: 2, seed: null } }, P)).toEqual({
      name: 'orthogonal',
      gain: 2,
    });
    expect(parseInitializer({ class_name: 'Constant', config: { value: -1.5 } }, P)).toEqual({
      name: 'constant',
      value: -1.5,
    });
    expect(parseInitializer('GlorotNormal', P).name).toBe('glorot_normal');
    // Keras maps its legacy 'normal' distribution to 'truncated_normal' (case-insensitively).
    expect(
      parseInitializer(
        {
          class_name: 'VarianceScaling',
          config: { scale: 2, mode: 'fan_out', distribution: 'Normal' },
        },
        P,
      ),
    ).toEqual({ name: 'variance_scaling', scale: 2, mode: 'fan_out', distribution: 'truncated_normal' });
  });

  it('accepts the flat {name, ...params} form', () => {
    expect(parseInitializer({ name: 'random_normal', stddev: 1 }, P)).toEqual({
      name: 'random_normal',
      mean: 0,
      stddev: 1,
    });
    expect(parseInitializer({ name: 'variance_scaling', distribution: 'untruncated_normal', seed: 3 }, P)).toEqual({
      name: 'variance_scaling',
      scale: 1,
      mode: 'fan_in',
      distribution: 'untruncated_normal',
    });
  });

  it('rejects bad names, parameters and keys with the path and the allowed values', () => {
    expect(errorOf(() => parseInitializer('glorot', P))).toBe(
      `${P} must be one of zeros, ones, constant, random_normal, random_uniform, truncated_normal, ` +
        'variance_scaling, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, ' +
        'lecun_normal, orthogonal, identity, got "glorot"',
    );
    expect(errorOf(() => parseInitializer({ class_name: 'Glorot' }, P))).toMatch(
      /^layers\[0\]\.kernel_initializer\.class_name must be one of zeros, .*got "Glorot"$/,
    );
    expect(errorOf(() => parseInitializer({ class_name: 'RandomNormal', config: { stddev: -1 } }, P))).toBe(
      `${P}.config.stddev must be a positive number, got -1`,
    );
    expect(errorOf(() => parseInitializer({ name: 'truncated_normal', stddev: 0 }, P))).toBe(
      `${P}.stddev must be a positive number, got 0`,
    );
    expect(
      errorOf(() => parseInitializer({ class_name: 'RandomUniform', config: { minval: 1, maxval: 1 } }, P)),
    ).toMatch(/^layers\[0\]\.kernel_initializer\.config\.minval must be less than maxval/);
    expect(errorOf(() => parseInitializer({ name: 'random_uniform', minval: 0.1 }, P))).toMatch(
      /\.minval must be less than maxval/,
    );
    expect(errorOf(() => parseInitializer({ class_name: 'VarianceScaling', config: { mode: 'x' } }, P))).toBe(
      `${P}.config.mode must be one of fan_in, fan_out, fan_avg, got "x"`,
    );
    expect(errorOf(() => parseInitializer({ name: 'variance_scaling', distribution: 'gaussian' }, P))).toBe(
      `${P}.distribution must be one of truncated_normal, untruncated_normal, uniform, normal, got "gaussian"`,
    );
    expect(errorOf(() => parseInitializer({ name: 'variance_scaling', scale: -2 }, P))).toBe(
      `${P}.scale must be a positive number, got -2`,
    );
    expect(errorOf(() => parseInitializer({ name: 'constant', value: 'one' }, P))).toBe(
      `${P}.value must be a number, got "one"`,
    );
    expect(errorOf(() => parseInitializer({ name: 'orthogonal', gain: null }, P))).toBe(
      `${P}.gain must be a number, got null`,
    );
    // Keras' presets take only a seed.
    expect(errorOf(() => parseInitializer({ class_name: 'GlorotUniform', config: { scale: 2 } }, P))).toBe(
      `${P}.config.scale is not a parameter of glorot_uniform (it accepts seed)`,
    );
    expect(errorOf(() => parseInitializer({ name: 'random_normal', stdev: 1 }, P))).toBe(
      `${P}.stdev is not a parameter of random_normal (it accepts seed, mean, stddev)`,
    );
    expect(errorOf(() => parseInitializer({ class_name: 'Zeros', config: {}, extra: 1 }, P))).toMatch(
      /^layers\[0\]\.kernel_initializer\.extra is not allowed/,
    );
    expect(errorOf(() => parseInitializer({ class_name: 'Zeros', config: [] }, P))).toBe(
      `${P}.config must be an object, got []`,
    );
    expect(errorOf(() => parseInitializer({ stddev: 1 }, P))).toMatch(/must have a class_name or a name/);
    expect(errorOf(() => parseInitializer(3, P))).toBe(`${P} must be an initializer name or object, got 3`);
    expect(errorOf(() => parseInitializer('nope', ''))).toMatch(/^must be one of zeros/);
  });
});

describe('initializerToKeras', () => {
  const samples: Initializer[] = [
    ...INITIALIZER_NAMES.map((n) => parseInitializer(n, '')),
    { name: 'constant', value: 0.25 },
    { name: 'random_normal', mean: -1, stddev: 3 },
    { name: 'random_uniform', minval: 0, maxval: 1 },
    { name: 'truncated_normal', mean: 2, stddev: 0.5 },
    { name: 'variance_scaling', scale: 0.5, mode: 'fan_avg', distribution: 'untruncated_normal' },
    { name: 'orthogonal', gain: 1.5 },
    { name: 'identity', gain: -2 },
  ];

  it('round-trips through parseInitializer, also via JSON', () => {
    for (const init of samples) {
      const k = initializerToKeras(init);
      expect(parseInitializer(k, P)).toEqual(init);
      expect(parseInitializer(JSON.parse(JSON.stringify(k)), P)).toEqual(init);
    }
  });

  it("writes Keras' class names and configs", () => {
    expect(initializerToKeras(parseInitializer('he_uniform', ''))).toEqual({
      class_name: 'HeUniform',
      config: { seed: null },
    });
    expect(initializerToKeras({ name: 'random_uniform', minval: 0, maxval: 1 })).toEqual({
      class_name: 'RandomUniform',
      config: { minval: 0, maxval: 1, seed: null },
    });
    expect(initializerToKeras({ name: 'zeros' })).toEqual({ class_name: 'Zeros', config: {} });
    // A preset name carrying non-preset parameters can only be written as VarianceScaling.
    const odd: Initializer = { name: 'glorot_uniform', scale: 3, mode: 'fan_avg', distribution: 'uniform' };
    expect(initializerToKeras(odd)).toEqual({
      class_name: 'VarianceScaling',
      config: { scale: 3, mode: 'fan_avg', distribution: 'uniform', seed: null },
    });
    expect(resolveSampler(parseInitializer(initializerToKeras(odd), ''), [4, 6])).toEqual(resolveSampler(odd, [4, 6]));
  });
});

describe('resolveSampler', () => {
  const vs = (
    scale: number,
    mode: 'fan_in' | 'fan_out' | 'fan_avg',
    distribution: 'truncated_normal' | 'untruncated_normal' | 'uniform',
  ): Initializer => ({ name: 'variance_scaling', scale, mode, distribution });

  it("follows Keras' compute_fans and VarianceScaling arithmetic", () => {
    expect(resolveSampler(parseInitializer('glorot_uniform', ''), [400, 600])).toEqual({
      kind: 'uniform',
      min: -Math.sqrt(6 / 1000),
      max: Math.sqrt(6 / 1000),
    });
    const he = resolveSampler(parseInitializer('he_normal', ''), [400, 600]) as Extract<
      Sampler,
      { kind: 'truncated_normal' }
    >;
    expect(he.kind).toBe('truncated_normal');
    expect(he.mean).toBe(0);
    expect(he.stddev).toBeCloseTo(Math.sqrt(2 / 400) / 0.87962566103423978, 15);
    const out = resolveSampler(vs(3, 'fan_out', 'untruncated_normal'), [400, 600]);
    expect(out).toEqual({ kind: 'normal', mean: 0, stddev: Math.sqrt(3 / 600) });
    // A bias is 1-D: fan_in = fan_out = units.
    expect(resolveSampler(parseInitializer('lecun_uniform', ''), [50])).toEqual({
      kind: 'uniform',
      min: -Math.sqrt(3 / 50),
      max: Math.sqrt(3 / 50),
    });
    expect(resolveSampler({ name: 'ones' }, [3])).toEqual({ kind: 'constant', value: 1 });
    expect(resolveSampler({ name: 'zeros' }, [3, 2])).toEqual({ kind: 'constant', value: 0 });
    expect(resolveSampler({ name: 'constant', value: 7 }, [3])).toEqual({ kind: 'constant', value: 7 });
    expect(resolveSampler({ name: 'orthogonal', gain: 2 }, [3, 2])).toEqual({ kind: 'orthogonal', gain: 2 });
  });

  it("uses Keras' truncation constant, the std of a unit normal truncated at 2", () => {
    expect(Math.sqrt(TN_VAR)).toBeCloseTo(TRUNCATION_CORRECTION, 12);
  });

  it('rejects matrix initializers on a bias', () => {
    expect(errorOf(() => resolveSampler({ name: 'orthogonal', gain: 1 }, [10], 'layers[2].bias_initializer'))).toBe(
      'layers[2].bias_initializer orthogonal needs a 2-D kernel; it cannot initialize a bias',
    );
    expect(errorOf(() => resolveSampler({ name: 'identity', gain: 1 }, [10]))).toBe(
      'identity needs a 2-D kernel; it cannot initialize a bias',
    );
    expect(errorOf(() => sampleCpu({ kind: 'orthogonal', gain: 1 }, [10], 1, 0, Stream.bias))).toBe(
      'orthogonal needs a 2-D kernel; it cannot initialize a bias',
    );
  });
});

describe('sampleCpu against theory', () => {
  const SHAPE: [number, number] = [400, 600];

  it('constant, zeros and ones fill exactly', () => {
    expect(draw({ name: 'zeros' }, [7, 3]).every((v) => v === 0)).toBe(true);
    expect(draw({ name: 'ones' }, [5]).every((v) => v === 1)).toBe(true);
    expect(draw({ name: 'constant', value: 0.5 }, [4, 4]).every((v) => v === 0.5)).toBe(true);
  });

  it('random_uniform: moments and [min, max) bounds, minval 0 kept', () => {
    for (const [minval, maxval] of [
      [0, 1],
      [-3, 5],
      [-0.05, 0.05],
    ]) {
      const x = draw({ name: 'random_uniform', minval, maxval }, SHAPE);
      const m = expectMoments(x, (minval + maxval) / 2, (maxval - minval) / Math.sqrt(12), KURT_UNIFORM);
      expect(m.min).toBeGreaterThanOrEqual(Math.fround(minval));
      expect(m.max).toBeLessThan(Math.fround(maxval));
      // Range actually covered: within 1e-4 of both ends with 240k draws.
      expect(m.min - minval).toBeLessThan(1e-4 * (maxval - minval));
      expect(maxval - m.max).toBeLessThan(1e-4 * (maxval - minval));
    }
  });

  it('random_normal: moments', () => {
    const x = draw({ name: 'random_normal', mean: 0.3, stddev: 2 }, SHAPE);
    const m = expectMoments(x, 0.3, 2, KURT_NORMAL);
    // Not truncated: 240k draws reach past 4 sigma.
    expect(Math.max(m.max - 0.3, 0.3 - m.min)).toBeGreaterThan(4 * 2);
  });

  it('truncated_normal: moments and mean +- 2 stddev bounds', () => {
    for (const [mean, stddev] of [
      [0, 0.05],
      [1, 0.5],
    ]) {
      const x = draw({ name: 'truncated_normal', mean, stddev }, SHAPE);
      const m = expectMoments(x, mean, stddev * Math.sqrt(TN_VAR), TN_KURT);
      const bound = 2 * Math.fround(stddev) * (1 + 1e-6);
      expect(m.max - mean).toBeLessThanOrEqual(bound);
      expect(mean - m.min).toBeLessThanOrEqual(bound);
      expect(m.max - mean).toBeGreaterThan(0.99 * 2 * stddev);
    }
  });

  it('uniform presets: std sqrt(scale/n), inside +-sqrt(3 scale/n)', () => {
    const [fanIn, fanOut] = SHAPE;
    const cases: [string, number][] = [
      ['glorot_uniform', 1 / ((fanIn + fanOut) / 2)],
      ['he_uniform', 2 / fanIn],
      ['lecun_uniform', 1 / fanIn],
    ];
    for (const [name, variance] of cases) {
      const x = draw(parseInitializer(name, ''), SHAPE);
      const m = expectMoments(x, 0, Math.sqrt(variance), KURT_UNIFORM);
      const limit = Math.fround(Math.sqrt(3 * variance));
      expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(limit);
    }
    // Glorot's classic bound.
    const g = moments(draw(parseInitializer('glorot_uniform', ''), SHAPE));
    expect(Math.max(-g.min, g.max)).toBeLessThanOrEqual(Math.fround(Math.sqrt(6 / (fanIn + fanOut))));
  });

  it("truncated presets: Keras' correction makes the std exactly sqrt(scale/n)", () => {
    const [fanIn, fanOut] = SHAPE;
    const cases: [Initializer, number][] = [
      [parseInitializer('glorot_normal', ''), 1 / ((fanIn + fanOut) / 2)],
      [parseInitializer('he_normal', ''), 2 / fanIn],
      [parseInitializer('lecun_normal', ''), 1 / fanIn],
      [parseInitializer('variance_scaling', ''), 1 / fanIn],
      [parseInitializer({ name: 'variance_scaling', scale: 3, mode: 'fan_out' }, ''), 3 / fanOut],
    ];
    for (const [init, variance] of cases) {
      const x = draw(init, SHAPE);
      const std = Math.sqrt(variance);
      const m = expectMoments(x, 0, std, TN_KURT);
      const bound = 2 * Math.fround(std / TRUNCATION_CORRECTION);
      expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(bound);
    }
  });

  it('variance_scaling on a 1000x1000 kernel, all three distributions', () => {
    const shape: [number, number] = [1000, 1000];
    const variance = 2 / 1000;
    const std = Math.sqrt(variance);
    const kurt = { truncated_normal: TN_KURT, untruncated_normal: KURT_NORMAL, uniform: KURT_UNIFORM } as const;
    for (const distribution of ['truncated_normal', 'untruncated_normal', 'uniform'] as const) {
      const x = draw({ name: 'variance_scaling', scale: 2, mode: 'fan_avg', distribution }, shape, 99, 3);
      expectMoments(x, 0, std, kurt[distribution]);
    }
  });

  it('bias draws use fan_in = fan_out = units', () => {
    const x = draw(parseInitializer('he_uniform', ''), [100_000], 5, 1, Stream.bias);
    expectMoments(x, 0, Math.sqrt(2 / 100_000), KURT_UNIFORM);
  });
});

describe('orthogonal and identity', () => {
  /** (W^T W or W W^T) - gain^2 I, largest absolute entry, in float64. */
  function gramError(w: Float32Array, rows: number, cols: number, gain: number): number {
    const tall = rows >= cols;
    const k = Math.min(rows, cols),
      m = Math.max(rows, cols);
    const at = (i: number, j: number) => (tall ? w[i * cols + j] : w[j * cols + i]); // (m, k) view
    let worst = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += at(i, a) * at(i, b);
        worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
      }
    }
    return worst;
  }

  /**
   * Keras' result is unique: Q from the QR of the drawn normal matrix A with R's diagonal made
   * positive. So Q^T A must be upper triangular with a positive diagonal.
   */
  function expectKerasQ(
    w: Float32Array,
    rows: number,
    cols: number,
    gain: number,
    seed: number,
    layer: number,
    stream: number,
  ) {
    const m = Math.max(rows, cols),
      k = Math.min(rows, cols);
    const rng = new CounterRng(seed, layer, stream);
    const a = (i: number, j: number) => {
      const x = rng.words(i * k + j, 0);
      return toNormal(x[0], x[1]);
    };
    const q = (i: number, j: number) => (rows >= cols ? w[i * cols + j] : w[j * cols + i]) / gain;
    const A = Array.from({ length: m }, (_, i) => Array.from({ length: k }, (_, j) => a(i, j)));
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += q(i, r) * A[i][c];
        if (r === c) expect(s).toBeGreaterThan(1e-6);
        else if (r > c) expect(Math.abs(s)).toBeLessThan(1e-4);
      }
    }
  }

  it('tall, wide and square kernels are orthogonal, with gain applied', () => {
    for (const [rows, cols, gain] of [
      [600, 400, 1],
      [400, 600, 1],
      [300, 300, 2.5],
      [5, 3, -1],
    ] as const) {
      const w = draw({ name: 'orthogonal', gain }, [rows, cols], 77, 2);
      expect(w.length).toBe(rows * cols);
      expect(gramError(w, rows, cols, gain)).toBeLessThan(2e-5 * gain * gain);
    }
  });

  it("equals Keras' sign-fixed Q of the drawn normal matrix", () => {
    for (const [rows, cols] of [
      [40, 25],
      [25, 40],
      [6, 6],
    ] as const) {
      expectKerasQ(draw({ name: 'orthogonal', gain: 1 }, [rows, cols], 8, 1), rows, cols, 1, 8, 1, Stream.kernel);
    }
    expectKerasQ(draw({ name: 'orthogonal', gain: 3 }, [30, 12], 8, 1), 30, 12, 3, 8, 1, Stream.kernel);
  });

  it('a 1000x1000 orthogonal kernel', () => {
    const w = draw({ name: 'orthogonal', gain: 1 }, [1000, 1000], 11, 0);
    // Rows of an orthogonal matrix are unit vectors: spot-check a few, and entries are ~N(0, 1/n).
    for (const r of [0, 499, 999]) {
      let s = 0;
      for (let j = 0; j < 1000; j++) s += w[r * 1000 + j] ** 2;
      expect(s).toBeCloseTo(1, 5);
    }
    const m = moments(w);
    expect(Math.abs(m.mean)).toBeLessThan((4 * Math.sqrt(1 / 1000)) / 1000);
  }, 60_000);

  it('identity is gain * eye(rows, cols), non-square allowed', () => {
    for (const [rows, cols] of [
      [3, 5],
      [5, 3],
      [4, 4],
    ] as const) {
      const w = draw({ name: 'identity', gain: 2 }, [rows, cols]);
      const expected = new Float32Array(rows * cols);
      for (let i = 0; i < Math.min(rows, cols); i++) expected[i * cols + i] = 2;
      expect(w).toEqual(expected);
    }
  });
});

describe('the draw recipe', () => {
  const kinds: Initializer[] = [
    { name: 'random_uniform', minval: -1, maxval: 2 },
    { name: 'random_normal', mean: 0, stddev: 1 },
    { name: 'truncated_normal', mean: 0, stddev: 1 },
    { name: 'orthogonal', gain: 1 },
  ];

  it('is reproducible bit for bit and differs by seed, layer and stream', () => {
    for (const init of kinds) {
      const base = draw(init, [20, 30], 5, 1, Stream.kernel);
      expect(draw(init, [20, 30], 5, 1, Stream.kernel)).toEqual(base);
      for (const other of [
        draw(init, [20, 30], 6, 1, Stream.kernel),
        draw(init, [20, 30], 5, 2, Stream.kernel),
        draw(init, [20, 30], 5, 1, Stream.bias),
      ]) {
        const same = base.filter((v, i) => v === other[i]).length;
        expect(same).toBeLessThan(5);
      }
    }
    // Seeds beyond 32 bits use the high key word.
    const lo = draw(kinds[0], [10], 1, 0, 0);
    expect(draw(kinds[0], [10], 1 + 2 ** 32, 0, 0)).not.toEqual(lo);
  });

  it('indexes row-major and uses the float32 steps the GPU uses', () => {
    const seed = 31,
      layer = 4,
      rows = 7,
      cols = 9;
    const rng = new CounterRng(seed, layer, Stream.kernel);
    const f = Math.fround;
    const u = draw({ name: 'random_uniform', minval: -1, maxval: 2 }, [rows, cols], seed, layer);
    const n = draw({ name: 'random_normal', mean: 0.5, stddev: 3 }, [rows, cols], seed, layer);
    for (const [r, c] of [
      [0, 0],
      [2, 5],
      [6, 8],
    ]) {
      const e = r * cols + c;
      expect(u[e]).toBe(f(-1 + f(f(2 - -1) * toUniform(rng.words(e, 0)[0]))));
      const w = rng.words(e, 0);
      expect(n[e]).toBe(f(0.5 + 3 * toNormal(w[0], w[1])));
    }
  });

  it('truncated_normal redraws with the next attempt when |z| > 2', () => {
    const seed = 12,
      rng = new CounterRng(seed, 0, Stream.kernel);
    const zAt = (e: number, a: number) => {
      const w = rng.words(e, a);
      return toNormal(w[0], w[1]);
    };
    // Find elements whose first draw is rejected.
    const rejected: number[] = [];
    for (let e = 0; rejected.length < 5; e++) if (Math.abs(zAt(e, 0)) > 2) rejected.push(e);
    const x = sampleCpu({ kind: 'truncated_normal', mean: 0, stddev: 1 }, [rejected[4] + 1], seed, 0, Stream.kernel);
    for (const e of rejected) {
      let a = 0;
      while (Math.abs(zAt(e, a)) > 2) a++;
      expect(a).toBeGreaterThan(0);
      expect(x[e]).toBe(zAt(e, a));
    }
  });
});
