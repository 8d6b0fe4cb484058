/**
 * @file The GPU engine: plans buffers, binds kernels once, and encodes training steps.
 *
 * The whole dataset lives on the GPU. A call to `run` encodes up to `stepCap` steps per command
 * buffer; what changes from step to step inside one command buffer (the batch's rows and where its
 * indices start, the iteration number, Adam's step size) sits in a small step table uploaded
 * with the chunk's permutation indices and copied into `cur` before each step. On a recorded
 * step the statistics kernels write every layer's slots, the encoder copies them with the loss
 * totals into a pooled mappable buffer, and the record is parsed when that buffer maps: the
 * training loop itself never waits for a read-back.
 */

import { adamAlpha } from '../core/cpu/optimizers';
import { targetsFor } from '../core/datasets';
import { ACTIVATION_ID, LOSS_ID } from '../core/ids';
import { drawKindId, drawParams, resolveSampler, sampleCpu } from '../core/initializers';
import { isFused } from '../core/losses';
import { Stream, seedKey } from '../core/rng';
import { layerStats, SLOT_SIZE, SLOTS_PER_LAYER, saturationMode } from '../core/stats';
import type { Dataset, RunConfig } from '../core/types';
import type { Engine, LayerWeights, Prediction, StepRecord } from '../train/engine';
import { checkFits, checkWeights, type LayerShape, layerShapes } from '../train/model';
import { Schedule } from '../train/schedule';
import { DeviceWatch } from './device-health';
import { fusedDesc, fusedEligible, fusedLayout } from './fused';
import {
  type BoundKernel,
  bind,
  dispatch,
  groups1d,
  type Kernel,
  PipelineCache,
  type Slice,
  writeArray,
} from './kernel';
import * as K from './kernels';
import * as P from './products';
import { ReadbackPool } from './readback';
import { GpuScope } from './scope';
import { type LayerBuffers, SlicePlanner } from './slices';
import { networkShapes, ProductTuner } from './tuner';

/**
 * Steps encoded into one command buffer at most: enough to amortize a submit, few enough to keep
 * the page responsive. Fused small networks take many more, their steps being microseconds.
 */
const STEP_CAP = 256;
const FUSED_STEP_CAP = 4096;
/** Mappable buffers for records in flight; a chunk never holds more records than this. */
const READBACK_POOL = 8;
/** Bytes of one StepInfo (shaders/step.wgsl). */
const STEP_INFO_BYTES = 16;

/** Which variant each product runs and the statistics passes' chunk (kernels.ts, statsGroups). */
export type EngineChoices = P.ProductChoices & { statsChunk: number };

/**
 * The choices of a network the fused kernel steps (fusedEligible): its per-layer products run
 * only on recorded steps and are a few workgroups each, their time the dispatch's on any adapter,
 * so they are not tuned; the general kernel takes every shape, and every tensor's statistics fit
 * one workgroup.
 */
const SMALL_NETWORK: EngineChoices = { variantFor: () => 'general', statsChunk: K.STATS_CHUNKS[0] };

export interface GpuEngineOptions {
  signal?: AbortSignal;
  /** Trials of the product tuner done, of trials to do, while the engine is built. */
  onProgress?(done: number, total: number): void;
  /** Fixed choices instead of the tuner's (tests force variants with it). */
  products?: EngineChoices;
}

/** Forward-only buffers and kernels for `predict`, built on first use. */
interface PredictPlan {
  rows: number;
  X: GPUBuffer;
  Z: GPUBuffer;
  A: GPUBuffer;
  kernels: BoundKernel[];
  readback: GPUBuffer;
}

/**
 * Rows per predict pass: plans are built per power-of-two bucket from 256 up to this, so a
 * 64×64 boundary grid runs 4096 rows, not the largest bucket.
 */
const PREDICT_ROWS = 65536;

interface LayerKernels {
  forward: BoundKernel[];
  backward: BoundKernel[];
  /**
   * On a recorded step, instead of `forward` and `backward`: the same, but where the plan allows
   * it the forward product also reduces Z and A into pass 1 of their statistics, and the dX
   * product dA of the layer below (P.Epilogue.stats).
   */
  recordForward: BoundKernel[];
  recordBackward: BoundKernel[];
  update: BoundKernel[];
  /** On a recorded step, instead of `update`: the optimizer with pass 1 of W's, dW's and the update's statistics. */
  recordUpdate: BoundKernel[];
  /** The same without updating (the record before the first step). */
  recordStill: BoundKernel[];
  /** Passes 1 and 2 of the rest of a record's statistics, after `recordUpdate` or `recordStill`. */
  stats: BoundKernel[];
}

