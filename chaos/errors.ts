import { OperatorTsError } from '../src/errors.js';

/** A chaos-harness option breaks a rule; the message names the option and the value. */
export class ChaosOptionError extends OperatorTsError {
  constructor(message: string, hint: string) {
    super('ECHAOSOPTION', message, { hint });
  }
}

/** The chaos harness could not set up or run its operator (scaffold, build, a replica that never started). */
export class ChaosRunError extends OperatorTsError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('ECHAOSRUN', message, { hint, cause });
  }
}
