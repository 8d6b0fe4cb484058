/**
 * @file The CPU population against the engine: a population network follows the ordinary
 * trainer's trajectory (CpuEngine, full batch, same optimizer, same initial weights); network m
 * draws what a `train` run with seed + m draws; the criterion's epoch is the first that meets
 * it; basin maps are reproducible from their seed; the SOM, the summaries and the PNG encoder.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { atlasShape, parseAtlasConfig } from '../src/atlas/config';
import { CpuNetTrainer, trainPopulationCpu } from '../src/atlas/cpu-population';
import { atlasData } from '../src/atlas/data';
import { basinCsv, tableCsv } from '../src/atlas/export';
import { axisValues, initialWeightsCpu, scaleSampler } from '../src/atlas/init';
import { networkParams, paramIndex, paramName } from '../src/atlas/network';
import { runAtlas } from '../src/atlas/run';
import { somBmu, trainSomCpu } from '../src/atlas/som';
import { summarize } from '../src/atlas/summary';
import type { AtlasConfig } from '../src/atlas/types';
import { crc32, encodePng } from '../src/cli/png';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { CpuEngine } from '../src/train/cpu-engine';
import type { LayerWeights } from '../src/train/engine';
import { initialWeightsCpu as engineWeights } from '../src/train/model';
import { basinTwiceAndNext } from './atlas-basin';
import { expectClose } from './harness';

const XOR = {
  dataset: 'xor',
  layers: [
    {
      units: 2,
      activation: 'sigmoid',
      kernel_initializer: { name: 'random_uniform', minval: -2, maxval: 2 },
      bias_initializer: { name: 'random_uniform', minval: -2, maxval: 2 },
    },
    { units: 1, activation: 'sigmoid' },
  ],
  optimizer: { name: 'sgd', learning_rate: 2 },
};

/** The ordinary trainer's view of an atlas config: full batch, every step logged. */
function runConfigOf(cfg: AtlasConfig, doc: Record<string, unknown>, samples: number) {
  return parseConfig({
    seed: cfg.seed,
    dataset: doc.dataset,
    layers: doc.layers,
    loss: cfg.loss,
    optimizer: doc.optimizer,
    batch_size: samples,
    epochs: cfg.epochs,
    log_every: 1,
  });
}

function layerWeights(cfg: AtlasConfig, params: Float32Array): LayerWeights[] {
  return atlasShape(cfg).layers.map((L) => ({
    kernel: params.slice(L.kernelOffset, L.biasOffset),
    bias: params.slice(L.biasOffset, L.biasOffset + L.units),
  }));
}

