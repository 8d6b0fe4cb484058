/**
 * @file What the host offers the WebAssembly engine, in Node or in a browser: the compiled
 * kernels, whether memory can be shared between threads, how many hardware threads there are,
 * and how to start a helper thread. Node's modules are imported through variables, so that
 * bundlers leave them out of the page.
 */
import type { HelperMessage, HelperReply } from './pool-worker';
import { serveJobs } from './pool-worker';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** A helper thread as the pool sees it, whichever host started it. */
export interface Helper {
  post(m: HelperMessage): void;
  onReply(fn: (m: HelperReply) => void): void;
  terminate(): void;
}

const modules = new Map<boolean, Promise<WebAssembly.Module>>();

/** The kernels, compiled once per process (or page) for shared or ordinary memory. */
export function kernelsModule(shared: boolean): Promise<WebAssembly.Module> {
  let m = modules.get(shared);
  if (!m) {
    m = loadModule(shared);
    modules.set(shared, m);
  }
  return m;
}

async function loadModule(shared: boolean): Promise<WebAssembly.Module> {
  const url = shared ? new URL('./kernels-shared.wasm', import.meta.url) : new URL('./kernels.wasm', import.meta.url);
  if (isNode) {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return WebAssembly.compile(await fs.readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the WebAssembly kernels (${res.status} ${res.statusText})`);
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * Whether threads can share memory here: a page needs cross-origin isolation (the COOP and COEP
 * headers) for SharedArrayBuffer; Node always has it.
 */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  return isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Why threads are unavailable, for the engine's adapter string. */
export function whyOneThread(): string {
  return isNode ? 'no SharedArrayBuffer' : 'the page is not cross-origin isolated';
}

export async function hardwareThreads(): Promise<number> {
  if (isNode) {
    const osName = 'node:os';
    const os = (await import(/* @vite-ignore */ osName)) as typeof import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** Whether this thread may block in Atomics.wait (a page's main thread may not). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startHelper(): Promise<Helper> {
  if (isNode) {
    const wtName = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ wtName)) as typeof import('node:worker_threads');
    const source = `const { parentPort } = require('node:worker_threads');
(${serveJobs.toString()})((m) => parentPort.postMessage(m), (fn) => parentPort.on('message', fn));`;
    const worker = new Worker(source, { eval: true, name: 'wasm-pool' });
    // Idle helpers must not keep a finished CLI or test process alive.
    worker.unref();
    return {
      post: (m) => worker.postMessage(m),
      onReply: (fn) => worker.on('message', fn),
      terminate: () => void worker.terminate(),
    };
  }
  const worker = new Worker(new URL('./pool-worker-entry.ts', import.meta.url), { type: 'module', name: 'wasm-pool' });
  return {
    post: (m) => worker.postMessage(m),
    onReply: (fn) => worker.addEventListener('message', (ev: MessageEvent<HelperReply>) => fn(ev.data)),
    terminate: () => worker.terminate(),
  };
}
