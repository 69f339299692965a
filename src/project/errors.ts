import { OperatorTsError, type OperatorTsErrorOptions } from '../errors.js';

/** The PROJECT file is missing, unreadable, or not one this CLI understands. */
export class ProjectFileError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EPROJECT', message, options);
  }
}

/** A command that works on a project ran in a directory that is not one (no PROJECT file, or no directory at all). */
export class NotAProjectError extends ProjectFileError {
  readonly projectDir: string;
  constructor(projectDir: string, reason: 'has no PROJECT file' | 'does not exist' | 'is not a directory' = 'has no PROJECT file') {
    super(`${projectDir} ${reason}, so it is not an operator-ts project.`, {
      hint: 'run operator-ts init there first, or run this command in the project root (or pass --project-dir with the directory holding PROJECT)',
    });
    this.projectDir = projectDir;
  }
}
