/**
 * @file A one-line text form of an initializer, for the compare list in the URL and its text
 * field: `glorot_uniform`, `random_normal:stddev=0.01`, `variance_scaling:scale=2:mode=fan_in`.
 * Only parameters that differ from Keras' defaults are written, so common lists stay short. The
 * parsing goes through the engine's `parseInitializer`, so the page accepts exactly what the
 * config schema accepts, with the same error messages.
 */
import { ConfigError } from '../core/errors';
import { initializerToKeras, parseInitializer } from '../core/initializers';
import type { Initializer } from '../core/types';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The parameters of `init` that differ from those of its name's defaults, in Keras' terms. */
function changedParams(init: Initializer): [string, unknown][] {
  const k = initializerToKeras(init);
  const name = k.class_name === 'VarianceScaling' ? 'variance_scaling' : init.name;
  const dflt = initializerToKeras(parseInitializer(name, '')).config;
  return Object.entries(k.config).filter(([key, v]) => key !== 'seed' && dflt[key] !== v);
}

/** The name the text form starts with (a preset with changed parameters is a variance_scaling). */
function specName(init: Initializer): string {
  return initializerToKeras(init).class_name === 'VarianceScaling' ? 'variance_scaling' : init.name;
}

/** `random_normal:stddev=0.01`. */
export function formatInitSpec(init: Initializer): string {
  return [specName(init), ...changedParams(init).map(([k, v]) => `${k}=${v}`)].join(':');
}

/** Legend text: `random_normal(stddev=0.01)`. */
export function initLabel(init: Initializer): string {
  const p = changedParams(init);
  return p.length ? `${specName(init)}(${p.map(([k, v]) => `${k}=${v}`).join(', ')})` : specName(init);
}

/** Parses one text form; throws ConfigError at `path`. */
function parseInitSpec(text: string, path: string): Initializer {
  const [name, ...rest] = text
    .trim()
    .split(':')
    .map((s) => s.trim());
  const params: Record<string, unknown> = {};
  for (const kv of rest) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new ConfigError(path, `parameter ${JSON.stringify(kv)} must look like key=value`);
    const v = kv.slice(eq + 1).trim();
    params[kv.slice(0, eq).trim()] = NUMBER.test(v) ? Number(v) : v;
  }
  return parseInitializer({ name, ...params }, path);
}

/** Parses a comma-separated list (the compare set); throws ConfigError naming the item. */
export function parseInitList(text: string, path = 'compare'): Initializer[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new ConfigError(path, 'must list at least one initializer');
  return items.map((s, i) => parseInitSpec(s, `${path}[${i}]`));
}

export function formatInitList(list: readonly Initializer[]): string {
  return list.map(formatInitSpec).join(',');
}
