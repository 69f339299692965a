/**
 * Base of every error operator-ts raises on purpose. `code` is stable and machine-readable,
 * `hint` tells the user what to do about it; the CLI prints both.
 */
export interface OperatorTsErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class OperatorTsError extends Error {
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, options: OperatorTsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** A value given by the user (flag, option, file contents) breaks a rule. */
export class ValidationError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EVALIDATION', message, options);
  }
}

/** A process the CLI ran in the foreground (the operator under `operator-ts dev`) failed; the CLI exits with its code. */
export class ChildProcessExitError extends OperatorTsError {
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options: OperatorTsErrorOptions = {}) {
    super('ECHILDEXIT', message, options);
    this.exitCode = exitCode;
  }
}

/** `operator-ts dev` cannot run the project: it is not built, or a sample cannot be read or applied. */
export class DevCommandError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EDEV', message, options);
  }
}
