/**
 * @file The CPU population trainer: every network trained one after the other, in plain
 * TypeScript, with the arithmetic of shaders/population_train.wgsl step for step (float32
 * storage after every operation the GPU rounds, the same summation order, the same activation
 * formulas). It is the reference the GPU is tested against and the CPU side of the benchmark.
 *
 * One epoch of one network (both backends):
 *   1. forward and backward over every sample in order, gradients summed into g, the loss of
 *      each sample summed into a float32 total, correct samples counted;
 *   2. loss_t = total / samples is the loss of the weights w_t (after t updates); if the
 *      criterion holds and no earlier epoch met it, the network's epoch is t;
 *   3. unless t = epochs, the SGD update w_{t+1} = w_t - lr·g (or with momentum).
 * Epochs t = 0..T run, so the criterion is checked on T + 1 weight sets and the final loss is
 * that of w_T. Training does not stop at convergence (every network does the same work).
 */
import { actDerivative, actForward } from '../core/activations';
import type { AtlasData } from './data';
import { type RunOptions, throwIfAborted, yieldToEventLoop } from './progress';
import { type AtlasConfig, NEVER, type NetShape, type PopulationResult } from './types';

const f = Math.fround;

/** f'(z), from the activation a = f(z) where that is the same float formula (sigmoid, tanh). */
function dact(id: number, alpha: number, z: number, a: number): number {
  if (id === 1) return f(a * f(1 - a));
  if (id === 2) return f(1 - f(a * a));
  return f(actDerivative(id, alpha, z));
}

/** log(1 + exp(-|x|)) + max(x, 0) as float32 evaluates it (the GPU has no log1p). */
function softplus(x: number): number {
  return f(Math.max(x, 0) + f(Math.log(f(1 + f(Math.exp(-Math.abs(x)))))));
}

interface NetworkOutcome {
  epoch: number;
  finalLoss: number;
  finalCorrect: number;
}

/** Scratch space for one network, reused across networks. */
export class CpuNetTrainer {
  private readonly w: Float32Array;
  private readonly v: Float32Array;
  private readonly g: Float32Array;
  private readonly z: Float32Array;
  private readonly a: Float32Array;
  private readonly d: Float32Array;
  /** Per layer: offset of its units in z/a/d. */
  private readonly uOff: Int32Array;
  private readonly lr: number;
  private readonly mu: number;
  private readonly inv: number;

  constructor(
    readonly cfg: AtlasConfig,
    readonly shape: NetShape,
    readonly data: AtlasData,
  ) {
    const units = shape.layers.reduce((s, L) => s + L.units, 0);
    this.w = new Float32Array(shape.params);
    this.v = new Float32Array(shape.params);
    this.g = new Float32Array(shape.params);
    this.z = new Float32Array(units);
    this.a = new Float32Array(units);
    this.d = new Float32Array(units);
    this.uOff = new Int32Array(shape.layers.length);
    let o = 0;
    shape.layers.forEach((L, l) => {
      this.uOff[l] = o;
      o += L.units;
    });
    this.lr = f(cfg.optimizer.learning_rate);
    this.mu = f(cfg.optimizer.momentum);
    this.inv = f(1 / data.samples);
  }

  /**
   * Trains one network from `init` (its parameters in canonical order). `trace`, when given,
   * receives loss_t for t = 0..epochs.
   */
  train(init: ArrayLike<number>, trace?: Float32Array): NetworkOutcome {
    const { cfg, shape, data, w, v, g } = this;
    for (let p = 0; p < shape.params; p++) w[p] = init[p];
    v.fill(0);
    const T = cfg.epochs,
      N = data.samples;
    let epoch = NEVER,
      loss = NaN,
      correct = 0;
    for (let t = 0; t <= T; t++) {
      g.fill(0);
      let total = 0;
      correct = 0;
      for (let s = 0; s < N; s++) {
        const ls = this.sample(s, t < T);
        total = f(total + ls);
        const y = data.rows[s * (data.inputDim + 1) + data.inputDim];
        const out = this.a[this.a.length - 1];
        if (out > 0.5 === y > 0.5) correct++;
      }
      loss = f(total / N);
      if (trace) trace[t] = loss;
      if (epoch === NEVER && (cfg.criterion.kind === 'loss_below' ? loss < f(cfg.criterion.value) : correct === N))
        epoch = t;
      if (t < T) this.update();
    }
    return { epoch, finalLoss: loss, finalCorrect: correct };
  }

