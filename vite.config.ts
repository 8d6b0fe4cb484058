/// <reference types="vitest/config" />
// Vite's own defineConfig (vitest is a dev dependency; the CLI loads this file at run time).
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation, which a page needs for SharedArrayBuffer: the CPU engine's WebAssembly
 * threads share memory (src/wasm/README.md). Every resource of the page is its own, so
 * `require-corp` blocks nothing. A deployment must send the same two headers.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  // The CPU engine's worker starts its own helper workers: module workers, so they may be nested.
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Dawn is a native addon: run test files in child processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
