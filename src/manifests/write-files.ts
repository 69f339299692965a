import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ManifestError } from './errors.js';

export interface PlannedFile {
  /** Relative to the project root, posix separators. */
  path: string;
  contents: string;
}

/**
 * Writes only files whose contents changed. Every changed file is first written to a temporary
 * sibling; only when all of them exist are they renamed into place, so a failure part-way leaves
 * the old manifests untouched (rename within one directory is atomic).
 */
export async function writePlannedFiles(projectDir: string, files: PlannedFile[]): Promise<{ written: string[]; unchanged: string[] }> {
  const changed: PlannedFile[] = [];
  const unchanged: string[] = [];
  for (const f of files) {
    const current = await readFile(join(projectDir, f.path), 'utf8').catch(() => undefined);
    if (current === f.contents) unchanged.push(f.path);
    else changed.push(f);
  }
  const staged: Array<{ temp: string; target: string }> = [];
  try {
    for (const f of changed) {
      const target = join(projectDir, f.path);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
      staged.push({ temp, target });
      await writeFile(temp, f.contents, 'utf8');
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw new ManifestError(`could not write manifests: ${(err as Error).message}`, { cause: err, hint: 'Check that the config/ directory is writable.' });
  }
  for (const s of staged) await rename(s.temp, s.target);
  return { written: changed.map((f) => f.path), unchanged };
}
