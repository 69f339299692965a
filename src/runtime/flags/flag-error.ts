import { OperatorTsError } from '../../errors.js';

/** A command-line flag or its environment variable has a bad value; names the flag, the rule and a fix. */
export class FlagError extends OperatorTsError {
  readonly flag: string;
  constructor(flag: string, message: string, hint: string) {
    super('EFLAG', message, { hint });
    this.flag = flag;
  }
}
