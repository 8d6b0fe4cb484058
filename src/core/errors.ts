/**
 * @file The one error type for bad input. Its message is the single line a user sees:
 * it names the field (a JSON path such as `layers[1].units`) and what is allowed.
 */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(path ? `${path} ${detail}` : detail);
    this.name = 'ConfigError';
  }
}

/** Short, JSON-ish rendering of a received value for error messages. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}
