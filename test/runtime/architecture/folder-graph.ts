import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Files that only re-export the runtime; they sit above every folder and are left out of the graph. */
const ENTRY_POINTS = new Set(['index.ts', 'internal.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The folder of a file relative to `root`: its first path segment, or '.' for files at the root. */
function folderOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  return parts.length === 1 ? '.' : parts[0]!;
}

/**
 * Folder-level import graph of a source tree: an edge a → b when a file in folder a imports (or
 * re-exports from) a file in folder b. Imports leaving the tree and the entry points are ignored.
 */
export function folderGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    if (dirname(file) === root && ENTRY_POINTS.has(relative(root, file))) continue;
    const from = folderOf(root, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), ref.fileName.replace(/\.js$/, '.ts'));
      if (relative(root, target).startsWith('..')) continue;
      const to = folderOf(root, target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the folders along it ending where it started. */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
