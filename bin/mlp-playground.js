#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
/**
 * @file The CLI's launcher. The engine imports its WGSL as `?raw` modules and the sources are
 * TypeScript, so plain Node cannot load them; instead a Vite dev server (no HTTP, no HMR, no file
 * watcher) serves `src/cli/main.ts` to a module runner, which resolves those imports exactly as
 * the page's build does. Packages in node_modules (Dawn's native `webgpu`) stay external and are
 * loaded by Node itself.
 */
import { createServer, createServerModuleRunner } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

async function launch() {
  const server = await createServer({
    root,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    appType: 'custom',
    logLevel: 'silent',
    clearScreen: false,
    // The browser's dependency pre-bundling is of no use here and would scan the whole project.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { middlewareMode: true, hmr: false, ws: false, watch: null, preTransformRequests: false },
  });
  let code = 1;
  try {
    const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
    const mod = await runner.import('/src/cli/main.ts');
    code = await mod.main(process.argv.slice(2));
    await runner.close();
  } finally {
    await server.close();
  }
  return code;
}

launch().then(
  (code) => process.exit(code),
  (err) => {
    // Only reached when the launcher itself or a module's top level fails: main() catches the rest.
    process.stderr.write(`error: ${err?.message ?? err}\n`);
    if (process.env.MLP_DEBUG && err?.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
