/**
 * @file The issue's performance targets, checked against one run's measurements. Each check
 * says met, missed (and by how much), or not measured (and why), with the figures it used.
 */
import { SG_TILE_TN } from '../gpu/products';
import { fmtCount as fmtN, fmtMsShort as ms, pct, times as x2 } from './format';
import { ENGINE_LABELS, FORMS, TARGET_SIZE, TINY_RUNGS } from './spec';
import { pairedShare } from './stats';
import type { BenchResults, EngineName, ProductMeasurement, TrainMeasurement } from './types';
import { TARGET_WORDS as words } from './words';

type TargetStatus = 'met' | 'missed' | 'not measured' | 'met where measured';

export interface TargetCheck {
  id: number;
  title: string;
  status: TargetStatus;
  /** One line per figure that decided the status. */
  details: string[];
  /** What the measurements say about the cause, where they say something. */
  why: string[];
}

export function product(r: BenchResults, engine: string, form: string, size: number): ProductMeasurement | undefined {
  return r.products.find((p) => p.engine === engine && p.form === form && p.size === size);
}

export function train(r: BenchResults, engine: string, rung: string): TrainMeasurement | undefined {
  return r.training.find((t) => t.engine === engine && t.rung === rung);
}

export const okMs = (m: { status: string; timing?: { median: number } } | undefined) =>
  m?.status === 'ok' ? m.timing!.median : undefined;
export const notOk = (m: { status: string; reason?: string } | undefined, name: string) =>
  `${name} ${m ? `${m.status}: ${m.reason ?? ''}` : 'not run'}`;

/** Folds per-item verdicts into one status. */
export function fold(verdicts: Array<boolean | null>): TargetStatus {
  const measured = verdicts.filter((v): v is boolean => v !== null);
  if (measured.length === 0) return 'not measured';
  if (measured.some((v) => !v)) return 'missed';
  return measured.length === verdicts.length ? 'met' : 'met where measured';
}

/** Target 1: our 1024³ product ≥ 2× TF.js webgpu and ≥ 50% of the measured ceiling (each form). */
function target1(r: BenchResults): TargetCheck {
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  const ceiling = r.ceiling?.gflops;
  // Cells whose two readings disagree by more than a repeat's usual spread.
  const spread: string[] = [];
  for (const form of ['forward', 'dX', 'dW']) {
    const ours = product(r, 'ours-gpu', form, TARGET_SIZE),
      tf = product(r, 'tfjs-webgpu', form, TARGET_SIZE);
    const o = okMs(ours),
      t = okMs(tf);
    if (o === undefined) {
      verdicts.push(null);
      details.push(`${form}: ${notOk(ours, 'ours GPU')}`);
      continue;
    }
    const parts: string[] = [`${form} (${ours!.method}): ${ms(o)} ms, ${ours!.gflops!.toFixed(1)} GFLOP/s`];
    // Each half of the target: true/false when measured, null when not.
    let vsTf: boolean | null = null,
      vsCeiling: boolean | null = null;
    if (t !== undefined) {
      const speedup = t / o;
      vsTf = speedup >= 2;
      parts.push(`${x2(speedup)} TF.js webgpu (${ms(t)} ms)${vsTf ? '' : `: missed, needs ${x2(2 / speedup)} more`}`);
    } else parts.push(notOk(tf, 'TF.js webgpu'));
    if (ceiling) {
      // Against the ceiling, the best seen over the run, the faster of the cell's two medians
      // (other load only ever slows a measurement); against TF.js, the ladder's own round.
      const again = ours!.again?.median;
      const best = Math.min(o, again ?? Infinity);
      if (again !== undefined && Math.max(o, again) / best > 1.15)
        spread.push(`${form} ${ms(o)} and ${ms(again)} ms (${pct(Math.max(o, again) / best - 1)} apart)`);
      const f = ours!.flops / (best * 1e6) / ceiling;
      vsCeiling = f >= 0.5;
      const measuredAgain =
        again === undefined ? '' : ` (measured again at the end of the run: ${ms(again)} ms; the faster taken)`;
      const miss = vsCeiling ? '' : `: missed, needs ${x2(0.5 / f)} more`;
      parts.push(`${pct(f)} of the ${ceiling.toFixed(1)} GFLOP/s ceiling${measuredAgain}${miss}`);
    } else parts.push('no ceiling measured');
    verdicts.push(vsTf === false || vsCeiling === false ? false : vsTf && vsCeiling ? true : null);
    details.push(parts.join('; '));
  }
  const why: string[] = [];
  if (spread.length) why.push(words.fill('target-1-spread', { cells: spread.join('; ') }));
  const tfF = product(r, 'tfjs-webgpu', 'forward', 1024),
    ourF = product(r, 'ours-gpu', 'forward', 1024);
  if (ceiling && tfF?.status === 'ok' && ourF?.status === 'ok') {
    why.push(words.fill('target-1-gap', { tf: pct(tfF.gflops! / ceiling), ours: pct(ourF.gflops! / ceiling) }));
    // Read off the adapter's generated code (GALLIVM_DEBUG=asm, Mesa 25.0): see REPORT.md's history.
    if (/llvmpipe/i.test(r.environment.adapter ?? ''))
      why.push(words.fill('target-1-llvmpipe', { rows: SG_TILE_TN.TM, columns: 4 * SG_TILE_TN.CN }));
  }
  return {
    id: 1,
    title: words.fill('target-1'),
    status: fold(verdicts),
    details,
    why,
  };
}

