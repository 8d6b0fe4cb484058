/**
 * @file Full training steps as benchmark workloads: our engines through the `Engine` interface
 * (exactly what the CLI and the page drive), and TF.js running the same network: a
 * `tf.sequential` of Dense layers with the same widths, activations, initializers, loss and
 * plain SGD. One iteration is one update on one batch.
 *
 * TF.js steps with `optimizer.minimize(f, false)`: the gradient tape and the update without
 * returning the loss, so nothing reads back inside the timed window (`model.trainOnBatch` would
 * wait for the loss value every step). Softmax with categorical cross-entropy is computed as
 * `tf.losses.softmaxCrossEntropy` on the last layer's logits: the same function and gradient
 * as a softmax layer plus a separate loss, fused the way our loss kernel fuses it. Its batches
 * are the first batches of our schedule, uploaded once and cycled; ours gathers its batch on the
 * device every step.
 */
import { targetsFor } from '../core/datasets';
import type { Dataset } from '../core/types';
import { createEngine, type EngineOptions } from '../engines/create';
import type { Engine } from '../train/engine';
import { Schedule } from '../train/schedule';
import type { Workload } from './measure';
import type { Rung } from './spec';
import { rungConfig } from './spec';
import { type TfBackend, type TfModule, useBackend } from './tf';

export interface TrainWorkload extends Workload {
  dispose(): void;
}

/** Our engine on a rung; `logEvery` 1 records statistics every step, a huge value only at the end of each `run`. */
export async function oursTrainWorkload(
  rung: Rung,
  data: Dataset,
  opts: EngineOptions,
  logEvery: number,
): Promise<TrainWorkload & { engine: Engine }> {
  const engine = await createEngine(rungConfig(rung, logEvery), data, opts);
  try {
    await engine.init();
  } catch (e) {
    engine.dispose();
    throw e;
  }
  const noop = () => {};
  return { engine, run: (iters) => engine.run(iters, noop), dispose: () => engine.dispose() };
}

type PassProto = { dispatchWorkgroups: (...a: number[]) => void };

/**
 * Compute dispatches our GPU engine issues per step, counted by wrapping
 * GPUComputePassEncoder.dispatchWorkgroups during untimed calls (restored in `finally`).
 * The difference between a 1-step and a (1 + `span`)-step call removes the end-of-call record;
 * a longer span averages engines that fuse several steps into one dispatch.
 */
export async function countDispatchesPerStep(
  engine: Engine,
  everyStepRecorded: boolean,
  span = 2,
): Promise<number | undefined> {
  const cls = (globalThis as { GPUComputePassEncoder?: { prototype: PassProto } }).GPUComputePassEncoder;
  if (!cls?.prototype?.dispatchWorkgroups) return undefined;
  const proto = cls.prototype;
  const original = proto.dispatchWorkgroups;
  let count = 0;
  try {
    proto.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
      count++;
      return original.apply(this, a);
    };
    if (proto.dispatchWorkgroups === original) return undefined;
    const calls = async (steps: number) => {
      count = 0;
      await engine.run(steps, () => {});
      return count;
    };
    const one = await calls(1);
    if (everyStepRecorded) return one;
    const more = await calls(1 + span);
    return (more - one) / span;
  } finally {
    proto.dispatchWorkgroups = original;
  }
}

/** The rung as a TF.js model on `backend`, with its batches resident on that backend. */
export async function tfTrainWorkload(
  tf: TfModule,
  backend: TfBackend,
  rung: Rung,
  data: Dataset,
): Promise<TrainWorkload> {
  await useBackend(tf, backend);
  const fused = rung.loss === 'categorical_crossentropy';
  const model = tf.sequential();
  const widths = [...rung.hidden, rung.outUnits];
  widths.forEach((units, l) => {
    const last = l === widths.length - 1;
    model.add(
      tf.layers.dense({
        units,
        activation: last ? (fused ? 'linear' : rung.outActivation) : rung.hiddenActivation,
        kernelInitializer: 'glorotUniform',
        biasInitializer: 'zeros',
        ...(l === 0 ? { inputShape: [rung.inputDim] } : {}),
      }),
    );
  });
  const optimizer = tf.train.sgd(0.01);
  const sched = new Schedule(data.n, rung.batch, 1, 1, 1);
  const nBatches = Math.min(4, sched.stepsPerEpoch);
  const targets = targetsFor(data.labels, rung.outUnits);
  const batches = Array.from({ length: nBatches }, (_, k) => {
    const rows = sched.rowsOf(k + 1);
    const x = new Float32Array(rows.length * rung.inputDim),
      y = new Float32Array(rows.length * rung.outUnits);
    rows.forEach((r, i) => {
      x.set(data.x.subarray(r * rung.inputDim, (r + 1) * rung.inputDim), i * rung.inputDim);
      y.set(targets.subarray(r * rung.outUnits, (r + 1) * rung.outUnits), i * rung.outUnits);
    });
    return { x: tf.tensor2d(x, [rows.length, rung.inputDim]), y: tf.tensor2d(y, [rows.length, rung.outUnits]) };
  });
  // Passed explicitly: by default minimize differentiates against every variable tfjs knows of,
  // including those of the other backends' models alive in the same cell.
  const vars = model.trainableWeights.map((w) => w.read() as ReturnType<TfModule['variable']>);
  const probe = model.layers[0].getWeights()[1];
  let k = 0;
  const step = () => {
    const { x, y } = batches[k++ % nBatches];
    optimizer.minimize(
      () => {
        const out = model.apply(x, { training: true }) as ReturnType<TfModule['tensor2d']>;
        return fused ? tf.losses.softmaxCrossEntropy(y, out) : tf.losses.meanSquaredError(y, out);
      },
      false,
      vars,
    );
  };
  return {
    activate: () => useBackend(tf, backend),
    async run(iters) {
      for (let i = 0; i < iters; i++) step();
      // The first layer's bias is written by the last update: reading it waits for every step.
      await probe.data();
    },
    dispose() {
      batches.forEach((b) => {
        b.x.dispose();
        b.y.dispose();
      });
      optimizer.dispose();
      model.dispose();
    },
  };
}
