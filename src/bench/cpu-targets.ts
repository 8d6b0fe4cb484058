/**
 * @file The CPU engine's targets (issue 17), checked against one run: the WebAssembly engine
 * against the TypeScript engine it replaced and TF.js wasm on the 8×512 step, its 1024³ products
 * against TF.js wasm's forward product and the CPU's measured ceiling, and the tiny networks no
 * slower than before. Same form as targets.ts: met or missed by how much, with the figures used.
 */
import { TARGET_SIZE, TINY_RUNGS } from './spec';
import { fold, ms, notOk, okMs, pct, product, type TargetCheck, train, x2 } from './targets';
import type { BenchResults } from './types';

const STEP_RUNG = 'mnist-8x512';

/** C1: the 8×512 step ≥ 5× the TypeScript engine and ≥ 10× TF.js wasm. */
function stepTarget(r: BenchResults): TargetCheck {
  const ours = train(r, 'ours-cpu', STEP_RUNG);
  const o = okMs(ours);
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  for (const [engine, label, factor] of [
    ['ts-cpu', 'the TypeScript engine', 5],
    ['tfjs-wasm', 'TF.js wasm', 10],
  ] as const) {
    const peer = train(r, engine, STEP_RUNG);
    const p = okMs(peer);
    if (o === undefined || p === undefined) {
      verdicts.push(null);
      details.push(o === undefined ? notOk(ours, 'ours CPU') : notOk(peer, label));
      continue;
    }
    verdicts.push(p / o >= factor);
    details.push(
      `ours ${ms(o)} ms vs ${label} ${ms(p)} ms per step: ${x2(p / o)}${p / o >= factor ? '' : `, missed (needs ${x2((factor * o) / p)} more)`}`,
    );
  }
  const why: string[] = [];
  if (ours?.ceilingFraction !== undefined && r.cpuCeiling)
    why.push(
      `the step runs at ${ours.gflops!.toFixed(1)} GFLOP/s, ${pct(ours.ceilingFraction)} of the CPU's ${r.cpuCeiling.gflops.toFixed(1)} GFLOP/s ceiling (${r.cpuCeiling.threads} threads)`,
    );
  return {
    id: 6,
    title: 'Our CPU engine: the 8×512 MNIST step ≥ 5× the TypeScript engine and ≥ 10× TF.js wasm',
    status: fold(verdicts),
    details,
    why,
  };
}

/** C2: every 1024³ product form ≥ TF.js wasm's forward product and ≥ 25% of the CPU ceiling. */
function productTarget(r: BenchResults): TargetCheck {
  const tf = product(r, 'tfjs-wasm', 'forward', TARGET_SIZE);
  const t = okMs(tf);
  const ceiling = r.cpuCeiling?.gflops;
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  for (const form of ['forward', 'dX', 'dW']) {
    const ours = product(r, 'ours-cpu', form, TARGET_SIZE);
    const o = okMs(ours);
    if (o === undefined || t === undefined || !ceiling) {
      verdicts.push(null);
      details.push(
        `${form}: ${o === undefined ? notOk(ours, 'ours CPU') : t === undefined ? notOk(tf, 'TF.js wasm forward') : 'no CPU ceiling measured'}`,
      );
      continue;
    }
    const fraction = ours!.gflops! / ceiling;
    verdicts.push(o <= t && fraction >= 0.25);
    details.push(
      `${form}: ${ms(o)} ms, ${ours!.gflops!.toFixed(1)} GFLOP/s; ${o <= t ? `${x2(t / o)} faster than` : `missed, ${x2(o / t)} slower than`} TF.js wasm's forward (${ms(t)} ms); ${pct(fraction)} of the ${ceiling.toFixed(1)} GFLOP/s CPU ceiling${fraction >= 0.25 ? '' : `: missed, needs ${x2(0.25 / fraction)} more`}`,
    );
  }
  const why: string[] = [];
  if (r.cpuCeiling)
    why.push(
      `the ceiling: ${r.cpuCeiling.threads} threads at once ${r.cpuCeiling.gflops.toFixed(1)} GFLOP/s, one thread ${r.cpuCeiling.oneThread.toFixed(1)} (${x2(r.cpuCeiling.gflops / r.cpuCeiling.oneThread)}); WebAssembly SIMD has no fused multiply-add, so a multiply and an add are two instructions at two per cycle each`,
    );
  return {
    id: 7,
    title: `Our CPU engine: every ${TARGET_SIZE}³ product ≥ TF.js wasm's forward product and ≥ 25% of the CPU ceiling`,
    status: fold(verdicts),
    details,
    why,
  };
}

/** C3: the tiny networks no slower than the TypeScript engine. */
function tinyTarget(r: BenchResults): TargetCheck {
  const details: string[] = [];
  const verdicts: Array<boolean | null> = [];
  for (const rung of TINY_RUNGS) {
    const ours = train(r, 'ours-cpu', rung),
      ts = train(r, 'ts-cpu', rung);
    const o = okMs(ours),
      p = okMs(ts);
    if (o === undefined || p === undefined) {
      verdicts.push(null);
      details.push(`${rung}: ${o === undefined ? notOk(ours, 'ours CPU') : notOk(ts, 'TypeScript CPU')}`);
      continue;
    }
    verdicts.push(o <= p);
    details.push(
      `${rung}: ours ${ms(o)} ms vs the TypeScript engine ${ms(p)} ms per step: ${o <= p ? `${x2(p / o)} faster` : `missed, ${x2(o / p)} slower`}`,
    );
  }
  return {
    id: 8,
    title: 'Our CPU engine: the tiny networks (XOR, circle) no slower than the TypeScript engine',
    status: fold(verdicts),
    details,
    why: [],
  };
}

export function cpuTargets(r: BenchResults): TargetCheck[] {
  return [stepTarget(r), productTarget(r), tinyTarget(r)];
}