/** Target 2: 8×512 step with statistics ≥ 3× TF.js webgpu; statistics ≤ 10% of the step. */
function target2(r: BenchResults): TargetCheck {
  const rung = 'mnist-8x512';
  const on = train(r, 'ours-gpu-stats', rung),
    off = train(r, 'ours-gpu', rung),
    tf = train(r, 'tfjs-webgpu', rung);
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  const a = okMs(on),
    b = okMs(off),
    t = okMs(tf);
  // The share of the step the verdict takes (set below where both steps were measured).
  let share: number | undefined;
  if (a !== undefined && t !== undefined) {
    const s = t / a;
    verdicts.push(s >= 3);
    const miss = s >= 3 ? '' : ` (missed, needs ${x2(3 / s)} more)`;
    details.push(`step with statistics ${ms(a)} ms vs TF.js webgpu ${ms(t)} ms: ${x2(s)}${miss}`);
  } else {
    verdicts.push(null);
    details.push(a === undefined ? notOk(on, 'ours GPU + stats') : notOk(tf, 'TF.js webgpu'));
  }
  if (a !== undefined && b !== undefined) {
    // The verdict takes the paired share where both have every round (see pairedShare).
    const byMedians = (a - b) / a;
    const paired = pairedShare(on!.timing!.samples, off!.timing!.samples);
    share = paired ?? byMedians;
    verdicts.push(share <= 0.1);
    const a0 = on!.timing!.min,
      b0 = off!.timing!.min;
    const ratio = (a / b).toFixed(2);
    const how = paired !== undefined ? ", paired by round (the median of each round's share)" : '';
    const miss = share <= 0.1 ? '' : ` (missed, ${pct(share - 0.1)} over)`;
    details.push(
      [
        `statistics: ${pct(Math.max(0, share))} of the step${how}${miss}`,
        `${ms(a)} ms with vs ${ms(b)} ms without by medians (ratio ${ratio}), ${pct(Math.max(0, byMedians))}`,
        `from the fastest repeats ${ms(a0)} vs ${ms(b0)} ms, ${pct(Math.max(0, (a0 - b0) / a0))}`,
      ].join('; '),
    );
  } else {
    verdicts.push(null);
    details.push(notOk(a === undefined ? on : off, a === undefined ? 'ours GPU + stats' : 'ours GPU'));
  }
  const why: string[] = [];
  if (
    on?.dispatchesPerStep !== undefined &&
    off?.dispatchesPerStep !== undefined &&
    a !== undefined &&
    b !== undefined
  ) {
    // The cost in ms from the share the verdict takes (medians alone may even read negative).
    const cost = Math.max(0, share ?? 0) * a,
      launches = r.ceiling?.dispatchUs
        ? ((on.dispatchesPerStep - off.dispatchesPerStep) * r.ceiling.dispatchUs) / 1000
        : undefined;
    const rest = launches !== undefined && cost > launches ? words.fill('target-2-rest') : '';
    const launchCost =
      launches === undefined
        ? ''
        : words.fill('target-2-launches', { us: r.ceiling!.dispatchUs!.toFixed(0), ms: ms(launches), rest });
    why.push(
      words.fill('target-2-dispatches', {
        added: fmtN(on.dispatchesPerStep - off.dispatchesPerStep),
        without: fmtN(off.dispatchesPerStep),
        with: fmtN(on.dispatchesPerStep),
        ms: ms(cost),
        launches: launchCost,
      }),
    );
  }
  if (a !== undefined && on?.gflops !== undefined && r.ceiling)
    why.push(
      words.fill('target-2-ceiling', { gflops: on.gflops.toFixed(1), fraction: pct(on.gflops / r.ceiling.gflops) }),
    );
  return {
    id: 2,
    title: words.fill('target-2'),
    status: fold(verdicts),
    details,
    why,
  };
}