export class GpuEngine implements Engine {
  readonly backend = 'gpu' as const;
  step = 0;
  private readonly sched: Schedule;
  private readonly shapes: LayerShape[];
  private cache!: PipelineCache;
  /** Every buffer of the engine: dispose() destroys them all. */
  private readonly scope: GpuScope;
  private readonly outDim: number;
  private layers: LayerBuffers[] = [];
  private kernels: LayerKernels[] = [];
  private head: BoundKernel[] = [];
  private lossKernels: BoundKernel[] = [];
  private cur!: GPUBuffer;
  private table!: GPUBuffer;
  private perm!: GPUBuffer;
  private totals!: GPUBuffer;
  private stats!: GPUBuffer;
  private readonly statsBytes: number;
  private readonly readback: ReadbackPool;
  /** A lost device, an uncaptured error or a failed read-back: the first ends every call after it. */
  private readonly watch: DeviceWatch;
  private readonly predictPlans = new Map<number, Promise<PredictPlan>>();
  private parts: [GPUBuffer, GPUBuffer] | null = null;
  private partsUsed = 0;
  /**
   * Partials the model's statistics may reserve: the product epilogues' regions, reserved first
   * in build, plus layers × 6 × STATS_MAX_GROUPS for the passes over tensors.
   */
  private partsCap = 0;
  private fused = false;
  private stepCap = STEP_CAP;
  private fusedKernel: BoundKernel | null = null;
  /** Pass 3 of every slot of a record, after every layer's `stats`. */
  private statsFinal: BoundKernel | null = null;
  /** The slots pass 3 writes, gathered while the layers' kernels are bound. */
  private readonly slotTasks: K.SlotTask[] = [];
  /** What the product variants may use of this device. */
  private readonly caps: P.ProductCaps;
  /** The variant each product runs, and the statistics passes' chunk: measured (tuner.ts) or given. */
  private choices!: EngineChoices;

  /**
   * An engine for `cfg` on `device`. First the product tuner times the variants of the network's
   * products that this device has no measurement for (reporting its trials through
   * `opts.onProgress`, cancelled by `opts.signal`), unless the network is small enough for the
   * fused kernel (SMALL_NETWORK) or `opts.products` fixes the choice.
   */
  static async create(
    cfg: RunConfig,
    data: Dataset,
    device: GPUDevice,
    adapter: string,
    opts: GpuEngineOptions = {},
  ): Promise<GpuEngine> {
    const e = new GpuEngine(cfg, data, device, adapter);
    try {
      const small = fusedEligible(e.shapes, e.sched.batch, data.inputDim);
      e.choices =
        opts.products ??
        (small
          ? SMALL_NETWORK
          : await ProductTuner.for(device).choices(networkShapes(e.shapes, e.sched.batch), {
              signal: opts.signal,
              onProgress: opts.onProgress,
            }));
      await e.build();
    } catch (err) {
      e.dispose();
      throw err;
    }
    return e;
  }

  private constructor(
    readonly cfg: RunConfig,
    readonly data: Dataset,
    readonly device: GPUDevice,
    readonly adapter: string,
  ) {
    this.scope = new GpuScope(device);
    this.watch = new DeviceWatch(device);
    this.shapes = layerShapes(cfg);
    this.caps = P.productCapsOf(device);
    this.sched = new Schedule(data.n, cfg.batch_size, cfg.epochs, cfg.seed, cfg.log_every);
    this.outDim = this.shapes[this.shapes.length - 1].units;
    const lim = device.limits;
    checkFits(this.shapes, this.sched.batch, data.n, data.inputDim, this.outDim, {
      maxBinding: Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize),
      maxTotal: 4 * 1024 ** 3,
      where: 'this GPU',
    });
    this.statsBytes = this.shapes.length * SLOTS_PER_LAYER * SLOT_SIZE * 4;
    this.readback = new ReadbackPool(
      (bytes) => this.buffer('readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST),
      this.statsBytes + 16,
      READBACK_POOL,
      (e) => this.watch.fail(e),
    );
  }

  get totalSteps(): number {
    return this.sched.totalSteps;
  }

  private buffer(label: string, bytes: number, usage?: GPUBufferUsageFlags): GPUBuffer {
    return this.scope.buffer(label, bytes, usage);
  }

  /** Binds a kernel; its uniform buffer is the engine's. */
  private bind(
    kernel: Kernel,
    buffers: (GPUBuffer | Slice)[],
    groups: [number, number, number],
    uniforms?: Record<string, number>,
  ): BoundKernel {
    return this.scope.bind(kernel, buffers, groups, uniforms);
  }

  private upload(label: string, data: Float32Array | Uint32Array): GPUBuffer {
    return this.scope.upload(label, data);
  }

