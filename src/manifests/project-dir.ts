import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorTsError } from '../errors.js';

/** `generate manifests` was pointed at a directory that is not an operator-ts project (no PROJECT file). */
export class NotAProjectError extends OperatorTsError {
  readonly projectDir: string;
  constructor(projectDir: string, reason: string) {
    super('ENOPROJECT', `${projectDir} ${reason}, so it is not an operator-ts project; no manifests were written.`, {
      hint: 'run operator-ts init there first, or pass --project-dir with the project root (the directory holding PROJECT)',
    });
    this.projectDir = projectDir;
  }
}

/**
 * Refuses a directory without a PROJECT file before anything is loaded or written: otherwise the
 * generator would write an empty role.yaml into whatever directory it was run in.
 */
export function assertProjectDir(projectDir: string): void {
  if (!existsSync(projectDir)) throw new NotAProjectError(projectDir, 'does not exist');
  if (!statSync(projectDir).isDirectory()) throw new NotAProjectError(projectDir, 'is not a directory');
  if (!existsSync(join(projectDir, 'PROJECT'))) throw new NotAProjectError(projectDir, 'has no PROJECT file');
}
