/**
 * @file The body of a helper thread of the WebAssembly thread pool (pool.ts), self-contained:
 * Node runs its source text as an eval'd worker, the page as a module worker
 * (pool-worker-entry.ts), so it may use nothing from outside the function, not even constants.
 *
 * Protocol (pool.ts writes, helpers read): a job is an engine id, an op name, its chunk count
 * and its arguments; the claim word (64 bits: generation above, next chunk index in the low 16)
 * hands chunks out one compare-exchange at a time. A helper reads the job's fields after it has
 * seen the claim word and before its compare-exchange, so a successful exchange proves they
 * belonged to that job (the owner rewrites them only after marking the job exhausted). The
 * owner claims chunks too and never waits for a helper that has not claimed one, so a helper
 * that is slow, busy or missing only costs parallelism, never progress.
 */

/** Indices into the pool's Int32Array (after the 64-bit claim word). */
export interface PoolLayout {
  total: number;
  done: number;
  engine: number;
  op: number;
  nargs: number;
  mail: number;
  sleepers: number;
  error: number;
  exhausted: number;
  spin: number;
  /** Exported function of each op index. */
  ops: string[];
}

export type HelperMessage =
  | { type: 'init'; tid: number; ctrl: SharedArrayBuffer; args: SharedArrayBuffer; layout: PoolLayout; mail: number }
  | { type: 'add'; id: number; module: WebAssembly.Module; memory: WebAssembly.Memory; helpers: number }
  | { type: 'drop'; id: number };

/** A helper's answer to `add`: whether it could instantiate the engine's module. */
export type HelperReply = { id: number; tid: number; error?: string };

type Exports = Record<string, (...a: number[]) => void>;

export function serveJobs(post: (m: HelperReply) => void, listen: (fn: (m: HelperMessage) => void) => void): void {
  let tid = 0;
  let claim: BigInt64Array;
  let i32: Int32Array;
  let args: Float64Array;
  let L: PoolLayout;
  let mailSeen = 0;
  const instances = new Map<number, Exports>();

  function runChunk(exports: Exports, chunk: number, total: number): void {
    try {
      const n = Atomics.load(i32, L.nargs);
      const fn = exports[L.ops[Atomics.load(i32, L.op)]];
      // args[0], args[1]: scratch base and bytes per thread; then the op's own arguments.
      const own = Array.prototype.slice.call(args, 2, 2 + n) as number[];
      fn(chunk, args[0] + tid * args[1], ...own);
    } catch {
      Atomics.store(i32, L.error, 1);
    } finally {
      if (Atomics.add(i32, L.done, 1) + 1 === total) Atomics.notify(i32, L.done);
    }
  }

  function serve(): void {
    let spins = 0;
    for (;;) {
      if (Atomics.load(i32, L.mail) > mailSeen) return; // a message waits: leave the loop to receive it
      const word = Atomics.load(claim, 0);
      const next = Number(word & 0xffffn);
      const total = Atomics.load(i32, L.total);
      if (next < total && next !== L.exhausted) {
        const exports = instances.get(Atomics.load(i32, L.engine));
        if (exports) {
          if (Atomics.compareExchange(claim, 0, word, word + 1n) === word) runChunk(exports, next, total);
          spins = 0;
          continue;
        }
      }
      if (spins++ < L.spin) continue;
      Atomics.add(i32, L.sleepers, 1);
      Atomics.wait(claim, 0, word, 1000);
      Atomics.sub(i32, L.sleepers, 1);
      spins = 0;
    }
  }

  listen((m) => {
    if (m.type === 'init') {
      ({ tid, layout: L, mail: mailSeen } = m);
      claim = new BigInt64Array(m.ctrl, 0, 1);
      i32 = new Int32Array(m.ctrl, 8);
      args = new Float64Array(m.args);
    } else {
      mailSeen++;
      if (m.type === 'drop') instances.delete(m.id);
      else if (tid <= m.helpers) {
        try {
          const inst = new WebAssembly.Instance(m.module, { env: { memory: m.memory } });
          instances.set(m.id, inst.exports as unknown as Exports);
          post({ id: m.id, tid });
        } catch (e) {
          post({ id: m.id, tid, error: String(e) });
        }
      }
    }
    if (mailSeen >= Atomics.load(i32, L.mail)) serve();
  });
}
