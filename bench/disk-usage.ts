import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bytes below `dir` and the installed packages among them (directories holding a package.json directly
 * under a node_modules, scoped ones included). Symbolic links are not followed.
 */
export function diskUsage(dir: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  const walk = (d: string, underNodeModules: boolean) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (underNodeModules && !entry.name.startsWith('@') && !entry.name.startsWith('.')) {
          try {
            if (statSync(join(p, 'package.json')).isFile()) packages++;
          } catch { /* not a package root */ }
        }
        walk(p, entry.name === 'node_modules' || (underNodeModules && entry.name.startsWith('@')));
      } else bytes += statSync(p).size;
    }
  };
  walk(dir, dir.endsWith('node_modules'));
  return { bytes, packages };
}
