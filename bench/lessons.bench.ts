/**
 * @file The page's CPU backend on the lessons: steps per second of the WebAssembly engine (what the
 * page's CPU worker builds) against the TypeScript engine it replaced, each lesson's own network,
 * data and record interval, in Node. Run: `npx vitest bench --run bench/lessons.bench.ts`.
 * Each task is one `run` call of STEPS steps with the lesson's records; vitest interleaves nothing,
 * so compare the two rows of a lesson as a ratio and rerun on a quiet machine.
 */
import { afterAll, bench, describe } from 'vitest';
import { parseConfig } from '../src/core/config';
import { loadDataset } from '../src/core/datasets';
import { createEngine } from '../src/engines/create';
import type { Engine } from '../src/train/engine';
import { LESSONS } from '../src/ui/presets';

const STEPS = 20;
const engines: Engine[] = [];
afterAll(() => {
  for (const e of engines) e.dispose();
});

for (const lesson of LESSONS) {
  describe(lesson.id, async () => {
    const cfg = { ...parseConfig(lesson.config), epochs: 1_000_000 };
    const data = await loadDataset(cfg.dataset, cfg.seed);
    for (const cpu of ['wasm', 'typescript'] as const) {
      const engine = await createEngine(cfg, data.train, { backend: 'cpu', cpu });
      engines.push(engine);
      await engine.init();
      bench(`${cpu} (${engine.adapter})`, () => engine.run(STEPS, () => {}), { time: 1500, warmupTime: 300 });
    }
  });
}
