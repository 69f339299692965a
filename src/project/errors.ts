import { OperatorTsError, type OperatorTsErrorOptions } from '../errors.js';

/** The PROJECT file is missing, unreadable, or not one this CLI understands. */
export class ProjectFileError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EPROJECT', message, options);
  }
}

/** A command that works on a project ran in a directory that has no PROJECT file. */
export class NotAProjectError extends ProjectFileError {
  constructor(dir: string) {
    super(`${dir} has no PROJECT file, so it is not an operator-ts project.`, {
      hint: 'run operator-ts init first, or run this command in the project root (or pass --project-dir)',
    });
  }
}
