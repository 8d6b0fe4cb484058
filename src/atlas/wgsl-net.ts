/**
 * @file Generates the network-specific half of shaders/population_train.wgsl: one small MLP
 * unrolled into straight-line WGSL. Every weight, gradient and velocity is a private scalar
 * indexed only by constants, so the compiler keeps them in registers. The math is the layer
 * kernels' own WGSL (activations.wgsl, loss_math.wgsl, optimizer_step.wgsl) called with
 * constant ids (`ACT_TANH`, `LOSS_MSE`, `OPT`), so their switches fold away. The expressions are
 * written in the order the CPU trainer (cpu-population.ts) evaluates them: a unit's input is
 * bias + x_0·w + x_1·w + ..., a hidden unit's delta is (d_0·w + d_1·w + ...) · f'(z).
 */
import { wgslIdName, wgslIdNameOf } from '../core/ids';
import type { AtlasData } from './data';
import type { AtlasConfig, NetShape } from './types';

/** A float literal WGSL reads back as the same f32 (abstract float, then rounded once). */
function lit(v: number): string {
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Sets of at most this many samples are compiled into the kernel as literals. */
const INLINE_SAMPLES = 16;

export function networkWgsl(cfg: AtlasConfig, shape: NetShape, data: AtlasData): string {
  const NP = shape.params;
  const momentum = cfg.optimizer.momentum !== 0;
  const L = shape.layers,
    last = L.length - 1;
  const out: string[] = [];
  const decl = (name: string) =>
    range(NP)
      .map((p) => `var<private> ${name}${p}: f32;`)
      .join('\n');
  out.push(decl('w'), decl('g'));
  if (momentum) out.push(decl('v'));

  const load = range(NP).map((p) => `  w${p} = state[${p}u * P.count + n];`);
  const store = range(NP).map((p) => `  state[${p}u * P.count + n] = w${p};`);
  if (momentum) {
    load.push(...range(NP).map((p) => `  v${p} = state[${NP + p}u * P.count + n];`));
    store.push(...range(NP).map((p) => `  state[${NP + p}u * P.count + n] = v${p};`));
  }
  out.push(`fn load_state(n: u32) {\n${load.join('\n')}\n}`);
  out.push(`fn store_state(n: u32) {\n${store.join('\n')}\n}`);
  out.push(
    `fn zero_grad() {\n${range(NP)
      .map((p) => `  g${p} = 0.0;`)
      .join('\n')}\n}`,
  );

  // One sample: forward, loss, backward into g. `input(l, i)` names unit i of layer l's input.
  const D = shape.inputDim;
  const input = (l: number, i: number) => (l === 0 ? `x${i}` : `a${l - 1}_${i}`);
  const body: string[] = [];
  // A layer's activation id, and with its alpha as act_f's and act_df_at's first arguments.
  const actId = (Ly: NetShape['layers'][number]) => wgslIdNameOf('ACT', Ly.actId);
  const act = (Ly: NetShape['layers'][number]) => `${actId(Ly)}, ${lit(Ly.act.alpha)}`;
  L.forEach((Ly, l) => {
    for (const j of range(Ly.units)) {
      const terms = range(Ly.fanIn)
        .map((i) => ` + ${input(l, i)} * w${Ly.kernelOffset + i * Ly.units + j}`)
        .join('');
      body.push(`  let z${l}_${j} = w${Ly.biasOffset + j}${terms};`);
      body.push(`  let a${l}_${j} = act_f(${act(Ly)}, z${l}_${j});`);
    }
  });
  const zo = `z${last}_0`,
    ao = `a${last}_0`;
  // loss_math.wgsl over the one output: inv = INV, rows = SAMPLES (the mean is over the samples).
  const loss = wgslIdName('LOSS', cfg.loss),
    values = `${ao}, y, INV, f32(SAMPLES)`;
  body.push(`  let ls = loss_term(${loss}, ${actId(L[last])}, ${zo}, ${ao}, y, 0.0);`);
  // Binary cross-entropy after the sigmoid (config.ts admits no other) is fused with it: (p − y) / n.
  body.push(
    cfg.loss === 'mse'
      ? `  let d${last}_0 = loss_grad(${loss}, ${values}) * act_df_at(${act(L[last])}, ${zo}, ${ao});`
      : `  let d${last}_0 = fused_grad(${loss}, ${values});`,
  );
  for (let l = last; l >= 0; l--) {
    const Ly = L[l];
    for (const j of range(Ly.units)) body.push(`  g${Ly.biasOffset + j} += d${l}_${j};`);
    for (const i of range(Ly.fanIn)) {
      for (const j of range(Ly.units))
        body.push(`  g${Ly.kernelOffset + i * Ly.units + j} += ${input(l, i)} * d${l}_${j};`);
    }
    if (l > 0) {
      const Pv = L[l - 1];
      for (const i of range(Ly.fanIn)) {
        const sum = range(Ly.units)
          .map((j) => `d${l}_${j} * w${Ly.kernelOffset + i * Ly.units + j}`)
          .join(' + ');
        body.push(`  let d${l - 1}_${i} = (${sum}) * act_df_at(${act(Pv)}, z${l - 1}_${i}, a${l - 1}_${i});`);
      }
    }
  }
  body.push(`  return vec2<f32>(ls, select(0.0, 1.0, (${ao} > 0.5) == (y > 0.5)));`);
  out.push(
    `fn sample(${range(D)
      .map((i) => `x${i}: f32, `)
      .join('')}y: f32) -> vec2<f32> {\n${body.join('\n')}\n}`,
  );

  out.push(epochPass(data));

  // Keras SGD (optimizer_step.wgsl's OPT), as cpu-population.ts computes it.
  const upd = range(NP).map((p) =>
    momentum
      ? `  { let r = opt_update(OPT, h, w${p}, g${p}, v${p}, 0.0); w${p} = r.w; v${p} = r.s1; }`
      : `  w${p} = opt_update(OPT, h, w${p}, g${p}, 0.0, 0.0).w;`,
  );
  out.push(`fn update() {\n  let h = OptHyper(P.lr, P.mu, 0.0, 0.0, 0.0);\n${upd.join('\n')}\n}`);
  return out.join('\n');
}

/**
 * Forward and backward over every sample in order; returns (summed loss, correct count). The
 * sum starts at 0 and adds each sample's loss in turn, as the CPU trainer does.
 */
function epochPass(data: AtlasData): string {
  const W = data.inputDim + 1;
  const lines = ['fn epoch_pass() -> vec2<f32> {', '  var acc = vec2<f32>(0.0, 0.0);'];
  if (data.samples <= INLINE_SAMPLES) {
    for (let s = 0; s < data.samples; s++) {
      const args = range(W)
        .map((k) => lit(data.rows[s * W + k]))
        .join(', ');
      lines.push(`  acc += sample(${args});`);
    }
  } else {
    const args = range(W)
      .map((k) => `data[b + ${k}u]`)
      .join(', ');
    lines.push('  for (var s = 0u; s < SAMPLES; s++) {', '    let b = s * ROW;', `    acc += sample(${args});`, '  }');
  }
  lines.push('  return acc;', '}');
  return lines.join('\n');
}

/** Float32 literal of 1 / samples, the mean's factor (the same value the CPU trainer uses). */
export function invSamples(samples: number): number {
  return Math.fround(1 / samples);
}
