/**
 * @file The WebAssembly thread pool: helper threads that share an engine's memory and claim
 * chunks of its jobs (products, optimizer updates) while the engine's own thread claims them
 * too. One pool per process (or page worker), grown on demand; each engine registers its memory
 * with as many helpers as it wants threads. pool-worker.ts has the protocol and why it needs no
 * lock: a job completes even if no helper ever takes part.
 */
import { canBlock, type Helper, startHelper } from './host';
import type { HelperReply, PoolLayout } from './pool-worker';

/** The ops a job may run, by the index stored in the job (exports of the kernels module). */
const POOL_OPS = ['gemm', 'optimize', 'reduceSlots', 'ceilingChunk'] as const;
export type PoolOp = (typeof POOL_OPS)[number];

const LAYOUT: PoolLayout = {
  total: 0,
  done: 1,
  engine: 2,
  op: 3,
  nargs: 4,
  mail: 5,
  sleepers: 6,
  error: 7,
  /** Chunk index of a job that is over: no claim can succeed until the next job is published. */
  exhausted: 0xffff,
  /**
   * Polls of the claim word before a helper sleeps: jobs of one training step follow each other
   * within microseconds.
   */
  spin: 2_000,
  ops: [...POOL_OPS],
};
const MAX_ARGS = 30;
/** Polls of the done count before the owner sleeps on it (where it may block). */
const OWNER_SPIN = 2_000;
/** How long an engine waits for its helpers to take its memory before it starts without the late ones. */
const REGISTER_TIMEOUT_MS = 10_000;

type OpExports = Record<PoolOp, (...a: number[]) => void>;

let shared: Promise<ThreadPool> | null = null;

export class ThreadPool {
  private readonly helpers: Helper[] = [];
  private readonly ctrl = new SharedArrayBuffer(8 + 4 * 16);
  private readonly claim = new BigInt64Array(this.ctrl, 0, 1);
  private readonly i32 = new Int32Array(this.ctrl, 8);
  private readonly args = new Float64Array(new SharedArrayBuffer(8 * (2 + MAX_ARGS)));
  private readonly blocking = canBlock();
  private readonly acks = new Map<number, (m: HelperReply) => void>();
  private generation = 0n;
  private nextId = 1;

  private constructor() {
    Atomics.store(this.claim, 0, BigInt(LAYOUT.exhausted));
  }

  /** The process's pool with at least `helpers` helper threads. */
  static async withHelpers(helpers: number): Promise<ThreadPool> {
    shared ??= Promise.resolve(new ThreadPool());
    const pool = await shared;
    while (pool.helpers.length < helpers) await pool.addHelper();
    return pool;
  }

  private async addHelper(): Promise<void> {
    const helper = await startHelper();
    const tid = this.helpers.length + 1;
    helper.onReply((m) => this.acks.get(m.id)?.(m));
    helper.post({
      type: 'init',
      tid,
      ctrl: this.ctrl,
      args: this.args.buffer as SharedArrayBuffer,
      layout: LAYOUT,
      mail: Atomics.load(this.i32, LAYOUT.mail),
    });
    this.helpers.push(helper);
  }

  /** Posts one message to every helper and wakes them to read it. */
  private broadcast(m: Parameters<Helper['post']>[0]): void {
    for (const h of this.helpers) h.post(m);
    Atomics.add(this.i32, LAYOUT.mail, 1);
    Atomics.notify(this.claim, 0);
  }

  /**
   * Gives the first `helpers` helpers an instance over `memory`; resolves to the engine's id and
   * the number of helpers that took it.
   */
  async register(module: WebAssembly.Module, memory: WebAssembly.Memory, helpers: number) {
    const id = this.nextId++;
    let joined = 0;
    const wanted = Math.min(helpers, this.helpers.length);
    await new Promise<void>((resolve) => {
      let answered = 0;
      const timer = setTimeout(resolve, REGISTER_TIMEOUT_MS);
      this.acks.set(id, (m) => {
        if (m.error === undefined) joined++;
        if (++answered === wanted) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.broadcast({ type: 'add', id, module, memory, helpers: wanted });
      if (wanted === 0) resolve();
    });
    this.acks.delete(id);
    return { id, helpers: joined };
  }

  drop(id: number): void {
    this.broadcast({ type: 'drop', id });
  }

  /**
   * Runs chunks 0 … total − 1 of `op` for engine `id`, this thread included (`own` runs one chunk
   * here, with this thread's scratch); returns when every chunk is done.
   */
  run(id: number, op: PoolOp, total: number, scratch: [number, number], argv: number[], own: OpExports): void {
    const { i32, claim } = this;
    const fn = own[op];
    i32[LAYOUT.total] = total;
    i32[LAYOUT.engine] = id;
    i32[LAYOUT.op] = POOL_OPS.indexOf(op);
    i32[LAYOUT.nargs] = argv.length;
    this.args[0] = scratch[0];
    this.args[1] = scratch[1];
    this.args.set(argv, 2);
    Atomics.store(i32, LAYOUT.done, 0);
    this.generation += 1n;
    const base = this.generation << 16n;
    Atomics.store(claim, 0, base);
    if (Atomics.load(i32, LAYOUT.sleepers) > 0) Atomics.notify(claim, 0);
    for (;;) {
      const word = Atomics.load(claim, 0);
      const next = Number(word & 0xffffn);
      if (next >= total) break;
      if (Atomics.compareExchange(claim, 0, word, word + 1n) !== word) continue;
      try {
        fn(next, scratch[0], ...argv);
      } finally {
        Atomics.add(i32, LAYOUT.done, 1);
      }
    }
    this.awaitDone(total);
    Atomics.store(claim, 0, base | BigInt(LAYOUT.exhausted));
    if (Atomics.exchange(i32, LAYOUT.error, 0)) throw new Error(`a helper thread failed in ${op}`);
  }

  private awaitDone(total: number): void {
    const { i32 } = this;
    for (let spins = 0; ; spins++) {
      const done = Atomics.load(i32, LAYOUT.done);
      if (done >= total) return;
      if (this.blocking && spins > OWNER_SPIN) Atomics.wait(i32, LAYOUT.done, done, 1);
    }
  }
}
