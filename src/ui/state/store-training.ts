/**
 * @file The playground store's training: Play, Pause, Step and Reset, and the loop. The loop
 * never waits on the page: it calls `engine.run(k)` on every run, with k from a StepPacer (about
 * 45 ms a call, see pacer.ts), pushes the records into each run's TrainingHistory (the charts
 * poll its version once per frame), and at most four times a second observes every run (the
 * evaluations and the boundary or digits, store-base.ts), all at one step.
 */
import type { StepRecord } from '../../train/engine';
import { BuildingStore } from './store-build';

/** Evaluations and predictions at most this often while training, ms. */
const OBSERVE_EVERY_MS = 250;
/** Side work (evaluations, predictions) is spaced to take at most 1/this of the wall time. */
const SIDE_WORK_FACTOR = 5;

export abstract class TrainingStore extends BuildingStore {
  play(): Promise<void> {
    return this.enqueue(async () => {
      if (this.phase === 'building' || this.phase === 'starting') {
        this.playWhenReady = true;
        return;
      }
      if (this.phase === 'cancelled') {
        this.playWhenReady = true;
        await this.rebuild(++this.gen);
        return;
      }
      if (this.phase === 'ready' || this.phase === 'paused' || this.phase === 'done') {
        if (this.phase === 'done') this.pastEnd = true;
        this.startLoop();
        this.emit();
      }
    });
  }

  pause(): Promise<void> {
    this.playWhenReady = false;
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (this.phase !== 'playing') return this.emit();
      // Evaluated where it stopped, so the paused page reports one step everywhere.
      await this.observe(this.gen);
      this.phase = 'paused';
      this.emit();
    });
  }

  /** One update on every run, then paused. */
  stepOnce(): Promise<void> {
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (!this.canTrain()) return;
      const gen = this.gen;
      await this.runAll(1, undefined, gen);
      await this.observe(gen);
      if (gen !== this.gen) return;
      this.phase = 'paused';
      this.emit();
    });
  }

  /** Re-initializes every run with the same seed (same weights, same data order). */
  reset(): Promise<void> {
    this.loopAbort?.abort();
    return this.enqueue(async () => {
      await this.stopLoop();
      if (!this.runs.every((r) => r.engine)) {
        await this.rebuild(++this.gen);
        return;
      }
      const gen = this.gen;
      const firsts = await Promise.all(this.runs.map((r) => r.engine!.init()));
      if (gen !== this.gen) return;
      this.runs.forEach((r, i) => {
        r.history.clear();
        r.stepsToTarget = null;
        this.push(r, firsts[i]);
      });
      this.pastEnd = false;
      this.samplesPerSec = 0;
      await this.observe(gen);
      this.phase = 'ready';
      this.emit();
    });
  }

  private canTrain(): boolean {
    return (
      this.runs.length > 0 &&
      this.runs.every((r) => r.engine) &&
      ['ready', 'paused', 'done', 'playing'].includes(this.phase)
    );
  }

  protected override startLoop(): void {
    const ac = new AbortController();
    this.loopAbort = ac;
    this.phase = 'playing';
    const gen = this.gen;
    this.loopDone = this.loop(ac.signal, gen).catch((e) => {
      if (gen === this.gen) this.fail(e as Error);
    });
  }

  protected async loop(signal: AbortSignal, gen: number): Promise<void> {
    let lastObserved = this.deps.now();
    let lastTick = this.deps.now();
    // Evaluations and predictions are side work: on a slow adapter they are spaced out so that
    // they take at most 1/SIDE_WORK_FACTOR of the time.
    let observeEvery = OBSERVE_EVERY_MS;
    while (!signal.aborted && gen === this.gen) {
      const lead = this.runs[0].engine!;
      const total = lead.totalSteps;
      const limited = !this.pastEnd && total > 0;
      const k = this.pacer.k;
      const steps = limited ? Math.min(k, Math.max(0, total - lead.step)) : k;
      if (steps === 0) break;
      const t0 = this.deps.now();
      await this.runAll(steps, signal, gen);
      if (gen !== this.gen) return;
      const t1 = this.deps.now();
      this.pacer.observe(steps, t1 - t0);
      const rate =
        (steps * Math.min(this.state.config.batch_size, this.data!.train.n) * this.runs.length) /
        Math.max(1e-3, (t1 - lastTick) / 1000);
      this.samplesPerSec = this.samplesPerSec ? 0.8 * this.samplesPerSec + 0.2 * rate : rate;
      if (t1 - lastObserved >= observeEvery) {
        await this.observe(gen);
        lastObserved = this.deps.now();
        observeEvery = Math.max(OBSERVE_EVERY_MS, SIDE_WORK_FACTOR * (lastObserved - t1));
      }
      if (gen !== this.gen) return;
      this.emit();
      if (limited && lead.step >= total) break;
      // Let the page handle input between calls (the CPU engine may share the thread in tests).
      await new Promise((r) => setTimeout(r, 0));
      lastTick = t1;
    }
    if (gen !== this.gen || signal.aborted) return;
    // The final picture first, so that "done" means the boundary shows the trained model.
    await this.observe(gen);
    if (gen !== this.gen || signal.aborted) return;
    this.loopAbort = null;
    this.phase = 'done';
    this.emit();
  }

  /** `steps` updates on every run; the records go into the histories. */
  protected async runAll(steps: number, signal: AbortSignal | undefined, gen: number): Promise<void> {
    const buffers: StepRecord[][] = this.runs.map(() => []);
    await Promise.all(this.runs.map((r, i) => r.engine!.run(steps, (rec) => buffers[i].push(rec), signal)));
    if (gen !== this.gen) return;
    this.runs.forEach((r, i) => {
      for (const rec of buffers[i]) this.push(r, rec);
    });
  }

  setPrimary(i: number): Promise<void> {
    this.primary = Math.max(0, Math.min(this.runs.length - 1, i));
    return this.enqueue(() => this.observe(this.gen, false).then(() => this.emit()));
  }
}
