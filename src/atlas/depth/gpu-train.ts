/**
 * @file The trainable-depth population on the GPU: every network of the grid in three shared
 * buffers (layout.ts), each layer index one dispatch over all the networks that have it. A
 * training step is 3·(deepest + 1) dispatches whatever the number of networks: forward through
 * the hidden layers and the output, the softmax gradient, then per layer from the top the
 * gradient passed down and SGD in place. Batches are the rows of the shared training set named
 * in a small buffer written before each step's submit, so no step waits for another.
 */
import type { Dataset } from '../../core/types';
import { type BoundKernel, dispatch, groups1d, PipelineCache, writeArray } from '../../gpu/kernel';
import { GpuScope, readBuffer } from '../../gpu/scope';
import type { Schedule } from '../../train/schedule';
import { throwIfAborted } from '../progress';
import type { DepthConfig } from './config';
import { depthSchedule } from './cpu-train';
import { backInputKernel, backUpdateKernel, forwardKernel, initKernel, softmaxKernel, TILE } from './kernels';
import { type DepthLayout, depthLayout, layerSize } from './layout';

/** Steps submitted between waits for the queue (progress, cancellation). */
const STEPS_PER_WAIT = 8;

export class DepthGpuTrainer {
  private readonly scope: GpuScope;
  readonly layout: DepthLayout;
  private readonly buffers: Record<
    'params' | 'zs' | 'scratch' | 'trainX' | 'trainY' | 'testX' | 'testY' | 'rows' | 'info' | 'table' | 'correct',
    GPUBuffer
  >;
  private trainStep: BoundKernel[] = [];
  private evalPass: BoundKernel[] = [];
  private readonly schedule: Schedule;
  private stepsDone = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly cfg: DepthConfig,
    readonly train: Dataset,
    readonly test: Dataset,
  ) {
    this.scope = new GpuScope(device);
    this.layout = depthLayout(cfg, Math.min(cfg.batch_size, train.n));
    const L = this.layout;
    const f32 = (label: string, floats: number) => this.scope.buffer(label, floats * 4);
    this.buffers = {
      params: f32('deep.params', L.paramFloats),
      zs: f32('deep.zs', L.zFloats),
      scratch: f32('deep.scratch', L.scratchFloats),
      trainX: this.scope.upload('deep.trainX', train.x),
      trainY: this.scope.upload('deep.trainY', train.labels),
      testX: this.scope.upload('deep.testX', test.x),
      testY: this.scope.upload('deep.testY', test.labels),
      rows: f32('deep.rows', L.rows),
      info: f32('deep.info', 4),
      table: this.scope.upload('deep.table', L.tables.data),
      correct: f32('deep.correct', L.networks.length),
    };
    this.schedule = depthSchedule(cfg, train.n);
  }

  /** Buffers the layout needs, against the device's limits; the config field to blame on a miss. */
  static check(device: GPUDevice, cfg: DepthConfig): string | null {
    const L = depthLayout(cfg);
    const largest = 4 * Math.max(L.paramFloats, L.zFloats, L.scratchFloats);
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (largest <= limit) return null;
    const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
    return `the grid needs a ${mib(largest)} buffer, more than this GPU binds (${mib(limit)}): fewer or shallower networks, a smaller width or batch`;
  }

  static async create(device: GPUDevice, cfg: DepthConfig, train: Dataset, test: Dataset): Promise<DepthGpuTrainer> {
    const t = new DepthGpuTrainer(device, cfg, train, test);
    try {
      await t.build();
      t.initialize();
    } catch (e) {
      t.dispose();
      throw e;
    }
    return t;
  }

  private async build(): Promise<void> {
    const { cfg, layout: L, buffers: B } = this;
    const cache = PipelineCache.for(this.device);
    const act = cfg.activation;
    const [fwdX, fwd, bIn, bInOut, upX, up, upOut, grad, correct, init] = await Promise.all([
      cache.get(forwardKernel(act, true)),
      cache.get(forwardKernel(act, false)),
      cache.get(backInputKernel(act, false)),
      cache.get(backInputKernel(act, true)),
      cache.get(backUpdateKernel(act, true, false)),
      cache.get(backUpdateKernel(act, false, false)),
      cache.get(backUpdateKernel(act, false, true)),
      cache.get(softmaxKernel(true)),
      cache.get(softmaxKernel(false)),
      cache.get(initKernel()),
    ]);
    const T = L.tables;
    const size = (l: number) => layerSize(l, l + 1, L.width, L.inputDim, L.classes);
    const out = { k: L.width, n: L.classes };
    const tiles = (cols: number, rows: number, slots: number): [number, number, number] => [
      Math.ceil(cols / TILE),
      Math.ceil(rows / TILE),
      slots,
    ];
    const forward = (dataX: GPUBuffer) =>
      T.forward.map((d, l) =>
        this.scope.bind(
          l === 0 ? fwdX : fwd,
          [B.params, B.zs, dataX, B.rows, B.table, B.info],
          tiles(size(l).n, L.rows, d.slots),
          {
            ...size(l),
            table_base: d.base,
          },
        ),
      );
    const output = this.scope.bind(
      fwd,
      [B.params, B.zs, B.trainX, B.rows, B.table, B.info],
      tiles(out.n, L.rows, T.output.slots),
      {
        ...out,
        table_base: T.output.base,
      },
    );
    const softmax = (kernel: typeof grad, labels: GPUBuffer) =>
      this.scope.bind(
        kernel,
        [B.zs, B.scratch, labels, B.rows, B.table, B.info, B.correct],
        [Math.ceil(L.rows / 256), T.loss.slots, 1],
        {
          n: L.classes,
          table_base: T.loss.base,
          slots: T.loss.slots,
        },
      );
    const lr = cfg.learning_rate;
    const backward: BoundKernel[] = [
      this.scope.bind(bInOut, [B.params, B.zs, B.scratch, B.table, B.info], tiles(out.k, L.rows, T.outInput.slots), {
        ...out,
        table_base: T.outInput.base,
      }),
      this.scope.bind(
        upOut,
        [B.params, B.zs, B.trainX, B.rows, B.scratch, B.table, B.info],
        tiles(out.n, out.k + 1, T.outUpdate.slots),
        { ...out, table_base: T.outUpdate.base, lr },
      ),
    ];
    for (let l = L.maxDepth - 1; l >= 0; l--) {
      const s = size(l);
      if (l > 0)
        backward.push(
          this.scope.bind(bIn, [B.params, B.zs, B.scratch, B.table, B.info], tiles(s.k, L.rows, T.backInput[l].slots), {
            ...s,
            table_base: T.backInput[l].base,
          }),
        );
      backward.push(
        this.scope.bind(
          l === 0 ? upX : up,
          [B.params, B.zs, B.trainX, B.rows, B.scratch, B.table, B.info],
          tiles(s.n, s.k + 1, T.backUpdate[l].slots),
          { ...s, table_base: T.backUpdate[l].base, lr },
        ),
      );
    }
    this.trainStep = [...forward(B.trainX), output, softmax(grad, B.trainY), ...backward];
    this.evalPass = [...forward(B.testX), output, softmax(correct, B.testY)];
    this.initPass = T.init.map((d) => {
      const s = d.layer === 'out' ? out : size(d.layer);
      return this.scope.bind(init, [B.params, B.table], [...groups1d(d.slots * (s.k + 1) * s.n), 1], {
        ...s,
        table_base: d.base,
        slots: d.slots,
        seed_lo: cfg.seed >>> 0,
        seed_hi: Math.floor(cfg.seed / 2 ** 32) >>> 0,
        bias_sd: Math.sqrt(cfg.bias_variance),
        zero: 0,
      });
    });
  }

  private initPass: BoundKernel[] = [];

  private submit(kernels: BoundKernel[]): void {
    const enc = this.device.createCommandEncoder({ label: 'deep' });
    const pass = enc.beginComputePass();
    for (const k of kernels) if (k.groups[2] > 0) dispatch(pass, k);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  private initialize(): void {
    this.submit(this.initPass);
  }

  private setRows(rows: Uint32Array): void {
    writeArray(this.device, this.buffers.rows, rows);
    writeArray(this.device, this.buffers.info, Uint32Array.of(rows.length, 0, 0, 0));
  }

  /** Trains `steps` more steps (the same batches for every network), reporting each wait. */
  async trainSteps(steps: number, onProgress?: (done: number) => void, signal?: AbortSignal): Promise<void> {
    for (let s = 0; s < steps; s++) {
      this.stepsDone++;
      this.setRows(this.schedule.rowsOf(this.stepsDone));
      this.submit(this.trainStep);
      if ((s + 1) % STEPS_PER_WAIT === 0 || s === steps - 1) {
        await this.device.queue.onSubmittedWorkDone();
        onProgress?.(s + 1);
        throwIfAborted(signal);
      }
    }
  }

  /** The fraction of the evaluation rows each network classifies right, in grid-cell order. */
  async accuracy(): Promise<Float64Array> {
    const L = this.layout;
    writeArray(this.device, this.buffers.correct, new Uint32Array(L.networks.length));
    for (let start = 0; start < this.test.n; start += L.rows) {
      const count = Math.min(L.rows, this.test.n - start);
      this.setRows(Uint32Array.from({ length: count }, (_, i) => start + i));
      this.submit(this.evalPass);
    }
    const counts = new Uint32Array(await readBuffer(this.device, this.buffers.correct, L.networks.length * 4));
    const out = new Float64Array(L.networks.length);
    L.networks.forEach((net, i) => {
      out[net.cell] = counts[i] / this.test.n;
    });
    return out;
  }

  /** Every network's [W; b] per layer (output last), in grid-cell order: for tests. */
  async parameters(): Promise<Float32Array[][]> {
    const L = this.layout;
    const all = new Float32Array(await readBuffer(this.device, this.buffers.params, L.paramFloats * 4));
    const out: Float32Array[][] = [];
    L.networks.forEach((net, i) => {
      out[net.cell] = L.paramOffset[i].map((offset, l) => {
        const { k, n } = layerSize(l, net.depth, L.width, L.inputDim, L.classes);
        return all.slice(offset, offset + (k + 1) * n);
      });
    });
    return out;
  }

  dispose(): void {
    this.scope.dispose();
  }
}