/** Target 3: on the tiny networks our GPU is at most 2× slower than our CPU. */
function target3(r: BenchResults): TargetCheck {
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  for (const rung of TINY_RUNGS) {
    const g = train(r, 'ours-gpu', rung),
      c = train(r, 'ours-cpu', rung);
    const a = okMs(g),
      b = okMs(c);
    if (a === undefined || b === undefined) {
      verdicts.push(null);
      details.push(`${rung}: ${a === undefined ? notOk(g, 'ours GPU') : notOk(c, 'ours CPU')}`);
      continue;
    }
    const slower = a / b;
    verdicts.push(slower <= 2);
    const rel = slower >= 1 ? `GPU ${x2(slower)} slower` : `GPU ${x2(1 / slower)} faster`;
    const miss = slower <= 2 ? '' : ` (missed, needs ${x2(slower / 2)} less GPU time per step)`;
    details.push(
      `${rung}: GPU ${(1000 / a).toFixed(0)} steps/s vs CPU ${(1000 / b).toFixed(0)} steps/s: ${rel}${miss}`,
    );
  }
  const why: string[] = [];
  const us = r.ceiling?.dispatchUs;
  for (const rung of TINY_RUNGS) {
    const g = train(r, 'ours-gpu', rung),
      c = train(r, 'ours-cpu', rung);
    if (g?.status !== 'ok' || c?.status !== 'ok' || g.dispatchesPerStep === undefined) continue;
    const launchMs = us ? (g.dispatchesPerStep * us) / 1000 : undefined;
    const share = launchMs !== undefined ? launchMs / g.msPerStep! : undefined;
    const launches =
      launchMs === undefined
        ? ''
        : `, ${ms(launchMs)} ms of launch cost at ${us!.toFixed(0)} µs per empty dispatch` +
          ` (${pct(Math.min(1, share!))} of the ${ms(g.msPerStep!)} ms GPU step)`;
    const cause =
      share === undefined ? '' : `: ${words.fill(share >= 0.5 ? 'target-3-launch-bound' : 'target-3-work-bound')}`;
    why.push(
      `${rung}: a GPU step issues ${fmtN(g.dispatchesPerStep)} dispatches${launches}` +
        `; the whole CPU step takes ${ms(c.msPerStep!)} ms${cause}`,
    );
  }
  return {
    id: 3,
    title: words.fill('target-3'),
    status: fold(verdicts),
    details,
    why,
  };
}

/** Target 4: our CPU engine at least as fast as TF.js cpu on every rung. */
function target4(r: BenchResults): TargetCheck {
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  for (const info of r.rungs) {
    const c = train(r, 'ours-cpu', info.id),
      t = train(r, 'tfjs-cpu', info.id);
    const a = okMs(c),
      b = okMs(t);
    if (a === undefined || b === undefined) {
      verdicts.push(null);
      details.push(`${info.id}: ${a === undefined ? notOk(c, 'ours CPU') : notOk(t, 'TF.js cpu')}`);
      continue;
    }
    verdicts.push(a <= b);
    const verdict = a <= b ? `${x2(b / a)} faster` : `missed, ${x2(a / b)} slower`;
    details.push(`${info.id}: ours ${ms(a)} ms vs TF.js cpu ${ms(b)} ms per step: ${verdict}`);
  }
  return {
    id: 4,
    title: words.fill('target-4'),
    status: fold(verdicts),
    details,
    why: [],
  };
}

