/**
 * @file How many elements one workgroup of the statistics passes takes, measured on the device
 * (kernels.ts, STATS_CHUNKS): pass 1 and the histogram pass over one tensor of TRIAL_ELEMENTS
 * (a 512×512 layer's activations or kernel), at every candidate chunk, timed like the product
 * trials; the fastest is kept with the adapter's product choices.
 */
import { bind, type PipelineCache, writeArray } from './kernel';
import * as K from './kernels';
import { fastestInRounds, type TrialTimer } from './trial-timer';

const TRIAL_ELEMENTS = 512 * 512;

/** Each candidate chunk's time (ms for the two passes), in STATS_CHUNKS's order. */
export async function timeStatsChunks(
  device: GPUDevice,
  cache: PipelineCache,
  timer: TrialTimer,
  signal?: AbortSignal,
): Promise<{ chunk: number; ms: number }[]> {
  const n = TRIAL_ELEMENTS;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const made: GPUBuffer[] = [];
  const buffer = (floats: number) => {
    const b = device.createBuffer({ label: 'tune.stats', size: 4 * floats, usage });
    made.push(b);
    return b;
  };
  try {
    const x = buffer(n);
    writeArray(
      device,
      x,
      Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
    );
    const stepInfo = buffer(4);
    writeArray(device, stepInfo, new Uint32Array([1, 0, 1, 0]));
    const p1 = buffer(K.STATS_MAX_GROUPS * K.STATS_PART1),
      p2 = buffer(K.STATS_MAX_GROUPS * K.STATS_PART2);
    const [partial, hist] = await Promise.all([
      cache.get(K.statsPartialKernel(0, false)),
      cache.get(K.statsHistKernel(false)),
    ]);
    const passes = K.STATS_CHUNKS.map((chunk) => {
      const groups = K.statsGroups(n, chunk);
      const u = { n, width: 0, groups, part: 0 };
      const kernels = [
        bind(device, partial, [x, stepInfo, p1], [groups, 1, 1], u),
        bind(device, hist, [x, stepInfo, p1, p2], [groups, 1, 1], { ...u, parts: groups }),
      ];
      for (const k of kernels) if (k.params) made.push(k.params);
      return kernels;
    });
    const first = await timer.time(passes.map((kernels) => ({ kernels, reps: 1 })));
    const best = await fastestInRounds(timer, passes, first, 64, signal);
    return K.STATS_CHUNKS.map((chunk, i) => ({ chunk, ms: best[i] }));
  } finally {
    for (const b of made) b.destroy();
  }
}
