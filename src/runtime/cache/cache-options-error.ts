import { OperatorTsError } from '../../errors.js';

/** A `cache` manager option breaks a rule; raised by the manager's constructor, before anything connects. */
export class CacheOptionsError extends OperatorTsError {
  /** The option's path, e.g. 'cache.byObject[/v1/configmaps].labelSelector'. */
  readonly option: string;
  constructor(option: string, message: string, hint: string) {
    super('ECACHEOPTIONS', message, { hint });
    this.option = option;
  }
}
