/**
 * @file How many steps the next `engine.run(k)` call should take. A call costs a fixed overhead
 * (submission, waiting for the queue, mapping the records) plus a cost per step; on a real GPU
 * the overhead is a millisecond or two, on a software adapter it can be 30 ms or more. The pacer
 * fits `ms = overhead + perStep * k` over recent calls and picks k so that a call takes about
 * TARGET_MS, or twice the overhead when that is larger (so at least half of every call is
 * training), never more than MAX_MS: short enough to pause at once, long enough to amortize.
 */

export const TARGET_MS = 45;
export const MAX_MS = 200;
const MAX_STEPS = 20000;
const WINDOW = 12;

export class StepPacer {
  private samples: [number, number][] = [];
  k = 1;

  /** Records a call of `steps` steps that took `ms`, and updates `k`. */
  observe(steps: number, ms: number): number {
    this.samples.push([steps, Math.max(0, ms)]);
    if (this.samples.length > WINDOW) this.samples.shift();
    const f = this.fit();
    let ideal: number;
    if (!f) {
      // Every recent call had the same k, so overhead and per-step cost cannot be told apart:
      // probe a larger k while that stays affordable.
      ideal = 2 * ms <= MAX_MS ? this.k * 2 : this.k * Math.min(1, TARGET_MS / Math.max(ms, 1e-3));
    } else {
      const target = Math.min(MAX_MS, Math.max(TARGET_MS, 2 * f.overhead));
      ideal = (target - f.overhead) / f.perStep;
    }
    // At most double or halve per call: one noisy sample must not swing k far.
    const next = Math.min(this.k * 2, Math.max(this.k / 2, ideal));
    this.k = Math.max(1, Math.min(MAX_STEPS, Math.round(next)));
    return this.k;
  }

  /** Least squares of ms on steps over the recent calls; null when k did not vary enough to tell. */
  fit(): { overhead: number; perStep: number } | null {
    const n = this.samples.length;
    const mk = this.samples.reduce((s, [k]) => s + k, 0) / n;
    const mt = this.samples.reduce((s, [, t]) => s + t, 0) / n;
    let sxx = 0,
      sxy = 0;
    for (const [k, t] of this.samples) {
      sxx += (k - mk) ** 2;
      sxy += (k - mk) * (t - mt);
    }
    if (n < 2 || sxx < 1e-6 * mk * mk) return null;
    // Timing noise can make the slope look flat or negative: then treat all time as per-step.
    const perStep = sxy > 0 ? sxy / sxx : mt / mk;
    const overhead = sxy > 0 ? Math.min(mt, Math.max(0, mt - perStep * mk)) : 0;
    return { overhead, perStep: Math.max(perStep, 1e-6) };
  }
}
