import { OperatorTsError, type OperatorTsErrorOptions } from '../../errors.js';

/** The lease could not be renewed within the renew deadline, or another replica took it. */
export class LeaderElectionLostError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('ELEADERELECTIONLOST', message, {
      hint: options.hint ?? 'the process should exit non-zero so it restarts as a standby replica',
      cause: options.cause,
    });
  }
}

/** A write was attempted on behalf of a leader that no longer knows it holds the lease. */
export class LeaseNotHeldError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('ELEASENOTHELD', message, {
      hint: options.hint ?? 'the write was refused to avoid two leaders acting at once; it is retried if this replica leads again',
      cause: options.cause,
    });
  }
}

/** A leader election option breaks a rule; raised before anything talks to the cluster. */
export class LeaderElectionConfigError extends OperatorTsError {
  readonly option: string;
  constructor(option: string, message: string, hint: string) {
    super('ELEADERELECTIONCONFIG', message, { hint });
    this.option = option;
  }
}

/**
 * Leader-for-life cannot run here: the Pod it would tie the lock to is unknown, missing, or the lock
 * may not be written. Raised before leading, so the replica never runs controllers without election.
 */
export class LeaderForLifeError extends OperatorTsError {
  constructor(message: string, hint: string, options: { cause?: unknown } = {}) {
    super('ELEADERFORLIFE', message, { hint, cause: options.cause });
  }
}
