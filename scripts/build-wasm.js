#!/usr/bin/env node
/**
 * Compiles the CPU engine's AssemblyScript kernels (src/wasm/assembly/) into the two modules the
 * engine loads: kernels-shared.wasm imports a shared memory (threads over a SharedArrayBuffer),
 * kernels.wasm an ordinary one (one thread, where the host gives no SharedArrayBuffer). Both are
 * committed, so that the CLI, the tests and the page run without a build step; `--check`
 * compiles them in memory and exits 1 when a committed module differs from its source (a test
 * runs it). `npm run wasm` rewrites them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = 'src/wasm/assembly/index.ts';
const common = ['-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--maximumMemory', '65536'];
export const VARIANTS = {
  'src/wasm/kernels.wasm': [...common, '--enable', 'simd'],
  'src/wasm/kernels-shared.wasm': [...common, '--enable', 'simd,threads', '--sharedMemory'],
};

async function compile(flags) {
  let binary = null;
  const errors = [];
  const { error } = await asc.main([entry, ...flags, '--outFile', 'out.wasm'], {
    baseDir: root,
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) binary = contents;
    },
    stderr: { write: (s) => errors.push(String(s)) },
  });
  if (error || !binary) throw new Error(`asc failed: ${error?.message ?? ''}\n${errors.join('')}`);
  return binary;
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, flags] of Object.entries(VARIANTS)) {
    const binary = await compile(flags);
    if (!check) {
      await writeFile(`${root}/${file}`, binary);
      continue;
    }
    const committed = await readFile(`${root}/${file}`).catch(() => null);
    if (!committed || Buffer.compare(committed, Buffer.from(binary)) !== 0) {
      process.stderr.write(`${file} does not match src/wasm/assembly: run npm run wasm\n`);
      stale++;
    }
  }
  process.exit(stale ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});