describe('CPU population', () => {
  it.each([
    ['XOR 2-2-1 sigmoid, mse, sgd', { ...XOR }],
    [
      'XOR 2-3-1 tanh, bce, momentum',
      {
        ...XOR,
        layers: [
          { units: 3, activation: 'tanh', kernel_initializer: 'glorot_normal' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary_crossentropy',
        optimizer: { name: 'sgd', learning_rate: 0.5, momentum: 0.9 },
      },
    ],
    [
      'XOR 2-2-2-1 elu/relu, mse, nesterov',
      {
        ...XOR,
        layers: [
          { units: 2, activation: 'elu', kernel_initializer: 'he_normal' },
          { units: 2, activation: 'relu', kernel_initializer: 'he_uniform' },
          { units: 1, activation: 'sigmoid' },
        ],
        optimizer: { name: 'sgd', learning_rate: 0.5, momentum: 0.5, nesterov: true },
      },
    ],
    [
      'gauss 2-4-1 swish, bce (40 samples)',
      {
        ...XOR,
        dataset: { name: 'gauss', samples: 40, noise: 0.2 },
        layers: [
          { units: 4, activation: 'swish' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary_crossentropy',
        optimizer: { name: 'sgd', learning_rate: 0.1 },
      },
    ],
  ])("%s follows the ordinary trainer's loss, epoch by epoch", async (_, doc) => {
    const d = { ...doc, epochs: 150, mode: 'population', size: 3 };
    const cfg = parseAtlasConfig(d);
    const shape = atlasShape(cfg),
      data = await atlasData(cfg);
    const init = initialWeightsCpu(cfg, shape);
    const trainer = new CpuNetTrainer(cfg, shape, data);
    for (let n = 0; n < 3; n++) {
      const params = networkParams(init, 3, shape.params, n);
      const trace = new Float32Array(cfg.epochs + 1);
      trainer.train(params, trace);
      const run = runConfigOf(cfg, d, data.samples);
      const engine = new CpuEngine(run, (await loadDataset(run.dataset, run.seed)).train);
      const losses = [(await engine.init(layerWeights(cfg, params))).loss];
      await engine.run(cfg.epochs, (r) => losses.push(r.loss));
      // Engine record s >= 1 is the loss before update s, i.e. of the weights after s - 1 updates.
      const engineTrace = [losses[0], ...losses.slice(1)];
      expectClose(trace.subarray(0, cfg.epochs), engineTrace.slice(1), 1e-6, 1e-4, `network ${n}`);
      expect(losses[0]).toBeCloseTo(trace[0], 6);
    }
  });

  it("draws network m as a train run with seed + m draws its initial weights, and scales only the kernels' spread", () => {
    const cfg = parseAtlasConfig({ ...XOR, seed: 11, mode: 'population', size: 5 });
    const shape = atlasShape(cfg);
    const init = initialWeightsCpu(cfg, shape);
    for (let m = 0; m < 5; m++) {
      const run = parseConfig({ seed: 11 + m, dataset: 'xor', layers: XOR.layers });
      expect(networkParams(init, 5, shape.params, m)).toEqual(
        Float32Array.from(engineWeights(run).flatMap((w) => [...w.kernel, ...w.bias])),
      );
    }
    const scaled = parseAtlasConfig({ ...XOR, seed: 11, mode: 'population', size: 5, init: { scale: 2 } });
    const s2 = initialWeightsCpu(scaled, shape);
    for (let p = 0; p < 4 * 5; p++) expect(s2[p]).toBeCloseTo(2 * init[p], 5); // layer 0 kernel: symmetric uniform, doubled
    expect(s2.subarray(4 * 5, 6 * 5)).toEqual(init.subarray(4 * 5, 6 * 5)); // biases untouched
    expect(scaleSampler({ kind: 'uniform', min: 0, max: 2 }, 3)).toEqual({ kind: 'uniform', min: -2, max: 4 });
  });

  it('reports the first epoch that meets the criterion, and the final loss of the last weights', async () => {
    const cfg = parseAtlasConfig({
      ...XOR,
      epochs: 400,
      criterion: { loss_below: 0.05 },
      mode: 'population',
      size: 20,
    });
    const shape = atlasShape(cfg),
      data = await atlasData(cfg);
    const trainer = new CpuNetTrainer(cfg, shape, data);
    const all = initialWeightsCpu(cfg, shape);
    const trace = new Float32Array(cfg.epochs + 1);
    // The first of the 20 networks that converges.
    let w = networkParams(all, 20, shape.params, 0),
      r = trainer.train(w, trace);
    for (let n = 1; n < 20 && r.epoch < 0; n++) {
      w = networkParams(all, 20, shape.params, n);
      r = trainer.train(w, trace);
    }
    expect(r.epoch).toBeGreaterThan(0);
    expect(trace[r.epoch]).toBeLessThan(0.05);
    expect(trace.subarray(0, r.epoch).every((l) => l >= 0.05)).toBe(true);
    expect(r.finalLoss).toBe(trace[cfg.epochs]);
    const allCorrect = new CpuNetTrainer({ ...cfg, criterion: { kind: 'all_correct' } }, shape, data).train(w);
    expect(allCorrect.epoch).toBeGreaterThanOrEqual(0);
    expect(allCorrect.epoch).toBeLessThan(r.epoch); // right side of 0.5 long before the loss is small
    expect(new CpuNetTrainer({ ...cfg, epochs: 3 }, shape, data).train(w).epoch).toBe(-1);
  });

  it('makes a reproducible basin map: same seed identical, another seed different', async () => {
    const doc = {
      ...XOR,
      epochs: 60,
      resolution: 12,
      axes: [
        { layer: 0, row: 0, col: 0 },
        { layer: 1, bias: 0 },
      ],
    };
    const [a, b, c] = await basinTwiceAndNext(doc, 4, { backend: 'cpu' });
    expect(b.epoch).toEqual(a.epoch);
    expect(b.finalLoss).toEqual(a.finalLoss);
    expect(Array.from(c.finalLoss)).not.toEqual(Array.from(a.finalLoss));
    // The axes sweep cell centres; the other weights are the seed's draw for every cell.
    const cfg = parseAtlasConfig({ ...doc, mode: 'basin', seed: 4 });
    const shape = atlasShape(cfg),
      N = 144;
    const px = paramIndex(shape, { layer: 0, row: 0, col: 0 }),
      py = paramIndex(shape, { layer: 1, bias: 0 });
    expect(paramName(shape, py)).toBe('b1[0]');
    const xs = axisValues([-10, 10], 12);
    expect(xs[0]).toBeCloseTo(-10 + 20 / 24, 12);
    expect(a.initial[px * N + 5]).toBe(Math.fround(xs[5]));
    expect(a.initial[py * N + 7 * 12]).toBe(Math.fround(xs[7]));
    expect(a.initial[1 * N + 17]).toBe(a.initial[1 * N]);
  });

  it('summarizes: success rate, median epoch and a histogram over [0, epochs]', () => {
    const s = summarize(Int32Array.from([-1, 0, 10, 19, 20, -1]), 20);
    expect(s).toMatchObject({ networks: 6, converged: 4, success_rate: 4 / 6, median_epoch: 14.5 });
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(4);
    expect(s.histogram[0]).toBe(1);
    expect(s.histogram[19]).toBe(1);
  });

  it('runs an initializer table and a population with a SOM; exports CSV', async () => {
    const t = await runAtlas(
      parseAtlasConfig({
        ...XOR,
        epochs: 100,
        criterion: 'all_correct',
        mode: 'initializers',
        initializers: ['glorot_uniform', 'zeros'],
        scales: [1, 4],
        seeds: 16,
      }),
      { backend: 'cpu' },
    );
    expect(t.table.map((r) => [r.initializer, r.scale, r.networks])).toEqual([
      ['glorot_uniform', 1, 16],
      ['glorot_uniform', 4, 16],
      ['zeros', 1, 16],
      ['zeros', 4, 16],
    ]);
    expect(t.table[2].converged).toBe(0); // zeros never break the symmetry
    expect(tableCsv(t.table).split('\n')[0]).toMatch(
      /^initializer,scale,networks,converged,success_rate,median_epoch,mean_final_loss,hist_0,/,
    );
    const p = await runAtlas(
      parseAtlasConfig({
        ...XOR,
        epochs: 100,
        criterion: 'all_correct',
        mode: 'population',
        size: 300,
        som: { rows: 4, cols: 5, iterations: 10 },
      }),
      { backend: 'cpu' },
    );
    const som = p.som!;
    expect(som.count.reduce((a, b) => a + b, 0)).toBe(300);
    expect(som.umatrix.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    // Every network's cell is its nearest prototype.
    expect(somBmu(p.population.initial, 300, 9, som.prototypes, 20)).toEqual(som.bmu);
    const b = await runAtlas(
      parseAtlasConfig({
        ...XOR,
        epochs: 20,
        mode: 'basin',
        resolution: 3,
        axes: [
          { layer: 0, row: 0, col: 0 },
          { layer: 0, row: 0, col: 1 },
        ],
      }),
      { backend: 'cpu' },
    );
    const csv = basinCsv(b.basin!).trim().split('\n');
    expect(csv[0]).toBe('W0[0,0],W0[0,1],epoch,final_loss');
    expect(csv.length).toBe(10);
  });

  it('trains the SOM toward the data: a well-separated pair of clusters lands in separate cells', () => {
    const n = 200,
      data = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      data[i] = i < 100 ? -5 : 5;
      data[n + i] = (i % 10) / 10;
    }
    const epoch = Int32Array.from({ length: n }, (_, i) => (i < 100 ? 3 : -1));
    const cfg = { rows: 3, cols: 3, iterations: 20, sigma_start: 1.5, sigma_end: 0.3 };
    const som = trainSomCpu({ cfg, data, n, dim: 2, epoch, seed: 1 });
    const cellsA = new Set(Array.from(som.bmu.subarray(0, 100))),
      cellsB = new Set(Array.from(som.bmu.subarray(100)));
    expect([...cellsA].some((c) => cellsB.has(c))).toBe(false);
    for (const c of cellsA) expect(som.success[c]).toBe(1);
    for (const c of cellsB) expect(som.success[c]).toBe(0);
  });

  it('encodes PNG: signature, IHDR, CRCs, and rows that inflate back to the pixels', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) & 255);
    const png = encodePng(3, 2, rgba);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([3, 2]);
    const idatLen = view.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    expect(view.getUint32(41 + idatLen)).toBe(crc32(png.subarray(37, 41 + idatLen)));
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(Array.from(raw.subarray(1, 13))).toEqual(Array.from(rgba.subarray(0, 12)));
    expect(raw[13]).toBe(0);
  });

  it('trains many networks with progress reports and stops on abort', async () => {
    const cfg = parseAtlasConfig({ ...XOR, epochs: 2000, mode: 'population', size: 400 });
    const shape = atlasShape(cfg),
      data = await atlasData(cfg);
    const ctl = new AbortController();
    let reports = 0;
    const run = trainPopulationCpu(cfg, shape, data, initialWeightsCpu(cfg, shape), {
      signal: ctl.signal,
      onProgress: () => {
        reports++;
        ctl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(reports).toBe(1);
  });
});
