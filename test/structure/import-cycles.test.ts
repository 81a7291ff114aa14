// No import circle among the shipped modules (issue 21): biome's noRestrictedImports keeps the layers
// pointing down, this keeps modules inside a layer from needing each other. `import type` counts too: a
// type that two modules need belongs in a third that both import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', 'dist', 'test', '.git', 'firmware']);
const IMPORT = /(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function shippedModules(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) shippedModules(path, out);
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(relative(ROOT, path));
  }
  return out;
}

function importGraph(): Map<string, string[]> {
  const modules = new Set(shippedModules(ROOT));
  const graph = new Map<string, string[]>();
  for (const module of modules) {
    const text = readFileSync(join(ROOT, module), 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((m) => normalize(join(dirname(module), (m[1] ?? m[2]) as string)).replace(/\.js$/, '.ts'))
      .filter((target) => modules.has(target));
    graph.set(module, targets);
  }
  return graph;
}

/** Each circle once, as the path that closes it (depth-first, colouring the modules on the stack). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return found;
}

describe('the import graph of the shipped code', () => {
  it('reads the modules it should (a sanity check on the scan itself)', () => {
    const graph = importGraph();
    expect(graph.get('switchboard/board/server.ts')).toContain('switchboard/board/model.ts');
    expect(graph.size).toBeGreaterThan(200);
  });

  it('has no circle', () => {
    expect(circles(importGraph()).map((c) => c.join(' → '))).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});
