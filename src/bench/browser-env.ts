/**
 * @file The page's side of the benchmark: a WebGPU device (unless the page hands its own in),
 * TF.js with its webgpu, wasm and cpu backends loaded by dynamic import (separate chunks: the
 * main bundle never carries them), MNIST fetched from the page's public data, and the browser's
 * description of the machine. Everything else is the same ladder the CLI runs.
 */
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadsUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { AcquiredDevice } from '../gpu/adapter';
import { acquireBrowserDevice } from '../gpu/browser-device';
import { initBackends, type TfBackend, type TfHandle, type TfModule, tfAdapterInfo } from './tf';
import type { BenchEnv, Environment } from './types';

/** A device on the high-performance adapter, as the page asks for it, or null. */
async function requestDevice(): Promise<AcquiredDevice | null> {
  const got = await acquireBrowserDevice();
  return 'unavailable' in got ? null : got;
}

/** TF.js and the backends in `wanted` (dynamic imports), or null when it cannot be loaded. */
async function loadTfBrowser(wanted: readonly TfBackend[]): Promise<TfHandle | null> {
  let tf: TfModule;
  try {
    tf = (await import('@tensorflow/tfjs')) as unknown as TfModule;
  } catch {
    return null;
  }
  if (wanted.includes('webgpu')) await import('@tensorflow/tfjs-backend-webgpu').catch(() => null);
  if (wanted.includes('wasm')) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm').catch(() => null);
    wasm?.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadsUrl,
    });
  }
  return initBackends(tf, wanted);
}

/** The pause before every timed repeat, ms (see `clock` below). */
const SETTLE_MS = 20;

/** The BenchEnv of the page. `gpu` is the page's device when it has one, else one is requested. */
export async function browserEnv(opts: {
  gpu?: { device: GPUDevice; adapter: string } | null;
  tfBackends: TfBackend[];
}): Promise<BenchEnv> {
  const gpu = opts.gpu ?? (await requestDevice().catch(() => null));
  const tf = opts.tfBackends.length ? await loadTfBrowser(opts.tfBackends) : null;
  const nav = navigator as Navigator & { deviceMemory?: number };
  const environment: Environment = {
    runtime: nav.userAgent,
    machine: {
      cpu: 'browser (CPU model not exposed)',
      cores: nav.hardwareConcurrency ?? 0,
      memoryGiB: nav.deviceMemory,
    },
    adapter: gpu?.adapter ?? null,
    tfjsAdapter: tf?.backends.includes('webgpu') ? tfAdapterInfo(tf.tf) : null,
    driver: null,
    tfjsVersion: tf ? ((tf.tf.version as Record<string, string>).tfjs ?? null) : null,
    tfjsBackends: tf?.backends ?? [],
  };
  return {
    // Before every timed repeat a pause of about a frame: the page paints its progress and
    // handles input (Cancel) between repeats, instead of freezing for a whole cell of CPU engines
    // (a 0 ms timeout lets input through but rarely a frame).
    clock: { now: () => performance.now(), settle: () => new Promise<void>((res) => setTimeout(res, SETTLE_MS)) },
    gpu,
    tf,
    environment,
    load: {
      mnist: () =>
        fetch(`${import.meta.env.BASE_URL}data/mnist.bin`).then((r) => {
          if (!r.ok) throw new Error(`MNIST: ${r.status} ${r.statusText}`);
          return r.arrayBuffer();
        }),
    },
    // A macrotask, so the progress bar and the table repaint between cells.
    pause: () => new Promise((res) => setTimeout(res, 0)),
  };
}
