/**
 * @file Times batches of dispatches for the tuner: each batch is a sequence of bound kernels
 * (one product: its transpositions, then the product) run `reps` times back to back in one
 * compute pass. Where the device has timestamp queries, every batch of a round gets a pass of
 * its own in one command buffer and the GPU's clock times it, so the host's wait for the
 * result adds nothing; elsewhere each batch is one submit timed on the host to
 * `onSubmittedWorkDone`, the wait's fixed cost spread over the batch's repetitions.
 */
import { type BoundKernel, dispatch } from './kernel';

export interface Batch {
  kernels: BoundKernel[];
  reps: number;
}

export interface TrialTimer {
  /** How the batches are timed, for reports. */
  readonly clock: 'gpu timestamps' | 'host';
  /** Milliseconds per repetition of each batch, in order. */
  time(batches: readonly Batch[]): Promise<number[]>;
  dispose(): void;
}

const TARGET_MS = 2;
const ROUNDS = 3;

/**
 * Each list of kernels' fastest ms per run over ROUNDS interleaved rounds, each list run in a
 * batch of about TARGET_MS by `once`, its time for one run (at most `maxReps` runs a batch).
 */
export async function fastestInRounds(
  timer: TrialTimer,
  lists: readonly BoundKernel[][],
  once: readonly number[],
  maxReps: number,
  signal?: AbortSignal,
): Promise<number[]> {
  const batches = lists.map((kernels, i) => ({
    kernels,
    reps: Math.min(maxReps, Math.max(1, Math.round(TARGET_MS / Math.max(once[i], 1e-4)))),
  }));
  const best = lists.map(() => Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    signal?.throwIfAborted();
    (await timer.time(batches)).forEach((ms, i) => {
      best[i] = Math.min(best[i], ms);
    });
  }
  return best;
}

function encodeBatch(pass: GPUComputePassEncoder, b: Batch): void {
  for (let r = 0; r < b.reps; r++) for (const k of b.kernels) dispatch(pass, k);
  pass.end();
}

/** Timestamp queries where the device has them (the device must have been created with the feature). */
export function trialTimer(device: GPUDevice, maxBatches: number): TrialTimer {
  return device.features.has('timestamp-query') ? gpuTimer(device, maxBatches) : hostTimer(device);
}

function hostTimer(device: GPUDevice): TrialTimer {
  return {
    clock: 'host',
    async time(batches) {
      const out: number[] = [];
      for (const b of batches) {
        const t0 = performance.now();
        const enc = device.createCommandEncoder({ label: 'tune' });
        encodeBatch(enc.beginComputePass(), b);
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
        out.push((performance.now() - t0) / b.reps);
      }
      return out;
    },
    dispose() {},
  };
}

/**
 * Timestamps as the GPU writes them. An adapter whose timestamps come back zero or running
 * backwards (WebGPU allows both) is timed on the host from then on.
 */
function gpuTimer(device: GPUDevice, maxBatches: number): TrialTimer {
  const count = 2 * maxBatches;
  let host: TrialTimer | null = null;
  const querySet = device.createQuerySet({ type: 'timestamp', count });
  const resolved = device.createBuffer({
    size: 8 * count,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const readback = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  return {
    get clock() {
      return host ? host.clock : 'gpu timestamps';
    },
    async time(batches) {
      if (host) return host.time(batches);
      if (batches.length > maxBatches)
        throw new Error(`trial timer: ${batches.length} batches, room for ${maxBatches}`);
      const enc = device.createCommandEncoder({ label: 'tune' });
      for (const [i, b] of batches.entries()) {
        const timestampWrites = { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
        encodeBatch(enc.beginComputePass({ timestampWrites }), b);
      }
      const n = 2 * batches.length;
      enc.resolveQuerySet(querySet, 0, n, resolved, 0);
      enc.copyBufferToBuffer(resolved, 0, readback, 0, 8 * n);
      device.queue.submit([enc.finish()]);
      await readback.mapAsync(GPUMapMode.READ, 0, 8 * n);
      const ns = new BigUint64Array(readback.getMappedRange(0, 8 * n).slice(0));
      readback.unmap();
      const ms = batches.map((b, i) => Number(ns[2 * i + 1] - ns[2 * i]) / 1e6 / b.reps);
      if (ms.every((x) => x > 0)) return ms;
      host = hostTimer(device);
      return host.time(batches);
    },
    dispose() {
      querySet.destroy();
      resolved.destroy();
      readback.destroy();
    },
  };
}
