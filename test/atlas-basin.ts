/**
 * @file Reproducibility as every backend's atlas test checks it: the basin map of a seed, made
 * twice, and the next seed's (all-correct criterion, so epochs and final losses both vary).
 */
import { parseAtlasConfig } from '../src/atlas/config';
import { type AtlasBackend, runAtlas } from '../src/atlas/run';
import type { PopulationResult } from '../src/atlas/types';

/** `doc` (a network and its basin's axes) as a basin map for `seed`, `seed` again and `seed + 1`. */
export async function basinTwiceAndNext(
  doc: Record<string, unknown>,
  seed: number,
  backend: AtlasBackend,
): Promise<PopulationResult[]> {
  const run = async (s: number) =>
    (await runAtlas(parseAtlasConfig({ ...doc, mode: 'basin', criterion: 'all_correct', seed: s }), backend))
      .population;
  return [await run(seed), await run(seed), await run(seed + 1)];
}
