/**
 * @file The CPU engine (WebAssembly, with helper threads of its own where the page is
 * cross-origin isolated) in a Web Worker, so that a big CPU model never freezes the page. The
 * protocol is a request id, an op and its arguments; each request gets one reply (the result or
 * a serialized error), and `run` streams its step records before its reply. WorkerEngine
 * (worker-engine.ts) is the other end.
 */
import { ConfigError } from '../../core/errors';
import type { Dataset, RunConfig } from '../../core/types';
import type { Engine, LayerWeights } from '../../train/engine';
import { createCpuEngine } from '../../wasm/create';

export type WorkerRequest =
  | { id: number; op: 'create'; cfg: RunConfig; data: Dataset }
  | { id: number; op: 'init'; weights?: LayerWeights[] }
  | { id: number; op: 'run'; steps: number }
  | { id: number; op: 'weights' }
  | { id: number; op: 'predict'; x: Float32Array; n: number };

export interface SerializedError {
  name: string;
  message: string;
  path?: string;
  detail?: string;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown; step: number }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; record: import('../../train/engine').StepRecord };

let engine: Engine | null = null;

const post = (m: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

async function handle(req: WorkerRequest): Promise<{ result: unknown; transfer?: Transferable[] }> {
  if (req.op === 'create') {
    engine?.dispose();
    engine = await createCpuEngine(req.cfg, req.data);
    return { result: { totalSteps: engine.totalSteps, adapter: engine.adapter } };
  }
  if (!engine) throw new Error('cpu worker: create must come first');
  switch (req.op) {
    case 'init':
      return { result: await engine.init(req.weights) };
    case 'run':
      await engine.run(req.steps, (record) => post({ id: req.id, record }));
      return { result: null };
    case 'weights': {
      const w = await engine.weights();
      return { result: w, transfer: w.flatMap((l) => [l.kernel.buffer, l.bias.buffer]) };
    }
    case 'predict': {
      const p = await engine.predict(req.x, req.n);
      return { result: p, transfer: [p.z.buffer, p.a.buffer] };
    }
  }
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  try {
    const { result, transfer } = await handle(req);
    post({ id: req.id, ok: true, result, step: engine?.step ?? 0 }, transfer);
  } catch (e) {
    const err = e as Error;
    const error: SerializedError = { name: err.name, message: err.message };
    if (e instanceof ConfigError) {
      error.path = e.path;
      error.detail = e.detail;
    }
    post({ id: req.id, ok: false, error });
  }
};
