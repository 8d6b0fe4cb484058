/**
 * @file The URL codec: every property round-trips, links stay short, and a bad link falls back
 * to defaults with a message that names the field.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { parseInitializer } from '../core/initializers';
import { formatInitSpec, initLabel, parseInitList } from './initializer-spec';
import { compactConfigJSON, decodeUrl, defaultState, encodeHash } from './url-state';

const deep = parseConfig({
  seed: 42,
  dataset: { name: 'spiral', samples: 300, noise: 0.2, test_fraction: 0.1 },
  layers: [
    ...Array.from({ length: 50 }, () => ({ units: 1024, activation: 'relu', kernel_initializer: 'he_normal' })),
    {
      units: 8,
      activation: { name: 'leaky_relu', alpha: 0.1 },
      kernel_initializer: { class_name: 'RandomNormal', config: { stddev: 0.3 } },
      bias_initializer: 'ones',
    },
    { units: 2, activation: 'softmax' },
  ],
  loss: 'categorical_crossentropy',
  optimizer: { name: 'adam', learning_rate: 0.003, beta_2: 0.99 },
  batch_size: 64,
  epochs: 7,
  log_every: 3,
});

describe('url state', () => {
  it('round-trips every property', () => {
    const s = {
      ...defaultState(),
      config: deep,
      backend: 'cpu' as const,
      mode: 'compare' as const,
      compare: parseInitList('zeros,random_normal:stddev=0.01,variance_scaling:scale=2:mode=fan_in'),
      target: 0.05,
      lesson: 'xor',
    };
    const back = decodeUrl(encodeHash(s));
    expect(back.errors).toEqual([]);
    expect(back.state.config).toEqual(deep);
    expect(back.state).toMatchObject({ backend: 'cpu', mode: 'compare', target: 0.05, lesson: 'xor', run: false });
    expect(back.state.compare).toEqual(s.compare);
  });

  it('keeps a 52-layer network link to about 100 characters a layer', () => {
    expect(encodeHash({ ...defaultState(), config: deep }).length).toBeLessThan(110 * 52);
  });

  it('writes compact JSON that parses to the same config', () => {
    const c = compactConfigJSON(deep);
    expect((c.layers as unknown[])[0]).toEqual({ units: 1024, activation: 'relu', kernel_initializer: 'he_normal' });
    expect(parseConfig(c)).toEqual(deep);
  });

  it('accepts ?config= with plain JSON and run=1', () => {
    const json = JSON.stringify({
      dataset: 'xor',
      layers: [
        { units: 2, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
    });
    const { state, errors } = decodeUrl('', `?config=${encodeURIComponent(json)}&run=1`);
    expect(errors).toEqual([]);
    expect(state.config.dataset.name).toBe('xor');
    expect(state.run).toBe(true);
  });

  it('falls back to defaults and names the field of a bad config', () => {
    const bad = JSON.stringify({ dataset: 'xor', layers: [{ units: 0 }] });
    const r = decodeUrl(`#config=${encodeURIComponent(bad)}`);
    expect(r.state.config).toEqual(defaultState().config);
    expect(r.errors).toEqual(['layers[0].units must be an integer from 1 to 8192, got 0']);
  });

  it('reports bad JSON, bad base64 and bad small properties', () => {
    expect(decodeUrl('?config=%7Bnope').errors[0]).toMatch(/^config is not valid JSON/);
    expect(decodeUrl('#c=***').errors[0]).toMatch(/^config is not valid base64url/);
    expect(decodeUrl('#backend=tpu&target=-1').errors).toEqual([
      'backend must be one of gpu, cpu, got "tpu"',
      'target must be a positive number, got "-1"',
    ]);
    expect(decodeUrl('#compare=glorot_uniform,nope').errors[0]).toMatch(/^compare\[1\]\.name must be one of zeros/);
  });
});

describe('lessons in the URL', () => {
  it('opens a lesson named without a config, and names an unknown one', () => {
    const r = decodeUrl('#lesson=scales');
    expect(r.errors).toEqual([]);
    expect(r.state).toMatchObject({ mode: 'compare', lesson: 'scales' });
    expect(r.state.config.layers).toHaveLength(11);
    expect(r.state.compare).toHaveLength(3);
    expect(decodeUrl('#lesson=scales&mode=single').state.mode).toBe('single');
    expect(decodeUrl('#lesson=nope').errors[0]).toMatch(/^lesson must be one of xor, zeros/);
  });
});

describe('initializer text form', () => {
  it('writes only changed parameters and labels them for legends', () => {
    expect(formatInitSpec(parseInitializer('he_normal', ''))).toBe('he_normal');
    const rn = parseInitializer({ class_name: 'RandomNormal', config: { stddev: 0.01 } }, '');
    expect(formatInitSpec(rn)).toBe('random_normal:stddev=0.01');
    expect(initLabel(rn)).toBe('random_normal(stddev=0.01)');
    const ru = parseInitList('random_uniform:minval=-0.0625:maxval=0.0625')[0];
    expect(ru).toEqual({ name: 'random_uniform', minval: -0.0625, maxval: 0.0625 });
  });
});
