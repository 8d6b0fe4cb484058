/**
 * @file One trainable-depth experiment on either backend: the data, every network of the grid
 * trained the same steps on the same batches, each one's accuracy on the held-out rows (the
 * training rows where none are held out). Progress and cancellation as every atlas run.
 */
import { loadDataset } from '../../core/datasets';
import { ConfigError } from '../../core/errors';
import type { Dataset } from '../../core/types';
import { DeviceWatch } from '../../gpu/device-health';
import { type RunOptions, throwIfAborted, yieldToEventLoop } from '../progress';
import type { AtlasBackend } from '../run';
import type { DepthConfig } from './config';
import { accuracyOf, depthSchedule, initialNetwork, trainStep } from './cpu-train';
import { DepthGpuTrainer } from './gpu-train';

export interface DepthResult {
  config: DepthConfig;
  /** Accuracy of each cell, row-major: row i is weight_variances[i], column j depths[j]. */
  accuracy: Float64Array;
  /** Which rows scored them. */
  evaluatedOn: 'test' | 'train';
  evaluationRows: number;
  backend: 'gpu' | 'cpu';
  seconds: number;
}

/** Every network trained on the GPU, then scored; its buffers are gone when this settles. */
async function trainOnGpu(
  device: GPUDevice,
  cfg: DepthConfig,
  train: Dataset,
  evaluation: Dataset,
  opts: RunOptions,
): Promise<Float64Array> {
  const trainer = await DepthGpuTrainer.create(device, cfg, train, evaluation);
  try {
    await trainer.trainSteps(cfg.steps, (done) => opts.onProgress?.(done, cfg.steps), opts.signal);
    return await trainer.accuracy();
  } finally {
    trainer.dispose();
  }
}

export async function runTrainableDepth(
  cfg: DepthConfig,
  be: AtlasBackend,
  opts: RunOptions = {},
): Promise<DepthResult> {
  const t0 = performance.now();
  const { train, test } = await loadDataset(cfg.dataset, cfg.seed);
  const evaluation = test && test.n > 0 ? test : train;
  const total = cfg.steps;
  let accuracy: Float64Array;
  if (be.backend === 'gpu') {
    if (!be.device) throw new Error('runTrainableDepth: the gpu backend needs a GPUDevice');
    const tooBig = DepthGpuTrainer.check(be.device, cfg);
    if (tooBig) throw new ConfigError('depths', tooBig);
    const watch = new DeviceWatch(be.device);
    try {
      accuracy = await watch.settle(trainOnGpu(be.device, cfg, train, evaluation, opts));
    } finally {
      watch.close();
    }
  } else {
    const cells = cfg.weight_variances.length * cfg.depths.length;
    const nets = Array.from({ length: cells }, (_, c) => initialNetwork(cfg, c));
    const schedule = depthSchedule(cfg, train.n);
    for (let s = 1; s <= total; s++) {
      const rows = schedule.rowsOf(s);
      for (const net of nets) trainStep(cfg, net, train, rows);
      opts.onProgress?.(s, total);
      await yieldToEventLoop();
      throwIfAborted(opts.signal);
    }
    accuracy = Float64Array.from(nets, (net) => accuracyOf(cfg, net, evaluation));
  }
  return {
    config: cfg,
    accuracy,
    evaluatedOn: evaluation === train ? 'train' : 'test',
    evaluationRows: evaluation.n,
    backend: be.backend,
    seconds: (performance.now() - t0) / 1000,
  };
}