  private async build(): Promise<void> {
    const { device, cfg, data } = this;
    const B = this.sched.batch,
      inDim = data.inputDim,
      outDim = this.outDim;
    const f = 4;
    const X = this.upload('X', data.x);
    const Y = this.upload('Y', targetsFor(data.labels, outDim));
    this.fused = fusedEligible(this.shapes, B, inDim);
    this.cache = PipelineCache.for(device, this.fused);
    const make = (label: string, bytes: number) => this.buffer(label, bytes);
    const st = new SlicePlanner(make, 'state', this.fused);
    const ac = new SlicePlanner(make, 'activations', this.fused);
    const Xb = ac.add('Xb', B * inDim * f);
    const Yb = ac.add('Yb', B * outDim * f);
    const rowOut = ac.add('rowOut', B * 8);
    const dummy = this.buffer('dummy', 16);
    this.cur = this.buffer('cur', STEP_INFO_BYTES);
    // The step table, then (for the fused kernel) one (first, count) range per dispatch.
    this.stepCap = this.fused ? FUSED_STEP_CAP : STEP_CAP;
    this.table = this.buffer('steps', 2 * this.stepCap * STEP_INFO_BYTES);
    this.perm = this.buffer('perm', this.stepCap * B * 4);
    this.totals = this.buffer('totals', 16);
    this.stats = this.buffer('stats', this.statsBytes);
    this.layers = this.shapes.map((shape, l) => {
      const k = shape.fanIn * shape.units * f,
        u = shape.units * f,
        a = B * shape.units * f;
      const n = (x: string) => `layer${l}.${x}`;
      return {
        shape,
        W: st.add(n('W'), k),
        b: st.add(n('b'), u),
        dW: st.add(n('dW'), k),
        db: st.add(n('db'), u),
        sW1: st.add(n('sW1'), k),
        sW2: st.add(n('sW2'), k),
        sb1: st.add(n('sb1'), u),
        sb2: st.add(n('sb2'), u),
        Z: ac.add(n('Z'), a),
        A: ac.add(n('A'), a),
        dA: ac.add(n('dA'), a),
        dZ: ac.add(n('dZ'), a),
      };
    });
    const stArena = st.finish(),
      acArena = ac.finish();

    device.pushErrorScope('validation');
    const get = (d: Parameters<PipelineCache['get']>[0]): Promise<Kernel> => this.cache.get(d);
    const gather = await get(K.gatherKernel());
    this.head = [
      this.bind(gather, [X, this.perm, this.cur, Xb], [...groups1d(B * inDim), 1], { batch: B, width: inDim }),
      this.bind(gather, [Y, this.perm, this.cur, Yb], [...groups1d(B * outDim), 1], { batch: B, width: outDim }),
    ];
    const opt = K.optimizerKind(cfg.optimizer);
    const optK = await get(K.optimizerKernel(opt.id));
    const [colsum, softmax] = await Promise.all([get(K.colsumKernel()), get(K.softmaxKernel())]);
    const widest = Math.max(...this.shapes.map((s) => Math.max(s.fanIn, s.units)));
    const scratch = this.transposeScratch(B * widest, Math.max(...this.shapes.map((s) => s.fanIn * s.units)));
    const matmul = (
      plan: P.MatmulPlan,
      bufs: [Slice, Slice, GPUBuffer | Slice, Slice],
      epilogueBufs: (GPUBuffer | Slice)[] = [],
    ) => this.bindCalls(P.matmulCalls(plan, bufs, scratch(plan), epilogueBufs));
    // The activation's forward runs in the epilogue of the layer's product where the plan allows,
    // its derivative in the epilogue of the dX product of the layer above (softmax: its own kernel).
    // On a recorded step, where the plan allows, these epilogues also reduce what they store
    // (`stats`): Z and A of layer l, dA of layer l - 1.
    const epilogue = (kind: P.Epilogue['kind'], l: number, stats = false): P.Epilogue | undefined => {
      const a = cfg.layers[l].activation,
        id = ACTIVATION_ID[a.name];
      return id === ACTIVATION_ID.softmax
        ? undefined
        : { kind, act: id, alpha: a.alpha, stats, sat: saturationMode(a) };
    };
    const fwdPlan = (l: number, stats = false) =>
      this.plan('forward', B, this.shapes[l].units, this.shapes[l].fanIn, epilogue('act', l, stats));
    const dXPlan = (l: number, stats = false) =>
      this.plan('dX', B, this.shapes[l].fanIn, this.shapes[l].units, epilogue('act_grad', l - 1, stats));
    const last = this.layers.length - 1;
    // A recorded step's products, and where their epilogues' statistics go: one partial per
    // workgroup and tensor (Z's then A's for recFwd[l]; for recDX[l], dA of layer l - 1), in a
    // region that also holds its tensor's histogram partials where there are more of those.
    const recFwd = this.shapes.map((_, l) => fwdPlan(l, true));
    const recDX = this.shapes.map((_, l) => (l > 0 ? dXPlan(l, true) : null));
    const epiParts = (plan: P.MatmulPlan | null) => (plan?.stats ? plan.uniforms.groups! : 0);
    const zPart = recFwd.map((p, l) =>
      p.stats ? this.reserveParts(epiParts(p) + Math.max(epiParts(p), this.statsGroups(0, this.shapes[l].units))) : -1,
    );
    const dAPart = recDX.map((p, l) =>
      p?.stats ? this.reserveParts(Math.max(epiParts(p), this.statsGroups(0, this.shapes[l - 1].units))) : -1,
    );
    this.partsCap = this.partsUsed + this.shapes.length * SLOTS_PER_LAYER * K.STATS_MAX_GROUPS;
    const withPart = (plan: P.MatmulPlan, part: number): P.MatmulPlan => ({
      ...plan,
      uniforms: { ...plan.uniforms, part },
    });
    for (let l = 0; l <= last; l++) {
      const L = this.layers[l],
        act = cfg.layers[l].activation,
        id = ACTIVATION_ID[act.name];
      const { fanIn, units } = L.shape;
      const input = l === 0 ? Xb : this.layers[l - 1].A;
      const fwd = fwdPlan(l);
      const forward = await matmul(fwd, [input, L.W, L.b, L.Z], [L.A]);
      if (!fwd.epilogue) {
        forward.push(
          id === ACTIVATION_ID.softmax
            ? this.bind(softmax, [L.Z, L.A], [...groups1d(B), 1], { rows: B, units })
            : this.bind(await get(K.actForwardKernel(id, act.alpha)), [L.Z, L.A], [...groups1d(B * units), 1], {
                n: B * units,
              }),
        );
      }
      const recordForward = recFwd[l].stats
        ? await matmul(withPart(recFwd[l], zPart[l]), [input, L.W, L.b, L.Z], [L.A, this.cur, this.partBuffers()[0]])
        : forward;
      const backward: BoundKernel[] = [];
      if (l !== last && !dXPlan(l + 1).epilogue) {
        backward.push(
          this.bind(await get(K.actBackwardKernel(id, act.alpha)), [L.Z, L.dA, L.dZ], [...groups1d(B * units), 1], {
            n: B * units,
          }),
        );
      }
      backward.push(...(await matmul(this.plan('dW', fanIn, units, B), [input, L.dZ, dummy, L.dW])));
      backward.push(this.bind(colsum, [L.dZ, L.db], [...groups1d(units), 1], { rows: B, cols: units }));
      let recordBackward = backward;
      if (l > 0) {
        const P = this.layers[l - 1];
        const dX = await matmul(dXPlan(l), [L.dZ, L.W, dummy, P.dA], [P.Z, P.dZ]);
        if (recDX[l]!.stats) {
          recordBackward = [
            ...backward,
            ...(await matmul(
              withPart(recDX[l]!, dAPart[l]),
              [L.dZ, L.W, dummy, P.dA],
              [P.Z, P.dZ, this.cur, this.partBuffers()[0]],
            )),
          ];
        }
        backward.push(...dX);
      }
      const k = fanIn * units;
      // The optimizer runs four elements per invocation.
      const biasUpdate = this.bind(optK, [L.b, L.db, L.sb1, L.sb2, this.cur], [...groups1d(Math.ceil(units / 4)), 1], {
        n: units,
        ...opt.u,
      });
      const update = [
        this.bind(optK, [L.W, L.dW, L.sW1, L.sW2, this.cur], [...groups1d(Math.ceil(k / 4)), 1], { n: k, ...opt.u }),
        biasUpdate,
      ];
      const sat = saturationMode(act);
      const base = l * SLOTS_PER_LAYER * SLOT_SIZE;
      // A recorded step's optimizer also reduces W, dW and the update (pass 1 of their slots).
      const groups = K.statsGroups(k, this.choices.statsChunk),
        part = this.reserveParts(3 * groups);
      const recordOpt = async (apply: boolean) =>
        this.bind(
          await get(K.statsOptimizerKernel(opt.id, apply)),
          [L.W, L.dW, L.sW1, L.sW2, this.cur, this.partBuffers()[0]],
          [groups, 1, 1],
          { n: k, width: 0, groups, part, ...opt.u },
        );
      // Only what layerStats reads is computed: histograms of A, dA and W; the spread of Z; the
      // norms of dW and of the update. Z's, A's and dA's pass 1 ran in a product's epilogue
      // where the plan has `stats`.
      const zParts = epiParts(recFwd[l]),
        dAParts = l < last ? epiParts(recDX[l + 1]) : 0;
      const stats = [
        ...(zParts
          ? [
              ...(await this.statsAfterPass1(null, 0, units, base, zPart[l], zParts)),
              ...(await this.statsAfterPass1(L.A, 0, units, base + SLOT_SIZE, zPart[l] + zParts, zParts)),
            ]
          : [
              ...(await this.statsFor(L.Z, 0, 0, units, base, 'spread')),
              ...(await this.statsFor(L.A, sat, 0, units, base + SLOT_SIZE, 'all')),
            ]),
        ...(dAParts
          ? await this.statsAfterPass1(L.dA, 0, units, base + 2 * SLOT_SIZE, dAPart[l + 1], dAParts)
          : await this.statsFor(L.dA, 0, 0, units, base + 2 * SLOT_SIZE, 'all')),
        ...(await this.statsAfterPass1(L.W, k, 0, base + 3 * SLOT_SIZE, part, groups)),
        ...(await this.statsAfterPass1(null, k, 0, base + 4 * SLOT_SIZE, part + groups, groups)),
        ...(await this.statsAfterPass1(null, k, 0, base + 5 * SLOT_SIZE, part + 2 * groups, groups)),
      ];
      this.kernels.push({
        forward,
        backward,
        recordForward,
        recordBackward,
        update,
        recordUpdate: [await recordOpt(true), biasUpdate],
        recordStill: [await recordOpt(false)],
        stats,
      });
    }
    const outL = this.layers[last],
      outAct = cfg.layers[last].activation,
      outId = ACTIVATION_ID[outAct.name];
    const lossK = await get(K.lossKernel(LOSS_ID[cfg.loss], outId, outAct.alpha, isFused(cfg.loss, outId)));
    this.lossKernels = [
      this.bind(lossK, [outL.Z, outL.A, Yb, this.cur, outL.dA, outL.dZ, rowOut], [...groups1d(B), 1], {
        batch: B,
        units: outDim,
      }),
      this.bind(await get(K.accumulateKernel()), [rowOut, this.cur, this.totals], [1, 1, 1]),
    ];
    const tasks = K.statsTasks(this.slotTasks);
    const taskBuf = this.buffer('stats.tasks', tasks.byteLength);
    writeArray(device, taskBuf, tasks);
    const [p1, p2] = this.partBuffers();
    this.statsFinal = this.bind(
      await get(K.statsFinalKernel()),
      [this.cur, p1, p2, taskBuf, this.stats],
      [this.slotTasks.length, 1, 1],
    );
    if (stArena && acArena) {
      this.fusedKernel = this.bind(
        await get(fusedDesc(cfg)),
        [this.layoutBuffer(Xb, Yb, rowOut), X, Y, this.perm, this.table, this.cur, stArena, acArena, this.totals],
        [1, 1, 1],
      );
    }
    const err = await device.popErrorScope();
    if (err) throw new Error(`GPU setup failed: ${err.message}`);
  }

