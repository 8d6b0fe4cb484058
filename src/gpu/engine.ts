/**
 * @file The GPU engine: builds a network's step plan once, then encodes training steps from it.
 *
 * Building: the tensors are allocated (tensors of small networks in two arenas, so that one
 * fused kernel reaches them all), each product's kernel variant is planned, then every layer's
 * dispatches (layer-plan.ts) and the statistics (stats-plan.ts) into one step plan
 * (step-plan.ts); its kernels are compiled and it is bound to its buffers. Training: the whole
 * dataset lives on the GPU. A call to `run` encodes up to a chunk of steps per command buffer,
 * what changes between them in a step table (step-table.ts). On a recorded step the statistics
 * write every layer's slots, which are copied with the loss totals into a pooled mappable
 * buffer and parsed when it maps: the training loop itself never waits for a read-back.
 */
import { targetsFor } from '../core/datasets';
import type { Activation, Dataset, RunConfig } from '../core/types';
import type { BuildOptions, Engine, LayerWeights, Prediction, StepRecord } from '../train/engine';
import { checkFits, checkWeights, type LayerShape, layerShapes } from '../train/model';
import { Schedule } from '../train/schedule';
import { Binder, compileKernels } from './compile';
import { checked, DeviceWatch } from './device-health';
import { fusedEligible } from './fused';
import { initializeWeights } from './initial-weights';
import { type BoundKernel, dispatch, PipelineCache } from './kernel';
import * as K from './kernels';
import { epilogueStats, type LayerProducts, type PlanProduct, planProducts, productCallsWith } from './layer-plan';
import { Predictor } from './predict';
import * as P from './products';
import { readWeights } from './read-weights';
import { GpuScope } from './scope';
import { allocateTensors, type NetworkTensors } from './slices';
import { StatsPlan } from './stats-plan';
import { bindStep, planStep, type StepPlan, type StepPlanContext, stepCalls } from './step-plan';
import { StepTable } from './step-table';
import { networkShapes, ProductTuner } from './tuner';

/**
 * Steps encoded into one command buffer at most: enough to amortize a submit, few enough to keep
 * the page responsive. Fused small networks take many more, their steps being microseconds.
 */
const STEP_CAP = 256;
const FUSED_STEP_CAP = 4096;

/** Which variant each product runs and the statistics passes' chunk (kernels.ts, statsGroups). */
export type EngineChoices = P.ProductChoices & { statsChunk: number };

/**
 * The choices of a network the fused kernel steps (fusedEligible): its per-layer products run
 * only on recorded steps and are a few workgroups each, their time the dispatch's on any adapter,
 * so they are not tuned; the general kernel takes every shape, and every tensor's statistics fit
 * one workgroup.
 */
const SMALL_NETWORK: EngineChoices = { variantFor: () => 'general', statsChunk: K.STATS_CHUNKS[0] };

export interface GpuEngineOptions extends BuildOptions {
  /** Fixed choices instead of the tuner's (tests force variants with it). */
  products?: EngineChoices;
}

export class GpuEngine implements Engine {
  readonly backend = 'gpu' as const;
  step = 0;
  private readonly sched: Schedule;
  private readonly shapes: LayerShape[];
  private readonly activations: Activation[];
  /** Every buffer of the engine: dispose() destroys them all. */
  private readonly scope: GpuScope;
  /** A lost device, an uncaptured error or a failed read-back: the first ends every call after it. */
  private readonly watch: DeviceWatch;
  /** What the product variants may use of this device. */
  private readonly caps: P.ProductCaps;
  // What create() and build() make.
  /** The variant each product runs, and the statistics passes' chunk: measured (tuner.ts) or given. */
  private choices!: EngineChoices;
  private cache!: PipelineCache;
  private tensors!: NetworkTensors;
  private table!: StepTable;
  /** The loss totals of the steps since the last record: summed loss, correct, rows. */
  private totals!: GPUBuffer;
  private stats!: StatsPlan;
  private plan!: StepPlan<BoundKernel>;
  private predictor!: Predictor;

