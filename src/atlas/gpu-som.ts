/**
 * @file The batch SOM of som.ts on the GPU: per iteration three dispatches (BMU search,
 * per-unit sums in chunks, neighbourhood update), every iteration encoded into one submit; the
 * final BMUs and prototypes are read back once. The initial prototypes and the cell statistics
 * are the CPU's (cheap, and identical by construction).
 */
import { checked } from '../gpu/device-health';
import { dispatch, groups1d, type PipelineCache } from '../gpu/kernel';
import { GpuScope, readBuffer } from '../gpu/scope';
import { SOM_WG, somKernel } from './kernels';
import { type SomInput, type SomResult, somInitial, somInv2s2, somResult } from './som';

/** Floats the per-chunk sums may take: bounds chunks × units × (dim + 1). */
const SUMS_BUDGET = 1 << 22;

/** Vectors per chunk of the accumulation, so that units × chunks invocations share the work. */
function somChunking(n: number, units: number, dim: number): { chunk: number; chunks: number } {
  const chunks = Math.max(1, Math.min(Math.ceil(n / 1024), Math.floor(SUMS_BUDGET / (units * (dim + 1)))));
  const chunk = Math.ceil(n / chunks);
  return { chunk, chunks: Math.ceil(n / chunk) };
}

export async function trainSomGpu(device: GPUDevice, cache: PipelineCache, input: SomInput): Promise<SomResult> {
  const { cfg, data, n, dim, seed } = input;
  const { rows, cols } = cfg,
    units = rows * cols;
  const [bmuK, accK, updK] = await Promise.all(
    (['bmu', 'accumulate', 'update'] as const).map((s) => cache.get(somKernel(s, dim))),
  );
  const scope = new GpuScope(device);
  try {
    const { chunk, chunks } = somChunking(n, units, dim);
    const base = { n, units, cols, chunk, chunks };
    const bufs = await checked(device, 'SOM setup', () => ({
      data: scope.upload('som.data', data),
      protos: scope.upload('som.protos', somInitial(data, n, dim, units, seed)),
      bmu: scope.buffer('som.bmu', n * 4),
      sums: scope.buffer('som.sums', chunks * units * (dim + 1) * 4),
    }));
    await checked(device, 'SOM training', () => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      const run = (k: typeof bmuK, buffers: GPUBuffer[], u: Record<string, number>, count: number) =>
        dispatch(pass, scope.bind(k, buffers, [...groups1d(count, SOM_WG), 1], u));
      const bmuPass = () => run(bmuK, [bufs.data, bufs.protos, bufs.bmu], { ...base, inv2s2: 0 }, n);
      for (let it = 0; it < cfg.iterations; it++) {
        bmuPass();
        run(accK, [bufs.data, bufs.bmu, bufs.sums], { ...base, inv2s2: 0 }, units * chunks);
        run(updK, [bufs.sums, bufs.protos], { ...base, inv2s2: somInv2s2(cfg, it) }, units);
      }
      bmuPass();
      pass.end();
      device.queue.submit([enc.finish()]);
    });
    const bmu = new Uint32Array(await readBuffer(device, bufs.bmu, n * 4));
    const prototypes = new Float32Array(await readBuffer(device, bufs.protos, units * dim * 4));
    return somResult(input, prototypes, bmu);
  } finally {
    scope.dispose();
  }
}
