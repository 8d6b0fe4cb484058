/**
 * @file TensorFlow.js, as the benchmark uses it: the module and the backends that initialized
 * are handed in (Node and the browser load them differently), and workloads switch the active
 * backend before they run. Tensors belong to the backend that was active when they were made,
 * so every workload creates its tensors after activating its own backend.
 */
import type * as TF from '@tensorflow/tfjs';

export type TfModule = typeof TF;
export type TfBackend = 'webgpu' | 'wasm' | 'cpu';

export interface TfHandle {
  tf: TfModule;
  /** Backends that initialized, in preference order. */
  backends: TfBackend[];
  /** Why a backend is missing, by name. */
  missing: Partial<Record<TfBackend, string>>;
}

/** Makes `name` the active backend (cheap once it is initialized). */
export async function useBackend(tf: TfModule, name: TfBackend): Promise<void> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend ${name} failed to initialize`);
  }
  await tf.ready();
}

/**
 * Initializes each backend in turn (registering needs the backend packages imported first),
 * recording the ones that fail and why.
 */
export async function initBackends(tf: TfModule, wanted: readonly TfBackend[]): Promise<TfHandle> {
  const backends: TfBackend[] = [];
  const missing: TfHandle['missing'] = {};
  for (const b of wanted) {
    try {
      if (!tf.findBackendFactory(b)) throw new Error('backend not registered');
      await useBackend(tf, b);
      backends.push(b);
    } catch (e) {
      missing[b] = (e as Error).message ?? String(e);
    }
  }
  return { tf, backends, missing };
}

/** The webgpu backend's adapter as tfjs recorded it (vendor / architecture), when active. */
export function tfAdapterInfo(tf: TfModule): string | null {
  const be = tf.findBackend('webgpu') as unknown as { adapterInfo?: { vendor?: string; architecture?: string } } | null;
  const i = be?.adapterInfo;
  if (!i) return null;
  const parts = [i.vendor, i.architecture].filter((s): s is string => !!s);
  return parts.length ? parts.join(' / ') : null;
}
