/**
 * @file An `Engine` whose CPU engine runs in a Web Worker (cpu-worker.ts). The page drives it
 * exactly like the GPU engine; records stream back as messages. Requests are answered in order,
 * so one pending map keyed by request id is all the bookkeeping. A ConfigError thrown in the
 * worker (a model too large for the CPU budget) is rebuilt here, so the page can name the field.
 */
import { ConfigError } from '../../core/errors';
import type { Dataset, RunConfig } from '../../core/types';
import type { Engine, LayerWeights, Prediction, StepRecord } from '../../train/engine';
import type { SerializedError, WorkerReply, WorkerRequest } from './cpu-worker';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; onRecord?: (r: StepRecord) => void };

/** Distributes Omit over the request union, so each op keeps its own fields. */
type Req = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

function revive(e: SerializedError): Error {
  if (e.name === 'ConfigError' && e.path !== undefined && e.detail !== undefined)
    return new ConfigError(e.path, e.detail);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class WorkerEngine implements Engine {
  readonly backend = 'cpu' as const;
  /** The engine's own description, once the worker has built it. */
  adapter = 'CPU';
  step = 0;
  totalSteps = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => this.receive(ev.data);
    worker.onerror = (ev) => this.fail(new Error(`CPU worker failed: ${ev.message}`));
  }

  /** Starts a worker (the default factory is the module worker Vite bundles) and builds the engine there. */
  static async create(cfg: RunConfig, data: Dataset, makeWorker: () => Worker = defaultWorker): Promise<WorkerEngine> {
    const e = new WorkerEngine(makeWorker());
    try {
      const info = (await e.request({ op: 'create', cfg, data })) as { totalSteps: number; adapter: string };
      e.totalSteps = info.totalSteps;
      e.adapter = info.adapter;
      return e;
    } catch (err) {
      e.dispose();
      throw err;
    }
  }

  private receive(m: WorkerReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('record' in m) {
      p.onRecord?.(m.record);
      return;
    }
    this.pending.delete(m.id);
    if (m.ok) {
      this.step = m.step;
      p.resolve(m.result);
    } else p.reject(revive(m.error));
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private request(req: Req, onRecord?: (r: StepRecord) => void, transfer: Transferable[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the CPU engine was disposed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onRecord });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  async init(weights?: LayerWeights[]): Promise<StepRecord> {
    return (await this.request({ op: 'init', weights })) as StepRecord;
  }

  /** The worker's loop is synchronous, so an abort takes effect at the end of this call (the page keeps calls short). */
  async run(steps: number, onRecord: (r: StepRecord) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    await this.request({ op: 'run', steps }, onRecord);
  }

  async weights(): Promise<LayerWeights[]> {
    return (await this.request({ op: 'weights' })) as LayerWeights[];
  }

  async predict(x: Float32Array, n: number): Promise<Prediction> {
    return (await this.request({ op: 'predict', x, n })) as Prediction;
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.fail(new Error('the CPU engine was disposed'));
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name: 'cpu-engine' });
}
