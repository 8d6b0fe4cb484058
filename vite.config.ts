import { defineConfig } from 'vitest/config';

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173 },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Dawn is a native addon: run test files in child processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
