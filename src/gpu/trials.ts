/**
 * @file One shape's trial for the tuner (tuner.ts): its operands, filled with values in [-1, 1),
 * every candidate variant bound to them, and the candidates timed: a probe of every candidate
 * first, the product alone over a sixteenth of its workgroups, whose time scaled up estimates a
 * full run's. A candidate whose estimate is both long (over LONG_MS) and more than PRUNE times
 * the fastest estimate is dropped without a full run: on a software adapter, where one run of a
 * kernel shaped for another kind of device can take a second, this bounds the trial to about a
 * sixteenth of such runs. The rest run twice in full (the faster run counts), those more than
 * PRUNE times slower than the fastest of those runs are dropped, and the survivors are timed in
 * interleaved rounds of short batches (trial-timer.ts, fastestInRounds); the fastest batch of each (or its full
 * run, if faster) counts.
 */
import { type BoundKernel, bind, type PipelineCache, writeArray } from './kernel';
import { type MatmulForm, type MatmulPlan, matmulCalls } from './products';
import { fastestInRounds, type TrialTimer } from './trial-timer';

/** A product as the tuner sees it: (m×k)·(k×n) → m×n in form `form` (matmulPlan's convention). */
export interface ProductShape {
  form: MatmulForm;
  m: number;
  n: number;
  k: number;
}

const MAX_REPS = 256;
const PRUNE = 3;
const LONG_MS = 10;
/** A probe runs 1 / PROBE_SHARE of the product's workgroups. */
const PROBE_SHARE = 16;

/**
 * Times the plans of one shape's candidates: each one's ms per product, and which were timed to
 * the end (the others' ms is their estimate or single run). `tick` once per candidate, when done.
 */
export async function timeShape(
  device: GPUDevice,
  cache: PipelineCache,
  s: ProductShape,
  plans: readonly MatmulPlan[],
  timer: TrialTimer,
  signal: AbortSignal | undefined,
  tick: () => void,
): Promise<{ ms: number[]; timed: number[] }> {
  const operands = new TrialOperands(device, cache, s, plans);
  try {
    return await timeCandidates(await operands.bind(plans), timer, signal, tick);
  } finally {
    operands.dispose();
  }
}

/**
 * Probes, single runs and rounds of one shape's candidates (see the file's header): each one's
 * ms per product, and which were timed to the end (the others' ms is their estimate or run).
 */
async function timeCandidates(
  kernels: BoundKernel[][],
  timer: TrialTimer,
  signal: AbortSignal | undefined,
  tick: () => void,
): Promise<{ ms: number[]; timed: number[] }> {
  const probes = kernels.map(probeOf);
  const probed = await timer.time(probes.map((p) => ({ kernels: [p.kernel], reps: 1 })));
  const ms = probed.map((t, i) => t * probes[i].scale);
  const longest = Math.max(LONG_MS, PRUNE * Math.min(...ms));
  const runs: number[] = [];
  for (let i = 0; i < kernels.length; i++)
    if (ms[i] <= longest) runs.push(i);
    else tick();
  // Two full runs, the faster counts: a candidate's first full run can take many times its
  // steady time (seen on lavapipe), which alone would drop the fastest candidate.
  const once = () => timer.time(runs.map((i) => ({ kernels: kernels[i], reps: 1 })));
  const [run1, run2] = [await once(), await once()];
  const first = run1.map((ms, j) => Math.min(ms, run2[j]));
  const slowest = PRUNE * Math.min(...first);
  const timed: number[] = [];
  for (const [j, i] of runs.entries()) {
    ms[i] = first[j];
    if (first[j] <= slowest) timed.push(i);
    else tick();
  }
  const fastest = await fastestInRounds(
    timer,
    timed.map((i) => kernels[i]),
    timed.map((i) => ms[i]),
    MAX_REPS,
    signal,
  );
  for (const [j, i] of timed.entries()) ms[i] = Math.min(ms[i], fastest[j]);
  for (const _ of timed) tick();
  return { ms, timed };
}

/**
 * A candidate's probe: its product (the last dispatch, after any transposition) over about
 * 1 / PROBE_SHARE of its workgroups, fewer rows of them first, and the factor to a full run.
 */
function probeOf(kernels: BoundKernel[]): { kernel: BoundKernel; scale: number } {
  const product = kernels[kernels.length - 1];
  const [x, y, z] = product.groups;
  const target = Math.max(1, Math.ceil((x * y) / PROBE_SHARE));
  const rows = Math.min(y, Math.max(1, Math.floor(target / x)));
  const cols = Math.min(x, target);
  return { kernel: { ...product, groups: [cols, rows, z] }, scale: (x * y) / (cols * rows) };
}

/** Operands of one shape's trial, filled with values in [-1, 1), and its candidates bound to them. */
class TrialOperands {
  private readonly made: GPUBuffer[] = [];

  constructor(
    readonly device: GPUDevice,
    private readonly cache: PipelineCache,
    readonly s: ProductShape,
    plans: readonly MatmulPlan[],
  ) {
    const [a, b] = s.form === 'dW' ? [s.k * s.m, s.k * s.n] : [s.m * s.k, s.k * s.n];
    this.A = this.filled(a);
    this.B = this.filled(b);
    this.bias = this.filled(s.n);
    this.out = this.buffer(s.m * s.n);
    const most = (pick: (p: MatmulPlan) => number) => Math.max(0, ...plans.map(pick));
    this.scratchA = this.buffer(most((p) => p.transposeA?.floats ?? 0));
    this.scratchB = this.buffer(most((p) => p.transposeB?.floats ?? 0));
  }

  readonly A: GPUBuffer;
  readonly B: GPUBuffer;
  readonly bias: GPUBuffer;
  readonly out: GPUBuffer;
  readonly scratchA: GPUBuffer;
  readonly scratchB: GPUBuffer;

  private buffer(floats: number): GPUBuffer {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const b = this.device.createBuffer({ label: 'tune', size: Math.max(16, 4 * floats), usage });
    this.made.push(b);
    return b;
  }

  private filled(floats: number): GPUBuffer {
    const b = this.buffer(floats);
    const data = new Float32Array(floats);
    let x = 1;
    for (let i = 0; i < floats; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      data[i] = x / 2147483648 - 1;
    }
    writeArray(this.device, b, data);
    return b;
  }

  /** Each plan's dispatches, compiled (in parallel) and bound. */
  bind(plans: readonly MatmulPlan[]): Promise<BoundKernel[][]> {
    return Promise.all(
      plans.map((p) =>
        Promise.all(
          matmulCalls(p, [this.A, this.B, this.bias, this.out], { a: this.scratchA, b: this.scratchB }).map(
            async (c) => {
              const k = bind(this.device, await this.cache.get(c.desc), c.buffers, c.groups, c.uniforms);
              if (k.params) this.made.push(k.params);
              return k;
            },
          ),
        ),
      ),
    );
  }

  dispose(): void {
    for (const b of this.made) b.destroy();
  }
}
