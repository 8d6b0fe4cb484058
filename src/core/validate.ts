/**
 * @file The validation toolkit every config shares: the run config, initializers, the atlas
 * config, the weights file. Each check returns the value it validated or throws a `ConfigError`
 * whose one line names the field (a JSON path such as `layers[1].units`) and what is allowed, so a
 * bad value reads the same wherever it was written. Command-line flags have theirs in flags.ts.
 */
import { ConfigError, show } from './errors';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `path.key`, or `key` at the top of a document. */
export function fieldPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ConfigError(path, `must be an object, got ${show(v)}`);
  return v;
}

/** Rejects the first key of `o` that is not in `allowed`, listing those that are. */
export function knownKeys(o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      throw new ConfigError(fieldPath(path, k), `is not a known field; allowed: ${allowed.join(', ')}`);
  }
}

/** One of `allowed`; `context` (e.g. ` for an atlas`) says whose choice the list is. */
export function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[], context = ''): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ConfigError(path, `must be one of ${allowed.join(', ')}${context}, got ${show(v)}`);
  }
  return v as T;
}

/** How an integer range reads in a message: "a positive integer", "an integer from 2 to 64". */
export function describeInt(min: number, max = Number.MAX_SAFE_INTEGER): string {
  if (max === Number.MAX_SAFE_INTEGER) {
    if (min === 1) return 'a positive integer';
    if (min === 0) return 'a non-negative integer';
    return `an integer of at least ${min}`;
  }
  return `an integer from ${min} to ${max}`;
}

export function int(v: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(path, `must be ${describeInt(min, max)}, got ${show(v)}`);
  }
  return v;
}

/** Bounds of a number; an open end excludes its bound. Missing bounds are infinite. */
export interface Range {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

function describeRange({ min = -Infinity, max = Infinity, minOpen, maxOpen }: Range): string {
  if (min === 0 && minOpen && max === Infinity) return 'a positive number';
  if (Number.isFinite(min) && Number.isFinite(max) && !minOpen && !maxOpen) return `a number from ${min} to ${max}`;
  const low = min === -Infinity ? '' : `${minOpen ? '>' : '>='} ${min}`;
  const high = max === Infinity ? '' : `${maxOpen ? '<' : '<='} ${max}`;
  return ['a number', [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

/** A finite number within `range`. */
export function num(v: unknown, path: string, range: Range = {}): number {
  const { min = -Infinity, max = Infinity, minOpen, maxOpen } = range;
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  if (!ok) throw new ConfigError(path, `must be ${describeRange(range)}, got ${show(v)}`);
  return v as number;
}

export function positive(v: unknown, path: string): number {
  return num(v, path, { min: 0, minOpen: true });
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(path, `must be true or false, got ${show(v)}`);
  return v;
}
