import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotAProjectError } from './errors.js';
import { PROJECT_FILE } from './project-file.js';

/** Refuses a directory without a PROJECT file before a command loads or writes anything there. */
export function assertProjectDir(projectDir: string): void {
  if (!existsSync(projectDir)) throw new NotAProjectError(projectDir, 'does not exist');
  if (!statSync(projectDir).isDirectory()) throw new NotAProjectError(projectDir, 'is not a directory');
  if (!existsSync(join(projectDir, PROJECT_FILE))) throw new NotAProjectError(projectDir);
}
