import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files under `dir` (recursively) whose name passes `accept`, as absolute paths in sorted order. */
export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return; // a missing directory simply has no files
    }
    for (const entry of entries.sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (accept(entry)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

export function apiTypeFiles(projectDir: string): string[] {
  return listFiles(join(projectDir, 'src', 'api'), (n) => n.endsWith('.types.ts'));
}

/** Every TypeScript file under src/api: API types may import helpers that are not `.types.ts`. */
export function apiSourceFiles(projectDir: string): string[] {
  return listFiles(join(projectDir, 'src', 'api'), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts'));
}

export function controllerFiles(projectDir: string): string[] {
  return listFiles(join(projectDir, 'src', 'controllers'), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts'));
}