  /**
   * Scratch buffers for the transposed operands of products (see P.matmulCalls), made on first
   * use: `aFloats` for an A, `bFloats` for a B. One pair serves a whole pass, its products
   * running one after another.
   */
  private transposeScratch(
    aFloats: number,
    bFloats: number,
  ): (plan: P.MatmulPlan) => { a: GPUBuffer | null; b: GPUBuffer | null } {
    let a: GPUBuffer | null = null,
      b: GPUBuffer | null = null;
    return (plan) => {
      if (plan.transposeA) a ??= this.buffer('transpose.a', aFloats * 4);
      if (plan.transposeB) b ??= this.buffer('transpose.b', bFloats * 4);
      return { a, b };
    };
  }

  /** The plan of the variant chosen for a product on this device. */
  private plan(form: P.MatmulForm, M: number, N: number, K: number, epilogue?: P.Epilogue): P.MatmulPlan {
    return P.chosenPlan(this.choices, this.caps, form, M, N, K, epilogue);
  }

  private bindCalls(calls: P.KernelCall[]): Promise<BoundKernel[]> {
    return Promise.all(
      calls.map(async (c) => this.bind(await this.cache.get(c.desc), c.buffers, c.groups, c.uniforms)),
    );
  }

  /** The fused kernel's offsets table (see shaders/fused_step.wgsl) as a uniform buffer. */
  private layoutBuffer(Xb: Slice, Yb: Slice, rowOut: Slice): GPUBuffer {
    const words = fusedLayout(this.cfg, this.data.inputDim, this.sched.batch, this.layers, { Xb, Yb, rowOut });
    const buf = this.buffer('fused.layout', words.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    writeArray(this.device, buf, words);
    return buf;
  }

  /**
   * The kernels that reduce one tensor into the slot at `slot`: a fixed count `n`, or (n = 0) this
   * step's rows times `width`. Up to three passes (sums and deviations, the histogram where
   * `need` is 'all', the slot: the last one a task of `statsFinal`, for every slot at once), over
   * as many workgroups as the tensor's size warrants; partials in buffers sized on first use.
   * The kernels read `x` as vec4s, so it must be whole vec4s (every buffer and slice the engine
   * makes is).
   */
  private async statsFor(
    x: Slice,
    sat: number,
    n: number,
    width: number,
    slot: number,
    need: 'all' | 'spread',
  ): Promise<BoundKernel[]> {
    if (x.size % 16 !== 0) throw new Error(`statistics: a tensor of ${x.size} bytes is not whole vec4s`);
    const groups = this.statsGroups(n, width);
    const part = this.reserveParts(groups);
    const pass1 = this.bind(
      await this.cache.get(K.statsPartialKernel(sat, n === 0)),
      [x, this.cur, this.partBuffers()[0]],
      [groups, 1, 1],
      { n, width, groups, part },
    );
    return [pass1, ...(await this.statsAfterPass1(need === 'all' ? x : null, n, width, slot, part, groups))];
  }

  /** Workgroups of the statistics passes over a tensor of `n` elements (0: this step's rows × `width`). */
  private statsGroups(n: number, width: number): number {
    return K.statsGroups(n === 0 ? this.sched.batch * width : n, this.choices.statsChunk);
  }

  /**
   * Passes 2 and 3 of a tensor's slot, from pass 1's `parts` partials at `part` (see statsFor, or
   * a product's epilogue): the histogram of `histOf` where given, over statsGroups workgroups
   * whose partials also start at `part` (so at least that many must be reserved there), and a
   * task of `statsFinal`.
   */
  private async statsAfterPass1(
    histOf: Slice | null,
    n: number,
    width: number,
    slot: number,
    part: number,
    parts: number,
  ): Promise<BoundKernel[]> {
    const groups = this.statsGroups(n, width);
    this.slotTasks.push({ n, width, slot, groups, part, hist: histOf !== null, parts });
    if (!histOf) return [];
    const [p1, p2] = this.partBuffers();
    return [
      this.bind(await this.cache.get(K.statsHistKernel(n === 0)), [histOf, this.cur, p1, p2], [groups, 1, 1], {
        n,
        width,
        groups,
        part,
        parts,
      }),
    ];
  }

  /** The index of `count` consecutive partials, reserved for one tensor's statistics. */
  private reserveParts(count: number): number {
    const at = this.partsUsed;
    this.partsUsed += count;
    return at;
  }

  /** Partials for every large tensor of the model: `partsCap` entries. */
  private partBuffers(): [GPUBuffer, GPUBuffer] {
    if (!this.parts) {
      this.parts = [
        this.buffer('stats.part1', this.partsCap * K.STATS_PART1 * 4),
        this.buffer('stats.part2', this.partsCap * K.STATS_PART2 * 4),
      ];
    }
    return this.parts;
  }

  /**
   * The kernels one unfused step dispatches, in order (forward, loss, backward, update), by
   * name: which product kernel each layer got on this device. For tests and reports.
   */
  stepKernels(): string[] {
    const ks = [
      ...this.head,
      ...this.kernels.flatMap((L) => L.forward),
      ...this.lossKernels,
      ...[...this.kernels].reverse().flatMap((L) => L.backward),
      ...this.kernels.flatMap((L) => L.update),
    ];
    return ks.map((k) => k.kernel.desc.name);
  }

  async init(weights?: LayerWeights[]): Promise<StepRecord> {
    if (weights) checkWeights(this.shapes, weights);
    const { device, cfg } = this;
    const enc = device.createCommandEncoder({ label: 'init' });
    const [lo, hi] = seedKey(cfg.seed);
    const params: GPUBuffer[] = [];
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l],
        { fanIn, units } = L.shape;
      const tensors: [Slice, [number] | [number, number], number, 'kernel_initializer' | 'bias_initializer'][] = [
        [L.W, [fanIn, units], Stream.kernel, 'kernel_initializer'],
        [L.b, [units], Stream.bias, 'bias_initializer'],
      ];
      for (const [buf, shape, stream, key] of tensors) {
        const n = shape.length === 2 ? shape[0] * shape[1] : shape[0];
        if (weights) {
          writeArray(device, buf, stream === Stream.kernel ? weights[l].kernel : weights[l].bias);
          continue;
        }
        const s = resolveSampler(cfg.layers[l][key], shape, `layers[${l}].${key}`);
        const kind = drawKindId(s);
        if (kind === null) {
          writeArray(device, buf, sampleCpu(s, shape, cfg.seed, l, stream));
        } else {
          const [a, b] = drawParams(s);
          const k = await this.cache.get(K.initKernel(kind));
          const bound = bind(device, k, [buf], [...groups1d(n), 1], {
            n,
            seed_lo: lo,
            seed_hi: hi,
            layer: l,
            stream,
            a,
            b,
            zero: 0,
          });
          params.push(bound.params!);
          const pass = enc.beginComputePass();
          dispatch(pass, bound);
          pass.end();
        }
      }
      for (const b of [L.sW1, L.sW2, L.sb1, L.sb2]) enc.clearBuffer(b.buffer, b.offset, b.size);
    }
    enc.clearBuffer(this.totals);
    device.queue.submit([enc.finish()]);
    for (const p of params) p.destroy();
    this.step = 0;
    let record: StepRecord | null = null;
    this.writeChunk(0, 0);
    const enc0 = device.createCommandEncoder({ label: 'step0' });
    const rb = await this.readback.take();
    this.encodeStep(enc0, 0, false, rb);
    device.queue.submit([enc0.finish()]);
    this.readback.deliver(rb, (raw) => {
      record = this.parseRecord(0, raw);
    });
    await this.readback.drain();
    this.throwIfFailed();
    return record!;
  }

  /**
   * Uploads the step table and permutation indices for updates from+1 .. from+count (count 0:
   * the step-0 pass), and the fused kernel's (first, count) ranges after the table.
   */
  private writeChunk(from: number, count: number, ranges: [number, number][] = []): void {
    const B = this.sched.batch;
    const n = Math.max(1, count);
    const table = new ArrayBuffer((this.stepCap + ranges.length) * STEP_INFO_BYTES);
    const tu = new Uint32Array(table),
      tf = new Float32Array(table);
    const perm = new Uint32Array(n * B);
    for (let k = 0; k < n; k++) {
      const s = count === 0 ? 1 : from + 1 + k;
      const rows = this.sched.rowsOf(s);
      perm.set(rows, k * B);
      tu[k * 4] = rows.length;
      tu[k * 4 + 1] = k * B;
      tu[k * 4 + 2] = count === 0 ? 0 : s;
      tf[k * 4 + 3] = this.cfg.optimizer.name === 'adam' && count > 0 ? adamAlpha(this.cfg.optimizer, s) : 0;
    }
    ranges.forEach(([first, len], i) => {
      tu.set([first, len, 0, 0], (this.stepCap + i) * 4);
    });
    this.device.queue.writeBuffer(this.table, 0, table);
    writeArray(this.device, this.perm, perm);
  }

  /** One training step into `enc`: forward, loss, backward, and (unless `update` is false) the optimizer; statistics when `rb` is given. */
  private encodeStep(enc: GPUCommandEncoder, local: number, update: boolean, rb: GPUBuffer | null): void {
    enc.copyBufferToBuffer(this.table, local * STEP_INFO_BYTES, this.cur, 0, STEP_INFO_BYTES);
    const pass = enc.beginComputePass();
    for (const k of this.head) dispatch(pass, k);
    for (const L of this.kernels) for (const k of rb ? L.recordForward : L.forward) dispatch(pass, k);
    for (const k of this.lossKernels) dispatch(pass, k);
    for (let l = this.kernels.length - 1; l >= 0; l--)
      for (const k of rb ? this.kernels[l].recordBackward : this.kernels[l].backward) dispatch(pass, k);
    for (const L of this.kernels) {
      const opt = rb ? (update ? L.recordUpdate : L.recordStill) : update ? L.update : [];
      for (const k of opt) dispatch(pass, k);
    }
    if (rb) {
      for (const L of this.kernels) for (const k of L.stats) dispatch(pass, k);
      dispatch(pass, this.statsFinal!);
    }
    pass.end();
    if (rb) {
      enc.copyBufferToBuffer(this.stats, 0, rb, 0, this.statsBytes);
      enc.copyBufferToBuffer(this.totals, 0, rb, this.statsBytes, 16);
      enc.clearBuffer(this.totals);
    }
  }

  /** Parses one record's read-back: the layers' slots, then the loss totals. */
  private parseRecord(s: number, raw: Float32Array): StepRecord {
    const t = raw.subarray(this.statsBytes / 4);
    return {
      step: s,
      epoch: this.sched.epochAfter(s),
      loss: t[2] > 0 ? t[0] / t[2] : NaN,
      accuracy: t[2] > 0 ? t[1] / t[2] : NaN,
      layers: this.layers.map((_, l) => layerStats(raw, l * SLOTS_PER_LAYER * SLOT_SIZE)),
    };
  }

  async run(steps: number, onRecord: (r: StepRecord) => void, signal?: AbortSignal): Promise<void> {
    const end = this.step + steps;
    let previous: Promise<undefined> | null = null;
    while (this.step < end && !signal?.aborted) {
      this.throwIfFailed();
      const from = this.step;
      let count = 0,
        records = 0;
      while (from + count < end && count < this.stepCap && records < READBACK_POOL) {
        count++;
        if (this.sched.isRecorded(from + count, end)) records++;
      }
      // Runs of unrecorded steps go to the fused kernel (small networks) in one dispatch each.
      const plan: { fused: boolean; at: number }[] = [];
      const ranges: [number, number][] = [];
      for (let k = 0; k < count; ) {
        if (this.fusedKernel && !this.sched.isRecorded(from + 1 + k, end)) {
          let j = k;
          while (j < count && !this.sched.isRecorded(from + 1 + j, end)) j++;
          plan.push({ fused: true, at: ranges.length });
          ranges.push([k, j - k]);
          k = j;
        } else {
          plan.push({ fused: false, at: k++ });
        }
      }
      this.writeChunk(from, count, ranges);
      const enc = this.device.createCommandEncoder({ label: `steps ${from + 1}-${from + count}` });
      const pending: [GPUBuffer, number][] = [];
      for (const p of plan) {
        if (p.fused) {
          enc.copyBufferToBuffer(this.table, (this.stepCap + p.at) * STEP_INFO_BYTES, this.cur, 0, STEP_INFO_BYTES);
          const pass = enc.beginComputePass();
          dispatch(pass, this.fusedKernel!);
          pass.end();
          continue;
        }
        const s = from + 1 + p.at;
        const rb = this.sched.isRecorded(s, end) ? await this.readback.take() : null;
        this.encodeStep(enc, p.at, true, rb);
        if (rb) pending.push([rb, s]);
      }
      this.device.queue.submit([enc.finish()]);
      for (const [rb, s] of pending) this.readback.deliver(rb, (raw) => onRecord(this.parseRecord(s, raw)));
      this.step = from + count;
      // At most two command buffers in flight: enough to keep the GPU busy, bounded memory.
      if (previous) await previous;
      previous = this.device.queue.onSubmittedWorkDone();
    }
    if (previous) await previous;
    await this.readback.drain();
    this.throwIfFailed();
  }

  async weights(): Promise<LayerWeights[]> {
    const sizes = this.layers.map((L) => [L.W.size, L.b.size]);
    const total = sizes.reduce((s, [a, b]) => s + a + b, 0);
    const rb = this.device.createBuffer({ size: total, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder();
    let off = 0;
    for (const L of this.layers) {
      enc.copyBufferToBuffer(L.W.buffer, L.W.offset, rb, off, L.W.size);
      off += L.W.size;
      enc.copyBufferToBuffer(L.b.buffer, L.b.offset, rb, off, L.b.size);
      off += L.b.size;
    }
    this.device.queue.submit([enc.finish()]);
    try {
      await rb.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(rb.getMappedRange().slice(0));
      off = 0;
      return this.layers.map((L) => {
        const k = L.shape.fanIn * L.shape.units,
          u = L.shape.units;
        const kernel = all.slice(off / 4, off / 4 + k);
        off += L.W.size;
        const bias = all.slice(off / 4, off / 4 + u);
        off += L.b.size;
        return { kernel, bias };
      });
    } finally {
      rb.destroy();
    }
  }

  /** The largest number of rows one predict pass may take on this device. */
  private predictMaxRows(): number {
    const lim = this.device.limits;
    const widest = Math.max(...this.shapes.map((s) => s.units), this.data.inputDim);
    return Math.max(
      1,
      Math.min(PREDICT_ROWS, Math.floor(Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize) / (4 * widest))),
    );
  }

  private async buildPredictPlan(rows: number): Promise<PredictPlan> {
    const { cfg } = this;
    const X = this.buffer('predict.X', rows * this.data.inputDim * 4);
    const kernels: BoundKernel[] = [];
    const scratch = this.transposeScratch(rows * Math.max(...this.shapes.map((s) => s.fanIn)), 0);
    let input = X;
    let Z = X,
      A = X;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l],
        act = cfg.layers[l].activation,
        id = ACTIVATION_ID[act.name];
      const { fanIn, units } = L.shape;
      Z = this.buffer(`predict.Z${l}`, rows * units * 4);
      A = this.buffer(`predict.A${l}`, rows * units * 4);
      const plan = this.plan('forward', rows, units, fanIn);
      kernels.push(...(await this.bindCalls(P.matmulCalls(plan, [input, L.W, L.b, Z], scratch(plan)))));
      kernels.push(
        id === ACTIVATION_ID.softmax
          ? this.bind(await this.cache.get(K.softmaxKernel()), [Z, A], [...groups1d(rows), 1], { rows, units })
          : this.bind(await this.cache.get(K.actForwardKernel(id, act.alpha)), [Z, A], [...groups1d(rows * units), 1], {
              n: rows * units,
            }),
      );
      input = A;
    }
    const readback = this.buffer(
      'predict.readback',
      2 * rows * this.outDim * 4,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    return { rows, X, Z, A, kernels, readback };
  }

  async predict(x: Float32Array, n: number): Promise<Prediction> {
    const max = this.predictMaxRows();
    const rowsWanted = Math.min(max, Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
    let plan = this.predictPlans.get(rowsWanted);
    if (!plan) {
      plan = this.buildPredictPlan(rowsWanted);
      this.predictPlans.set(rowsWanted, plan);
    }
    const p = await plan;
    const inD = this.data.inputDim,
      out = this.outDim;
    const z = new Float32Array(n * out),
      a = new Float32Array(n * out);
    // Each pass computes p.rows rows (the kernels were bound for that); rows past n are never read.
    for (let r0 = 0; r0 < n; r0 += p.rows) {
      const rows = Math.min(p.rows, n - r0);
      writeArray(this.device, p.X, x.subarray(r0 * inD, (r0 + rows) * inD));
      const enc = this.device.createCommandEncoder({ label: 'predict' });
      const pass = enc.beginComputePass();
      for (const k of p.kernels) dispatch(pass, k);
      pass.end();
      const bytes = rows * out * 4;
      enc.copyBufferToBuffer(p.Z, 0, p.readback, 0, bytes);
      enc.copyBufferToBuffer(p.A, 0, p.readback, p.rows * out * 4, bytes);
      this.device.queue.submit([enc.finish()]);
      await p.readback.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(p.readback.getMappedRange());
      z.set(all.subarray(0, rows * out), r0 * out);
      a.set(all.subarray(p.rows * out, p.rows * out + rows * out), r0 * out);
      p.readback.unmap();
    }
    this.throwIfFailed();
    return { z, a };
  }

  private throwIfFailed(): void {
    this.watch.throwIfFailed();
  }

  dispose(): void {
    this.watch.close();
    this.scope.dispose();
  }
}
