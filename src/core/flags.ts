/**
 * @file Command-line flags, for every command (train, atlas, bench). Strict on purpose: a mistyped
 * flag or value in a script should stop the run with one line naming the flag, not silently run
 * something else for an hour. Errors are `ConfigError`s, so a bad flag is reported exactly like a
 * bad config (exit 2), in the words of validate.ts.
 */
import { ConfigError, show } from './errors';
import { describeInt } from './validate';

interface FlagSpec {
  /** Flags that take a value: `--name value` or `--name=value`. */
  values: readonly string[];
  /** Flags that take none. */
  switches: readonly string[];
  /** Names the flag list in the unknown-flag message (`flags`, `atlas flags`). */
  listName?: string;
}

interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
}

const fail = (message: string) => new ConfigError('', message);

/** Reads `argv` against `spec`: each flag once, every value present, nothing unknown. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const all = [...spec.values, ...spec.switches];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const flag = eq > 0 ? token.slice(0, eq) : token;
    if (spec.switches.includes(flag)) {
      if (eq > 0) throw fail(`${flag} takes no value, got ${show(token.slice(eq + 1))}`);
      switches.add(flag);
      continue;
    }
    if (!spec.values.includes(flag)) {
      const what = token.startsWith('-') ? `unknown flag ${show(flag)}` : `unexpected argument ${show(token)}`;
      throw fail(`${what}; ${spec.listName ?? 'flags'}: ${all.join(', ')}`);
    }
    // `-1` and `-` are values (a bad number, stdin); `--x` after a flag means its value is missing.
    const value = eq > 0 ? token.slice(eq + 1) : argv[i + 1];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw fail(`${flag} needs a value`);
    if (eq < 0) i++;
    if (values.has(flag)) throw fail(`${flag} is given twice`);
    values.set(flag, value);
  }
  return { values, switches };
}

/** A whole number written in digits, within [min, max]. */
export function flagInt(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw fail(`${flag} must be ${describeInt(min, max)}, got ${show(raw)}`);
  return v;
}

/** A positive decimal number (`6`, `2.5`). */
export function flagPositive(flag: string, raw: string): number {
  const v = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(v > 0)) throw fail(`${flag} must be a positive number, got ${show(raw)}`);
  return v;
}

/** A finite decimal number at least `min` (`0.05`, `.5`, `1e-3`). */
export function flagNumber(flag: string, raw: string, min: number): number {
  const v = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
  if (!(Number.isFinite(v) && v >= min)) throw fail(`${flag} must be a number >= ${min}, got ${show(raw)}`);
  return v;
}

export function flagOneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!allowed.includes(raw as T)) throw fail(`${flag} must be one of ${allowed.join(', ')}, got ${show(raw)}`);
  return raw as T;
}

/** A comma-separated list, every item one of `allowed`. */
export function flagList<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw fail(`${flag} needs at least one item`);
  for (const item of items)
    if (!allowed.includes(item as T)) throw fail(`${flag}: unknown ${show(item)}; allowed: ${allowed.join(', ')}`);
  return items as T[];
}
