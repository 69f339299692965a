import { OperatorTsError, type OperatorTsErrorOptions } from '../errors.js';

/** A command was called wrongly (missing flag, bad combination). The CLI exits 2 for these. */
export class UsageError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EUSAGE', message, options);
  }
}

/** Files the plan would write already exist and may not be overwritten. */
export class FileConflictError extends OperatorTsError {
  readonly paths: readonly string[];
  constructor(paths: readonly string[], options: OperatorTsErrorOptions = {}) {
    const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
    const subject = paths.length === 1 ? 'a file this command would write already exists' : `${paths.length} files this command would write already exist`;
    super('ECONFLICT', `${subject}: ${shown}.`, {
      hint: 'move them away, or pass --force to overwrite them',
      ...options,
    });
    this.paths = paths;
  }
}

/** A file that should carry a scaffold marker does not (the user removed or edited it). */
export class MarkerNotFoundError extends OperatorTsError {
  constructor(path: string, marker: string, hint?: string) {
    super('EMARKER', `${path} has no line containing the marker '${marker}', so the new code cannot be inserted.`, {
      hint: hint ?? `put the line '${marker}' back where scaffolded code should go, then run the command again`,
    });
  }
}

/** Rendering a template failed (a bug in the template or a missing context value). */
export class TemplateError extends OperatorTsError {
  constructor(template: string, cause: unknown) {
    super('ETEMPLATE', `rendering the template ${template} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'this is a bug in operator-ts templates; please report it with the command you ran',
      cause,
    });
  }
}

/** Writing the plan to disk failed; everything already written was rolled back. */
export class WriteError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EWRITE', message, options);
  }
}

/** The user interrupted the command (SIGINT/SIGTERM) while files were being written; the tree was restored. */
export class InterruptedError extends OperatorTsError {
  readonly signal: string;
  constructor(signal: string) {
    super('EINTERRUPTED', `interrupted by ${signal} while writing files; every change was rolled back.`, {
      hint: 'run the command again to scaffold the files',
    });
    this.signal = signal;
  }
}