  /**
   * An engine for `cfg` on `device`. First the product tuner times the variants of the network's
   * products that this device has no measurement for (its `trials` phase), unless the network is
   * small enough for the fused kernel (SMALL_NETWORK) or `options.products` fixes the choice.
   * Then the build (see BuildOptions); a failed or aborted build leaves no buffer behind.
   */
  static async create(
    cfg: RunConfig,
    data: Dataset,
    device: GPUDevice,
    adapter: string,
    options: GpuEngineOptions = {},
  ): Promise<GpuEngine> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const engine = new GpuEngine(cfg, data, device, adapter);
    try {
      const small = fusedEligible(engine.shapes, engine.sched.batch, data.inputDim);
      engine.choices =
        options.products ??
        (small
          ? SMALL_NETWORK
          : await ProductTuner.for(device).choices(networkShapes(engine.shapes, engine.sched.batch), {
              signal,
              onProgress: (done, total) => onProgress?.({ phase: 'trials', done, total }),
            }));
      await checked(device, 'GPU setup failed', () => engine.build(options));
      signal?.throwIfAborted();
    } catch (e) {
      engine.dispose();
      throw e;
    }
    return engine;
  }

  private constructor(
    readonly cfg: RunConfig,
    readonly data: Dataset,
    readonly device: GPUDevice,
    readonly adapter: string,
  ) {
    this.shapes = layerShapes(cfg);
    this.activations = cfg.layers.map((L) => L.activation);
    this.caps = P.productCapsOf(device);
    this.sched = new Schedule(data.n, cfg.batch_size, cfg.epochs, cfg.seed, cfg.log_every);
    const lim = device.limits;
    checkFits(this.shapes, this.sched.batch, data.n, data.inputDim, this.shapes[this.shapes.length - 1].units, {
      maxBinding: Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize),
      maxTotal: 4 * 1024 ** 3,
      where: 'this GPU',
    });
    this.scope = new GpuScope(device);
    this.watch = new DeviceWatch(device);
  }

  get totalSteps(): number {
    return this.sched.totalSteps;
  }

  /** The plan of a product: the one place its kernel variant is chosen. */
  private readonly planProduct: PlanProduct = (form, M, N, K, epilogue) =>
    P.chosenPlan(this.choices, this.caps, form, M, N, K, epilogue);

  private async build(options: BuildOptions): Promise<void> {
    const { data, scope, shapes, activations } = this;
    const batch = this.sched.batch;
    const fused = fusedEligible(shapes, batch, data.inputDim);
    this.cache = PipelineCache.for(this.device, fused);
    this.tensors = allocateTensors((label, bytes) => scope.buffer(label, bytes), shapes, batch, data.inputDim, fused);
    this.table = new StepTable(scope, this.sched, this.cfg.optimizer, fused ? FUSED_STEP_CAP : STEP_CAP);
    this.totals = scope.buffer('totals', 16);
    const products = planProducts(this.planProduct, shapes, activations, batch);
    this.stats = new StatsPlan(
      scope,
      this.table.stepInfo,
      {
        layers: this.tensors.layers,
        activations,
        epilogues: epilogueStats(products),
        batch,
        chunk: this.choices.statsChunk,
      },
      (e) => this.watch.fail(e),
    );
    const plan = planStep(scope, this.stepContext(products));
    const kernels = await compileKernels(
      this.cache,
      stepCalls(plan).map((c) => c.desc),
      options,
    );
    this.plan = bindStep(plan, new Binder(scope, kernels), options.onProgress);
    this.predictor = new Predictor(
      scope,
      this.cache,
      this.tensors.layers,
      activations,
      data.inputDim,
      this.planProduct,
    );
  }

  /** What planning the step needs: the tensors and buffers build() made, the data, the products. */
  private stepContext(products: LayerProducts[]): StepPlanContext {
    const { cfg, data, scope, shapes, tensors, table } = this;
    const batch = this.sched.batch;
    // Scratch for the transposed operands of products: an X or a dZ (A), a W (B).
    const widest = Math.max(...shapes.map((s) => Math.max(s.fanIn, s.units)));
    const largestKernel = Math.max(...shapes.map((s) => s.fanIn * s.units));
    return {
      cfg,
      inputDim: data.inputDim,
      batch,
      activations: this.activations,
      tensors,
      layers: tensors.layers,
      input: tensors.batch.Xb,
      products,
      stats: this.stats,
      stepInfo: table.stepInfo,
      perm: table.perm,
      table: table.table,
      totals: this.totals,
      dummy: scope.buffer('dummy', 16),
      X: scope.upload('X', data.x),
      Y: scope.upload('Y', targetsFor(data.labels, shapes[shapes.length - 1].units)),
      optimizer: K.optimizerKind(cfg.optimizer),
      productCalls: productCallsWith(scope, batch * widest, largestKernel),
    };
  }

  /**
   * The kernels one unfused step dispatches, in order (forward, loss, backward, update), by
   * name: which product kernel each layer got on this device. For tests and reports.
   */
  stepKernels(): string[] {
    const { gather, layers, loss } = this.plan;
    const backward = [...layers].reverse().flatMap((L) => L.backward);
    const kernels = [
      ...gather,
      ...layers.flatMap((L) => L.forward),
      ...loss,
      ...backward,
      ...layers.flatMap((L) => L.update),
    ];
    return kernels.map((k) => k.kernel.desc.name);
  }

  async init(weights?: LayerWeights[]): Promise<StepRecord> {
    if (weights) checkWeights(this.shapes, weights);
    await initializeWeights(this.device, this.cache, this.cfg, this.tensors.layers, weights);
    this.step = 0;
    // The step-0 record: forward and backward on the first batch, no update.
    this.table.write(this.device, 0, 0);
    const enc = this.device.createCommandEncoder({ label: 'step0' });
    enc.clearBuffer(this.totals);
    const rb = await this.stats.readback.take();
    this.encodeStep(enc, 0, false, rb);
    this.device.queue.submit([enc.finish()]);
    let record: StepRecord | null = null;
    this.stats.readback.deliver(rb, (raw) => {
      record = this.record(0, raw);
    });
    await this.stats.readback.drain();
    this.throwIfFailed();
    return record!;
  }

  /**
   * One training step into `enc`: forward, loss, backward, and (unless `update` is false) the
   * optimizer; statistics when `rb` is given.
   */
  private encodeStep(enc: GPUCommandEncoder, local: number, update: boolean, rb: GPUBuffer | null): void {
    const { gather, layers, loss, statistics } = this.plan;
    const recorded = rb !== null;
    const run = (kernels: BoundKernel[]) => {
      for (const k of kernels) dispatch(pass, k);
    };
    this.table.selectStep(enc, local);
    const pass = enc.beginComputePass();
    run(gather);
    for (const L of layers) run(recorded ? L.recordForward : L.forward);
    run(loss);
    for (let l = layers.length - 1; l >= 0; l--) run(recorded ? layers[l].recordBackward : layers[l].backward);
    for (const L of layers) run(recorded ? (update ? L.recordUpdate : L.recordStill) : update ? L.update : []);
    if (recorded) run(statistics);
    pass.end();
    if (rb) this.stats.encodeReadback(enc, this.totals, rb);
  }

  /** The record of step `s` from its read-back. */
  private record(s: number, raw: Float32Array): StepRecord {
    return { step: s, epoch: this.sched.epochAfter(s), ...this.stats.parse(raw) };
  }

  async run(steps: number, onRecord: (r: StepRecord) => void, signal?: AbortSignal): Promise<void> {
    const end = this.step + steps;
    const { readback } = this.stats;
    let previous: Promise<undefined> | null = null;
    while (this.step < end && !signal?.aborted) {
      this.throwIfFailed();
      const from = this.step;
      let count = 0,
        records = 0;
      while (from + count < end && count < this.table.capacity && records < readback.capacity) {
        count++;
        if (this.sched.isRecorded(from + count, end)) records++;
      }
      const { parts, ranges } = this.table.plan(from, count, end, this.plan.fused !== null);
      this.table.write(this.device, from, count, ranges);
      const enc = this.device.createCommandEncoder({ label: `steps ${from + 1}-${from + count}` });
      const pending: [GPUBuffer, number][] = [];
      for (const part of parts) {
        if (part.fused) {
          this.table.selectRange(enc, part.at);
          const pass = enc.beginComputePass();
          dispatch(pass, this.plan.fused!);
          pass.end();
          continue;
        }
        const s = from + 1 + part.at;
        const rb = this.sched.isRecorded(s, end) ? await readback.take() : null;
        this.encodeStep(enc, part.at, true, rb);
        if (rb) pending.push([rb, s]);
      }
      this.device.queue.submit([enc.finish()]);
      for (const [rb, s] of pending) readback.deliver(rb, (raw) => onRecord(this.record(s, raw)));
      this.step = from + count;
      // At most two command buffers in flight: enough to keep the GPU busy, bounded memory.
      if (previous) await previous;
      previous = this.device.queue.onSubmittedWorkDone();
    }
    if (previous) await previous;
    await readback.drain();
    this.throwIfFailed();
  }

  weights(): Promise<LayerWeights[]> {
    return readWeights(this.device, this.tensors.layers);
  }

  async predict(x: Float32Array, n: number): Promise<Prediction> {
    const prediction = await this.predictor.predict(x, n);
    this.throwIfFailed();
    return prediction;
  }

  private throwIfFailed(): void {
    this.watch.throwIfFailed();
  }

  dispose(): void {
    this.watch.close();
    this.scope.dispose();
  }
}