/**
 * "Our engine is the fastest in the table": every measured cell in which one of ours (our GPU
 * engine without statistics, or our CPU engine; the peers record none) is at least as fast as
 * every peer. Lists the cells a peer wins, by how much, and what our GPU time is made of there.
 */
export function fastestCheck(r: BenchResults): TargetCheck {
  const details: string[] = [];
  const verdicts: boolean[] = [];
  const us = r.ceiling?.dispatchUs;
  const lost: string[] = [];
  const judge = (cell: string, times: Array<{ engine: EngineName; ms: number | undefined; dispatches?: number }>) => {
    const ok = times.filter((t): t is { engine: EngineName; ms: number; dispatches?: number } => t.ms !== undefined);
    const ours = ok.filter((t) => t.engine.startsWith('ours-')),
      peers = ok.filter((t) => !t.engine.startsWith('ours-'));
    if (!ours.length || !peers.length) return;
    const best = ours.reduce((a, b) => (a.ms <= b.ms ? a : b)),
      peer = peers.reduce((a, b) => (a.ms <= b.ms ? a : b));
    verdicts.push(best.ms <= peer.ms);
    if (best.ms <= peer.ms) return;
    const gpu = ours.find((t) => t.engine === 'ours-gpu');
    const launches =
      gpu && us && gpu.dispatches
        ? `; our GPU's ${gpu.dispatches} dispatch${gpu.dispatches > 1 ? 'es' : ''} would take ` +
          `${ms((gpu.dispatches * us) / 1000)} ms empty (${us.toFixed(0)} µs each on this adapter)`
        : '';
    const both = `${ENGINE_LABELS[peer.engine]} ${ms(peer.ms)} ms, ${ENGINE_LABELS[best.engine]} ${ms(best.ms)} ms`;
    lost.push(`${cell}: ${both} (${x2(best.ms / peer.ms)} slower)${launches}`);
  };
  const sizes = [...new Set(r.products.map((p) => p.size))].sort((a, b) => a - b);
  for (const form of FORMS)
    for (const size of sizes) {
      const cell = r.products.filter((p) => p.form === form && p.size === size);
      judge(
        `${form} ${size}³`,
        cell.map((p) => ({ engine: p.engine, ms: okMs(p), dispatches: p.dispatches })),
      );
    }
  for (const info of r.rungs) {
    // Neither our GPU engine's recording twin nor our former (TypeScript) CPU engine is a peer.
    const cell = r.training.filter((t) => t.rung === info.id && t.engine !== 'ours-gpu-stats' && t.engine !== 'ts-cpu');
    judge(
      info.id,
      cell.map((t) => ({ engine: t.engine, ms: okMs(t) })),
    );
  }
  if (verdicts.length) {
    const faster = lost.length ? '; a peer is faster in:' : '';
    details.push(
      `ours fastest in ${verdicts.filter(Boolean).length} of ${verdicts.length} cells with a peer measured${faster}`,
    );
  }
  details.push(...lost);
  return {
    id: 0,
    title: words.fill('fastest'),
    status: fold(verdicts),
    details,
    why: [],
  };
}

export function evaluateTargets(r: BenchResults): TargetCheck[] {
  return [target1(r), target2(r), target3(r), target4(r)];
}

/** Target 5, where the run has the atlas' figures: the GPU population at least 20× our CPU population. */
export function atlasTarget(r: BenchResults): TargetCheck | null {
  const a = r.atlas;
  if (!a) return null;
  const count = (n: number) => n.toLocaleString('en-US');
  const timed =
    a.cpu_networks === a.networks ? 'all networks' : `${count(a.cpu_networks)} networks timed, scaled to all`;
  const gpu = (a.gpu_ms / 1000).toFixed(2),
    cpu = (a.cpu_ms_full / 1000).toFixed(1);
  return {
    id: 5,
    title: words.fill('target-5', { networks: count(a.networks), epochs: count(a.epochs) }),
    status: a.speedup >= 20 ? 'met' : 'missed',
    details: [`GPU ${gpu} s vs CPU ${cpu} s (${timed}): ${a.speedup.toFixed(1)}×`],
    why: [],
  };
}
