import { existsSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OperatorTsError } from '../errors.js';
import type { ManifestPlanner, TreeFile } from './api-plan.js';

/** Top-level entries of a project that the manifests generator never reads. */
const SKIPPED = new Set(['node_modules', 'dist', 'vendor', '.git', 'config']);

/**
 * The default ManifestPlanner: materialises the planned tree (the project's sources with the plan's
 * files laid over them) in a temp directory and runs the manifests generator on it, so the CRD and
 * role.yaml become part of the same atomic plan. The temp copy is always removed.
 */
export function diskManifestPlanner(projectDir: string): ManifestPlanner {
  return async (planned: TreeFile[]) => {
    const work = await fsp.mkdtemp(join(tmpdir(), 'operator-ts-manifests-'));
    try {
      for (const entry of existsSync(projectDir) ? await fsp.readdir(projectDir) : []) {
        if (SKIPPED.has(entry)) continue;
        await fsp.cp(join(projectDir, entry), join(work, entry), { recursive: true });
      }
      for (const file of planned) {
        const target = join(work, file.path);
        await fsp.mkdir(dirname(target), { recursive: true });
        await fsp.writeFile(target, file.contents);
      }
      if (existsSync(join(projectDir, 'node_modules'))) await fsp.symlink(join(projectDir, 'node_modules'), join(work, 'node_modules'), 'dir');
      // Loaded lazily: the generator pulls in ts-morph and TypeScript, which planning without a CRD does not need.
      const manifests = await import('../manifests/index.js').catch((error: unknown) => {
        throw new OperatorTsError('EMANIFESTS', 'the manifests generator of this operator-ts installation cannot be loaded.', {
          hint: 'reinstall operator-ts (or run npm run build in its source checkout)',
          cause: error,
        });
      });
      const files = await manifests.planManifests({ projectDir: work });
      return files.map((f) => ({ path: f.path, contents: f.contents }));
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  };
}