  /** Forward (and, if `backward`, backward into g) for sample s; returns its loss. */
  private sample(s: number, backward: boolean): number {
    const { shape, data, w, g, z, a, d, uOff } = this;
    const D = data.inputDim,
      rows = data.rows,
      x0 = s * (D + 1);
    const L = shape.layers,
      last = L.length - 1;
    for (let l = 0; l <= last; l++) {
      const { fanIn, units, kernelOffset: ko, biasOffset: bo, actId, act } = L[l];
      const o = uOff[l],
        io = l === 0 ? 0 : uOff[l - 1];
      for (let j = 0; j < units; j++) {
        let acc = w[bo + j];
        for (let i = 0; i < fanIn; i++) {
          const xi = l === 0 ? rows[x0 + i] : a[io + i];
          acc = f(acc + f(xi * w[ko + i * units + j]));
        }
        z[o + j] = acc;
        a[o + j] = actForward(actId, act.alpha, acc);
      }
    }
    const oo = uOff[last],
      zo = z[oo],
      ao = a[oo],
      y = rows[x0 + D];
    let ls: number;
    if (this.cfg.loss === 'mse') {
      const diff = f(ao - y);
      ls = f(diff * diff);
      if (backward) d[oo] = f(f(f(2 * diff) * this.inv) * dact(L[last].actId, L[last].act.alpha, zo, ao));
    } else {
      ls = f(softplus(zo) - f(zo * y));
      if (backward) d[oo] = f(f(ao - y) * this.inv);
    }
    if (!backward) return ls;
    for (let l = last; l >= 0; l--) {
      const { fanIn, units, kernelOffset: ko, biasOffset: bo } = L[l];
      const o = uOff[l],
        io = l === 0 ? 0 : uOff[l - 1];
      for (let j = 0; j < units; j++) g[bo + j] = f(g[bo + j] + d[o + j]);
      for (let i = 0; i < fanIn; i++) {
        const xi = l === 0 ? rows[x0 + i] : a[io + i];
        for (let j = 0; j < units; j++) g[ko + i * units + j] = f(g[ko + i * units + j] + f(xi * d[o + j]));
      }
      if (l > 0) {
        const P = L[l - 1];
        for (let i = 0; i < fanIn; i++) {
          let da = 0;
          for (let j = 0; j < units; j++) da = f(da + f(d[o + j] * w[ko + i * units + j]));
          d[io + i] = f(da * dact(P.actId, P.act.alpha, z[io + i], a[io + i]));
        }
      }
    }
    return ls;
  }

  /** Keras SGD: w -= lr·g; momentum: v = mu·v - lr·g, w += v; Nesterov: w += mu·v - lr·g. */
  private update(): void {
    const { w, v, g, lr, mu } = this;
    const n = w.length;
    if (mu === 0) {
      for (let p = 0; p < n; p++) w[p] = f(w[p] - f(lr * g[p]));
    } else if (this.cfg.optimizer.nesterov) {
      for (let p = 0; p < n; p++) {
        const step = f(lr * g[p]);
        v[p] = f(f(mu * v[p]) - step);
        w[p] = f(w[p] + f(f(mu * v[p]) - step));
      }
    } else {
      for (let p = 0; p < n; p++) {
        v[p] = f(f(mu * v[p]) - f(lr * g[p]));
        w[p] = f(w[p] + v[p]);
      }
    }
  }
}

/** Trains every network of `initial` (parameter-major) on the CPU; progress counts network-epochs. */
export async function trainPopulationCpu(
  cfg: AtlasConfig,
  shape: NetShape,
  data: AtlasData,
  initial: Float32Array,
  opts: RunOptions = {},
): Promise<PopulationResult> {
  const t0 = performance.now();
  const P = shape.params,
    N = initial.length / P;
  const epoch = new Int32Array(N),
    finalLoss = new Float32Array(N),
    finalCorrect = new Uint32Array(N);
  const trainer = new CpuNetTrainer(cfg, shape, data);
  const one = new Float32Array(P);
  let lastYield = performance.now();
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < P; p++) one[p] = initial[p * N + n];
    const r = trainer.train(one);
    epoch[n] = r.epoch;
    finalLoss[n] = r.finalLoss;
    finalCorrect[n] = r.finalCorrect;
    if (performance.now() - lastYield > 50) {
      opts.onProgress?.((n + 1) * cfg.epochs, N * cfg.epochs);
      await yieldToEventLoop();
      throwIfAborted(opts.signal);
      lastYield = performance.now();
    }
  }
  opts.onProgress?.(N * cfg.epochs, N * cfg.epochs);
  return {
    networks: N,
    params: P,
    initial,
    epoch,
    finalLoss,
    finalCorrect,
    backend: 'cpu',
    adapter: 'CPU (TypeScript, one thread)',
    trainMs: performance.now() - t0,
  };
}
