/**
 * @file The GPU population trainer: draws every network's initial weights on the device
 * (shaders/population_init.wgsl), then trains them all at once, one invocation per network
 * (shaders/population_train.wgsl + the generated network), and reads back one outcome each.
 *
 * Epochs are cut into dispatches of a bounded amount of work (`epochsPerDispatch`), so no single
 * dispatch can keep a browser's GPU busy long enough to hang the tab; a few dispatches go in one
 * submit, at most two submits are in flight, and between them progress is reported and the
 * AbortSignal checked.
 */

import { ConfigError } from '../core/errors';
import { seedKey } from '../core/rng';
import { drawKindId, drawParams } from '../core/sampling';
import { checked } from '../gpu/device-health';
import { dispatch, groups1d, type Kernel, PipelineCache, writeArray } from '../gpu/kernel';
import { GpuScope, readBuffer } from '../gpu/scope';
import { networkCount, sizeField } from './config';
import type { AtlasData } from './data';
import { basinInitial, type DrawBlock, drawBlocks, drawTensorCpu, type TensorDraw } from './init';
import { INIT_WG, initKernel, TRAIN_WG, trainKernel } from './kernels';
import { type RunOptions, throwIfAborted } from './progress';
import type { AtlasConfig, NetShape, PopulationResult } from './types';

/** Work one invocation may do in one dispatch: parameters × samples × epochs. */
const DISPATCH_BUDGET = 1 << 16;
/** Epochs per dispatch at most, however small the network. */
const MAX_EPOCHS_PER_DISPATCH = 200;
/** Epochs of work per submit (several dispatches when they are short). */
const EPOCHS_PER_SUBMIT = 400;
const NEVER_U32 = 0xffffffff;

/** How many epochs one dispatch runs for a network of `params` on `samples` rows. */
function epochsPerDispatch(params: number, samples: number): number {
  return Math.max(1, Math.min(MAX_EPOCHS_PER_DISPATCH, Math.floor(DISPATCH_BUDGET / (params * samples))));
}

export class GpuPopulation {
  private readonly cache: PipelineCache;
  constructor(
    readonly device: GPUDevice,
    readonly adapter: string,
  ) {
    this.cache = PipelineCache.for(device);
  }

