/**
 * @file The folders of src/ are layers, and imports only point down: a file may import from its
 * own folder or from a layer below, never from one above, never from another folder of its own
 * layer, and no chain of imports may come back to where it started. Read from the source text,
 * so a new folder or an arrow pointing up fails here before anyone builds on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Lowest first. Folders on one line are peers: neither imports the other. */
const LAYERS: readonly (readonly string[])[] = [
  ['core'], // config schema, RNG, datasets, initializers, CPU reference kernels
  ['train'], // the engine interface, schedule, model shapes, the CPU engine
  ['gpu', 'wasm'], // the other backends, and their devices
  ['engines'], // one entry point that builds an engine on any backend
  ['charts'],
  ['atlas'],
  ['bench'], // measures the engines and the atlas
  ['ui'],
  ['cli'],
  ['main.ts'],
];

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

/** `from '…'`, `import '…'`, `import('…')`: every module a file names, static, dynamic or re-exported. */
function specifiers(source: string): string[] {
  // Comments may quote an import (a usage example); only code counts.
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** The src/ file a relative specifier names, or null for a package or a file outside src/ (shaders). */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  if (!base.startsWith(`${SRC}/`)) return null;
  for (const path of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(path).isFile()) return path;
    } catch {}
  }
  throw new Error(`${relative(ROOT, from)} imports ${spec}, which does not exist`);
}

/** The layer's index of a src/ file, by its first folder (or its name, for a file at the top). */
function layerOf(file: string): { unit: string; layer: number } {
  const unit = relative(SRC, file).split('/')[0];
  const layer = LAYERS.findIndex((l) => l.includes(unit));
  return { unit, layer };
}

interface Graph {
  files: string[];
  edges: Map<string, string[]>;
}

function importGraph(): Graph {
  const files = sourceFiles(SRC);
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const targets = specifiers(readFileSync(f, 'utf8'))
      .map((s) => resolveImport(f, s))
      .filter((t): t is string => t !== null);
    edges.set(f, [...new Set(targets)]);
  }
  return { files, edges };
}

/** Arrows that point up a layer or across to a peer, as `from -> to` relative to the root. */
function layerViolations(g: Graph): string[] {
  const out: string[] = [];
  for (const [from, targets] of g.edges) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a.unit === b.unit) continue;
      if (b.layer > a.layer || (b.layer === a.layer && a.unit !== b.unit))
        out.push(`${relative(ROOT, from)} -> ${relative(ROOT, to)}`);
    }
  }
  return out;
}

/** Every import cycle, as the files of one strongly connected component (Tarjan's algorithm). */
function importCycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(ROOT, w));
    } while (w !== v);
    if (component.length > 1 || g.edges.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const f of g.files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('layers', () => {
  const graph = importGraph();

  it('every folder of src/ is in a layer', () => {
    const units = [...new Set(graph.files.map((f) => layerOf(f)))].filter((u) => u.layer < 0).map((u) => u.unit);
    expect(units, 'add the folder to LAYERS in test/layers.test.ts, where its imports say it belongs').toEqual([]);
  });

  it('imports only point down a layer, never up or across to a peer', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('sees an arrow up, a peer import and a cycle when there is one', () => {
    const f = (p: string) => join(SRC, p);
    const g: Graph = {
      files: [f('core/a.ts'), f('train/b.ts'), f('gpu/c.ts'), f('wasm/d.ts')],
      edges: new Map([
        [f('core/a.ts'), [f('train/b.ts')]],
        [f('train/b.ts'), [f('core/a.ts')]],
        [f('gpu/c.ts'), [f('wasm/d.ts')]],
        [f('wasm/d.ts'), []],
      ]),
    };
    expect(layerViolations(g)).toEqual(['src/core/a.ts -> src/train/b.ts', 'src/gpu/c.ts -> src/wasm/d.ts']);
    expect(importCycles(g)).toEqual([['src/core/a.ts', 'src/train/b.ts']]);
  });
});
