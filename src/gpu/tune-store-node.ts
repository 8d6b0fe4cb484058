/**
 * @file The tuner's cache in Node: a JSON file in the user's cache folder,
 * $MLP_CACHE_DIR or $XDG_CACHE_HOME/mlp-playground or ~/.cache/mlp-playground, `tune.json`.
 * Node-only (node-device.ts hands it to the tuner); the page keeps its cache in localStorage.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { TuneStore } from './tune-cache';

/** The cache folder: MLP_CACHE_DIR where set (tests point it elsewhere), else the XDG cache folder's. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLP_CACHE_DIR) return env.MLP_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
  return join(base, 'mlp-playground');
}

/**
 * The file store. A write goes to a temporary file renamed over the cache, so that a reader
 * (another process tuning at the same time) never sees half a file.
 */
export function fileStore(path = join(cacheDir(), 'tune.json')): TuneStore {
  return {
    where: path,
    async read() {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async write(text) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, path);
    },
  };
}
