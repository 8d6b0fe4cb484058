/**
 * @file The committed WebAssembly modules are what their AssemblyScript source compiles to (the
 * engine loads the committed files; `npm run wasm` rebuilds them).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('src/wasm/*.wasm', () => {
  it('match src/wasm/assembly compiled by the pinned AssemblyScript', () => {
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, ['scripts/build-wasm.js', '--check'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      code = err.status;
      out = err.stderr;
    }
    expect(out).toBe('');
    expect(code).toBe(0);
  });
});