  /** Trains every network of the config's mode; `initial` overrides the drawn weights (parameter-major). */
  async run(
    cfg: AtlasConfig,
    shape: NetShape,
    data: AtlasData,
    opts: RunOptions & { initial?: Float32Array } = {},
  ): Promise<PopulationResult> {
    const { device } = this;
    const t0 = performance.now();
    const N = networkCount(cfg.mode),
      NP = shape.params,
      momentum = cfg.optimizer.momentum !== 0;
    const bytes = NP * N * 4 * (momentum ? 2 : 1);
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (bytes > limit) {
      throw new ConfigError(
        sizeField(cfg.mode),
        `needs ${(bytes / 2 ** 20).toFixed(1)} MiB of training state in one buffer, ` +
          `more than this GPU can bind (${(limit / 2 ** 20).toFixed(1)} MiB)`,
      );
    }
    const scope = new GpuScope(device);
    try {
      const [train, init] = await Promise.all([
        this.cache.get(trainKernel(cfg, shape, data)),
        this.cache.get(initKernel()),
      ]);
      const { initBuf, state, outcome } = await checked(device, 'atlas GPU setup', () => {
        const initBuf = scope.buffer('atlas.initial', NP * N * 4);
        const state = scope.buffer('atlas.state', NP * N * 4 * (momentum ? 2 : 1));
        const outcome = scope.upload('atlas.outcome', new Uint32Array(N * 4).fill(NEVER_U32));
        return { initBuf, state, outcome };
      });
      const dataBuf = scope.upload('atlas.data', data.rows);
      await checked(device, 'atlas initial weights', () => {
        const enc = device.createCommandEncoder();
        if (opts.initial) writeArray(device, initBuf, opts.initial);
        else if (cfg.mode.mode === 'basin') writeArray(device, initBuf, basinInitial(cfg, shape, cfg.mode));
        else this.encodeDraws(enc, init, scope, drawBlocks(cfg, shape), initBuf, N);
        enc.copyBufferToBuffer(initBuf, 0, state, 0, NP * N * 4);
        device.queue.submit([enc.finish()]);
      });

      const per = epochsPerDispatch(NP, data.samples);
      const groups: [number, number, number] = [...groups1d(N, TRAIN_WG), 1];
      const windows: [number, number][] = [];
      for (let t = 0; t <= cfg.epochs; t += per) windows.push([t, Math.min(t + per, cfg.epochs + 1)]);
      const fixed = {
        count: N,
        epochs: cfg.epochs,
        lr: cfg.optimizer.learning_rate,
        mu: cfg.optimizer.momentum,
        tol: cfg.criterion.kind === 'loss_below' ? cfg.criterion.value : 0,
      };
      const bound = windows.map(([a, b]) =>
        scope.bind(train, [dataBuf, state, outcome], groups, { ...fixed, t0: a, t1: b }),
      );
      const perSubmit = Math.max(1, Math.floor(EPOCHS_PER_SUBMIT / per));
      let inFlight: Promise<void> | null = null;
      for (let w = 0; w < windows.length; w += perSubmit) {
        throwIfAborted(opts.signal);
        await checked(device, 'atlas training', () => {
          const enc = device.createCommandEncoder();
          const pass = enc.beginComputePass();
          for (let k = w; k < Math.min(w + perSubmit, windows.length); k++) dispatch(pass, bound[k]);
          pass.end();
          device.queue.submit([enc.finish()]);
        });
        const done = windows[Math.min(w + perSubmit, windows.length) - 1][1];
        const submitted = device.queue
          .onSubmittedWorkDone()
          .then(() => opts.onProgress?.(Math.min(done, cfg.epochs) * N, cfg.epochs * N));
        if (inFlight) await inFlight;
        inFlight = submitted;
      }
      if (inFlight) await inFlight;
      throwIfAborted(opts.signal);

      const raw = new Uint32Array(await readBuffer(device, outcome, N * 16));
      const rawF = new Float32Array(raw.buffer);
      const epoch = new Int32Array(N),
        finalLoss = new Float32Array(N),
        finalCorrect = new Uint32Array(N);
      for (let n = 0; n < N; n++) {
        epoch[n] = raw[4 * n] | 0; // NEVER_U32 reads as -1 = NEVER
        finalLoss[n] = rawF[4 * n + 1];
        finalCorrect[n] = raw[4 * n + 2];
      }
      const initial = opts.initial ?? new Float32Array(await readBuffer(device, initBuf, NP * N * 4));
      return {
        networks: N,
        params: NP,
        initial,
        epoch,
        finalLoss,
        finalCorrect,
        backend: 'gpu',
        adapter: this.adapter,
        trainMs: performance.now() - t0,
      };
    } finally {
      scope.dispose();
    }
  }

  /**
   * Records every tensor's draw: the kernel for the four samplers it knows, a CPU draw written
   * into the buffer for orthogonal and identity (a QR per network is no GPU work).
   */
  private encodeDraws(
    enc: GPUCommandEncoder,
    init: Kernel,
    scope: GpuScope,
    blocks: DrawBlock[],
    out: GPUBuffer,
    N: number,
  ): void {
    const pass = enc.beginComputePass();
    for (const block of blocks) {
      const [seedLo, seedHi] = seedKey(block.seed);
      for (const t of block.tensors) {
        const kind = drawKindId(t.sampler);
        if (kind === null) {
          this.writeCpuDraw(block, t, out, N);
          continue;
        }
        const [a, b] = drawParams(t.sampler);
        const groups: [number, number, number] = [...groups1d(block.count * t.size, INIT_WG), 1];
        dispatch(
          pass,
          scope.bind(init, [out], groups, {
            count: N,
            first: block.first,
            networks: block.count,
            size: t.size,
            row: t.row,
            seed_lo: seedLo,
            seed_hi: seedHi,
            layer: t.layer,
            stream: t.stream,
            kind,
            a,
            b,
            zero: 0,
          }),
        );
      }
    }
    pass.end();
  }

  private writeCpuDraw(block: DrawBlock, t: TensorDraw, out: GPUBuffer, N: number): void {
    // Drawn into a (size × count) array as if the block were the whole population, then row by row.
    const tmp = new Float32Array(t.size * block.count);
    drawTensorCpu({ ...block, first: 0 }, { ...t, row: 0 }, block.count, tmp);
    for (let e = 0; e < t.size; e++) {
      writeArray(
        this.device,
        out,
        tmp.subarray(e * block.count, (e + 1) * block.count),
        ((t.row + e) * N + block.first) * 4,
      );
    }
  }
}
