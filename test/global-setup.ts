/**
 * @file Before any test file: the product tuner's cache goes to a folder of this run's own
 * (MLP_CACHE_DIR, which the test processes and the CLI they spawn inherit), never the user's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  if (process.env.MLP_CACHE_DIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'mlp-playground-test-cache-'));
  process.env.MLP_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
