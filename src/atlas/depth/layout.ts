/**
 * @file Where every network of a trainable-depth population lives in the three buffers its GPU
 * trainer shares among all networks, and the per-dispatch tables that name those places.
 *
 * Networks are ordered deepest first, so the networks that have a hidden layer l are always
 * the first count(l): one dispatch serves layer l of all of them. Each network's parameters are
 * its layers' [W; b] blocks ((fan_in + 1) × units, the bias as the last row), its stored
 * pre-activations one m × units block per layer (the output's logits last), and its scratch two
 * halves that the backward pass alternates between: dA of a layer in one, the dA it passes down
 * in the other.
 */
import { type DepthConfig, depthShape } from './config';

interface DepthNetwork {
  /** Index in the config's grid: row (σ_w²) × depths + column (depth). */
  cell: number;
  depth: number;
  weightVariance: number;
}

interface Tables {
  /** u32 entries of every dispatch, one after another. */
  data: Uint32Array;
  /** Where each dispatch's entries start, and how many slots it has. */
  forward: { base: number; slots: number }[];
  output: { base: number; slots: number };
  loss: { base: number; slots: number };
  backInput: { base: number; slots: number }[];
  backUpdate: { base: number; slots: number }[];
  outInput: { base: number; slots: number };
  outUpdate: { base: number; slots: number };
  init: { base: number; slots: number; layer: number | 'out' }[];
}

export interface DepthLayout {
  networks: DepthNetwork[];
  width: number;
  inputDim: number;
  classes: number;
  /** Rows of a batch: every stored block is sized for it. */
  rows: number;
  maxDepth: number;
  paramFloats: number;
  zFloats: number;
  scratchFloats: number;
  /** Offset of network n's layer l parameters (l = depth: the output layer). */
  paramOffset: number[][];
  zOffset: number[][];
  scratchOffset: number[];
  tables: Tables;
}

/** Fan-in and units of layer l of a network of `depth` hidden layers. */
export function layerSize(l: number, depth: number, width: number, inputDim: number, classes: number) {
  return { k: l === 0 ? inputDim : width, n: l === depth ? classes : width };
}

export function depthLayout(cfg: DepthConfig, rows = cfg.batch_size): DepthLayout {
  const { inputDim, classes } = depthShape(cfg);
  const width = cfg.width;
  const networks: DepthNetwork[] = [];
  cfg.weight_variances.forEach((weightVariance, row) => {
    cfg.depths.forEach((depth, col) => {
      networks.push({ cell: row * cfg.depths.length + col, depth, weightVariance });
    });
  });
  networks.sort((a, b) => b.depth - a.depth || a.cell - b.cell);
  const maxDepth = networks[0].depth;
  let params = 0,
    zs = 0;
  const paramOffset: number[][] = [];
  const zOffset: number[][] = [];
  for (const net of networks) {
    const p: number[] = [],
      z: number[] = [];
    for (let l = 0; l <= net.depth; l++) {
      const { k, n } = layerSize(l, net.depth, width, inputDim, classes);
      p.push(params);
      z.push(zs);
      params += (k + 1) * n;
      zs += rows * n;
    }
    paramOffset.push(p);
    zOffset.push(z);
  }
  const half = rows * Math.max(width, classes);
  const scratchOffset = networks.map((_, i) => 2 * i * half);
  const layout = {
    networks,
    width,
    inputDim,
    classes,
    rows,
    maxDepth,
    paramFloats: params,
    zFloats: zs,
    scratchFloats: 2 * half * networks.length,
    paramOffset,
    zOffset,
    scratchOffset,
  };
  return { ...layout, tables: buildTables(layout, half) };
}

const bits = new DataView(new ArrayBuffer(4));
/** The bits of `x` as a float32, for a u32 table entry the kernel bitcasts back. */
function f32Bits(x: number): number {
  bits.setFloat32(0, x, true);
  return bits.getUint32(0, true);
}

/** The scratch half holding dA of layer l of network i (the output's dZ is in half 0). */
function dA(layout: Omit<DepthLayout, 'tables'>, half: number, i: number, l: number): number {
  const depth = layout.networks[i].depth;
  return layout.scratchOffset[i] + ((depth - l) % 2) * half;
}

function buildTables(layout: Omit<DepthLayout, 'tables'>, half: number): Tables {
  const out: number[] = [];
  const push = (entries: number[][]) => {
    const base = out.length;
    for (const e of entries) out.push(...e);
    return { base, slots: entries.length };
  };
  const nets = layout.networks.map((net, i) => ({ ...net, i }));
  const having = (l: number) => nets.filter((n) => n.depth > l);
  const P = layout.paramOffset,
    Z = layout.zOffset;
  const forward = Array.from({ length: layout.maxDepth }, (_, l) =>
    push(having(l).map(({ i }) => [l === 0 ? 0 : Z[i][l - 1], P[i][l], Z[i][l]])),
  );
  const output = push(nets.map(({ i, depth }) => [Z[i][depth - 1], P[i][depth], Z[i][depth]]));
  const loss = push(nets.map(({ i, depth }) => [Z[i][depth], dA(layout, half, i, depth)]));
  // Output layer: its dZ (given) passes dA down to the last hidden layer, then updates [W; b].
  const outInput = push(
    nets.map(({ i, depth }) => [Z[i][depth], P[i][depth], dA(layout, half, i, depth), dA(layout, half, i, depth - 1)]),
  );
  const outUpdate = push(
    nets.map(({ i, depth }) => [Z[i][depth - 1], Z[i][depth], dA(layout, half, i, depth), P[i][depth]]),
  );
  const backInput = Array.from({ length: layout.maxDepth }, (_, l) =>
    push(
      l === 0 ? [] : having(l).map(({ i }) => [Z[i][l], P[i][l], dA(layout, half, i, l), dA(layout, half, i, l - 1)]),
    ),
  );
  const backUpdate = Array.from({ length: layout.maxDepth }, (_, l) =>
    push(having(l).map(({ i }) => [l === 0 ? 0 : Z[i][l - 1], Z[i][l], dA(layout, half, i, l), P[i][l]])),
  );
  // Initial draws: hidden layer l of every network that has it, then every output layer (the
  // layer index of a network's output is its depth, as in a run config).
  const sd = (i: number, l: number) => {
    const { k } = layerSize(l, layout.networks[i].depth, layout.width, layout.inputDim, layout.classes);
    return f32Bits(Math.sqrt(layout.networks[i].weightVariance / k));
  };
  const init: Tables['init'] = Array.from({ length: layout.maxDepth }, (_, l) => ({
    ...push(having(l).map(({ i, cell }) => [P[i][l], l, cell, sd(i, l)])),
    layer: l,
  }));
  init.push({ ...push(nets.map(({ i, depth, cell }) => [P[i][depth], depth, cell, sd(i, depth)])), layer: 'out' });
  return { data: Uint32Array.from(out), forward, output, loss, backInput, backUpdate, outInput, outUpdate, init };
}
