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
