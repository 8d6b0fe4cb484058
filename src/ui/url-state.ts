/**
 * @file The page's whole state in the URL, declared once in `PROPS` (after tensorflow/playground's
 * State.PROPS): each property has a hash key, a default, and a codec. The run config travels as
 * its compact canonical JSON, base64url-encoded under `c`, so a link reproduces the experiment
 * exactly; `?config=` (or `#config=`) with URL-encoded JSON of the engine's schema is accepted too,
 * and `run=1` starts training on load.
 *
 * Decoding never throws: a bad property falls back to its default and adds a message naming the
 * field (the ConfigError text), which the page shows in an alert banner.
 */
import { configToJSON, parseConfig } from '../core/config';
import { ConfigError } from '../core/errors';
import { initializerToKeras, parseInitializer } from '../core/initializers';
import type { Initializer, RunConfig } from '../core/types';
import type { BackendName } from '../train/engine';
import type { Mode, PageState } from './state/types';

export type { Mode, PageState };

import { DEFAULT_TARGET_LOSS, defaultCompare, defaultConfig } from './defaults';
import { formatInitList, parseInitList } from './initializer-spec';
import { findLesson, LESSONS, lessonState } from './presets';

export function defaultState(): PageState {
  return {
    config: defaultConfig(),
    backend: 'gpu',
    mode: 'single',
    compare: defaultCompare(),
    target: DEFAULT_TARGET_LOSS,
    lesson: null,
    run: false,
  };
}

interface Prop<K extends keyof PageState> {
  name: K;
  /** Key in the hash. */
  key: string;
  encode(v: PageState[K]): string;
  /** Throws ConfigError (message names the field) on a bad value. */
  decode(s: string): PageState[K];
  /** Read from the URL but not written back (`run` would restart training on every reload). */
  readOnly?: boolean;
}

function oneOf<T extends string>(key: string, allowed: readonly T[]) {
  return (s: string): T => {
    if (!allowed.includes(s as T))
      throw new ConfigError(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  };
}

/** Every property the URL carries. Order decides the order of keys in the hash. */
const PROPS: { [K in keyof PageState]: Prop<K> }[keyof PageState][] = [
  {
    name: 'config',
    key: 'c',
    encode: (c: RunConfig) => toBase64Url(JSON.stringify(compactConfigJSON(c))),
    decode: (s: string) => parseConfigText(fromBase64Url(s)),
  },
  { name: 'backend', key: 'backend', encode: (b: BackendName) => b, decode: oneOf('backend', ['gpu', 'cpu'] as const) },
  { name: 'mode', key: 'mode', encode: (m: Mode) => m, decode: oneOf('mode', ['single', 'compare'] as const) },
  { name: 'compare', key: 'compare', encode: formatInitList, decode: (s: string) => parseInitList(s, 'compare') },
  {
    name: 'target',
    key: 'target',
    encode: String,
    decode: (s: string) => {
      const v = Number(s);
      if (!(v > 0) || !Number.isFinite(v))
        throw new ConfigError('target', `must be a positive number, got ${JSON.stringify(s)}`);
      return v;
    },
  },
  { name: 'lesson', key: 'lesson', encode: (l: string | null) => l ?? '', decode: (s: string) => s || null },
  {
    name: 'run',
    key: 'run',
    encode: (r: boolean) => (r ? '1' : ''),
    decode: (s: string) => s === '1' || s === 'true',
    readOnly: true,
  },
];

/**
 * The config as short JSON that parseConfig reads back to an identical RunConfig: initializers
 * at their Keras defaults become plain names, and the schema's defaults (glorot_uniform kernel,
 * zeros bias) are left out.
 */
export function compactConfigJSON(cfg: RunConfig): Record<string, unknown> {
  const doc = configToJSON(cfg);
  doc.layers = cfg.layers.map((l, i) => {
    const full = (doc.layers as Record<string, unknown>[])[i];
    const out: Record<string, unknown> = { units: l.units, activation: full.activation };
    const k = compactInit(l.kernel_initializer);
    const b = compactInit(l.bias_initializer);
    if (k !== 'glorot_uniform') out.kernel_initializer = k;
    if (b !== 'zeros') out.bias_initializer = b;
    return out;
  });
  return doc;
}

function compactInit(init: Initializer): unknown {
  const same = JSON.stringify(parseInitializer(init.name, '')) === JSON.stringify(init);
  return same ? init.name : initializerToKeras(init);
}

/** JSON text → RunConfig; bad JSON becomes a ConfigError on `config`. */
export function parseConfigText(text: string): RunConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('config', `is not valid JSON (${(e as Error).message})`);
  }
  return parseConfig(doc);
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  let bin: string;
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw new ConfigError('config', 'is not valid base64url (the link was cut or edited)');
  }
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The hash for a state: `#c=...&backend=gpu...`, leaving out properties at their defaults (except the config). */
export function encodeHash(state: PageState): string {
  const dflt = defaultState();
  const parts: string[] = [];
  for (const p of PROPS) {
    if (p.readOnly) continue;
    const v = (p.encode as (v: unknown) => string)(state[p.name]);
    if (p.name !== 'config' && v === (p.encode as (v: unknown) => string)(dflt[p.name])) continue;
    parts.push(`${p.key}=${encodeURIComponent(v)}`);
  }
  return `#${parts.join('&')}`;
}

interface DecodedUrl {
  state: PageState;
  /** One message per bad property, naming the field; empty when the URL was fine. */
  errors: string[];
}

/**
 * Reads `hash` ("#c=...") and `search` ("?config=...&run=1"). Query parameters win over the hash
 * for the same property; `config` (plain JSON) is accepted in both.
 */
export function decodeUrl(hash: string, search = ''): DecodedUrl {
  const state = defaultState();
  const errors: string[] = [];
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  const get = (key: string) => q.get(key) ?? h.get(key);
  const write = <K extends keyof PageState>(name: K, v: PageState[K]) => {
    state[name] = v;
  };
  for (const p of PROPS) {
    let raw = get(p.key);
    let decode = p.decode as (s: string) => unknown;
    if (p.name === 'config' && (q.has('config') || h.has('config'))) {
      raw = get('config');
      decode = parseConfigText;
    }
    if (raw === null) continue;
    try {
      write(p.name, decode(raw) as never);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e.message);
    }
  }
  // A lesson named without a config (`#lesson=xor`) opens that lesson; explicit keys still win.
  if (state.lesson !== null) {
    const lesson = findLesson(state.lesson);
    if (!lesson) {
      errors.push(`lesson must be one of ${LESSONS.map((l) => l.id).join(', ')}, got ${JSON.stringify(state.lesson)}`);
      state.lesson = null;
    } else if (get('c') === null && get('config') === null) {
      const l = lessonState(lesson);
      state.config = l.config;
      if (get('compare') === null) state.compare = l.compare;
      if (get('mode') === null) state.mode = lesson.mode;
      if (get('target') === null) state.target = lesson.target;
    }
  }
  return { state, errors };
}
