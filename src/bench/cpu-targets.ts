/**
 * @file The CPU engine's targets (issue 17), checked against one run: the WebAssembly engine
 * against the TypeScript engine it replaced and TF.js wasm on the 8×512 step, its 1024³ products
 * against TF.js wasm's forward product and the CPU's measured ceiling, and the tiny networks no
 * slower than before. Same form as targets.ts: met or missed by how much, with the figures used.
 */

import { fmtMsShort as ms, pct, times as x2 } from './format';
import { TARGET_SIZE, TINY_RUNGS } from './spec';
import { fold, notOk, okMs, product, type TargetCheck, train } from './targets';
import type { BenchResults } from './types';
import { TARGET_WORDS as words } from './words';

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
    const miss = p / o >= factor ? '' : `, missed (needs ${x2((factor * o) / p)} more)`;
    details.push(`ours ${ms(o)} ms vs ${label} ${ms(p)} ms per step: ${x2(p / o)}${miss}`);
  }
  const why: string[] = [];
  if (ours?.ceilingFraction !== undefined && r.cpuCeiling) {
    const { gflops, threads } = r.cpuCeiling;
    const values = { gflops: ours.gflops!.toFixed(1), fraction: pct(ours.ceilingFraction), ceiling: gflops.toFixed(1) };
    why.push(words.fill('target-6-ceiling', { ...values, threads }));
  }
  return {
    id: 6,
    title: words.fill('target-6'),
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
      const missing =
        o === undefined
          ? notOk(ours, 'ours CPU')
          : t === undefined
            ? notOk(tf, 'TF.js wasm forward')
            : 'no CPU ceiling measured';
      details.push(`${form}: ${missing}`);
      continue;
    }
    const fraction = ours!.gflops! / ceiling;
    verdicts.push(o <= t && fraction >= 0.25);
    const vsTf = o <= t ? `${x2(t / o)} faster than` : `missed, ${x2(o / t)} slower than`;
    const miss = fraction >= 0.25 ? '' : `: missed, needs ${x2(0.25 / fraction)} more`;
    details.push(
      `${form}: ${ms(o)} ms, ${ours!.gflops!.toFixed(1)} GFLOP/s; ${vsTf} TF.js wasm's forward (${ms(t)} ms); ` +
        `${pct(fraction)} of the ${ceiling.toFixed(1)} GFLOP/s CPU ceiling${miss}`,
    );
  }
  const why: string[] = [];
  const c = r.cpuCeiling;
  if (c) {
    const values = { threads: c.threads, gflops: c.gflops.toFixed(1), one: c.oneThread.toFixed(1) };
    why.push(words.fill('target-7-ceiling', { ...values, ratio: x2(c.gflops / c.oneThread) }));
  }
  return {
    id: 7,
    title: words.fill('target-7', { size: TARGET_SIZE }),
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
    const verdict = o <= p ? `${x2(p / o)} faster` : `missed, ${x2(o / p)} slower`;
    details.push(`${rung}: ours ${ms(o)} ms vs the TypeScript engine ${ms(p)} ms per step: ${verdict}`);
  }
  return {
    id: 8,
    title: words.fill('target-8'),
    status: fold(verdicts),
    details,
    why: [],
  };
}

export function cpuTargets(r: BenchResults): TargetCheck[] {
  return [stepTarget(r), productTarget(r), tinyTarget(r)];
}
