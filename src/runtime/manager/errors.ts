import { OperatorTsError } from '../../errors.js';

/** A manager option breaks a rule; raised by the constructor before anything connects. */
export class ManagerOptionsError extends OperatorTsError {
  readonly option: string;
  constructor(option: string, message: string, hint: string) {
    super('EMANAGEROPTIONS', message, { hint });
    this.option = option;
  }
}

/** Shutdown did not finish within gracefulShutdownTimeoutMs. */
export class GracefulShutdownTimeoutError extends OperatorTsError {
  constructor(timeoutMs: number, pending: string) {
    super('ESHUTDOWNTIMEOUT', `graceful shutdown did not finish within ${timeoutMs} ms (still waiting for ${pending})`, {
      hint: 'raise --graceful-shutdown-timeout, or make reconciles honour their abort signal',
    });
  }
}

export class ManagerAlreadyStartedError extends OperatorTsError {
  constructor() {
    super('EMANAGERSTARTED', 'manager.start() was called twice', { hint: 'create one Manager per process run and start it once' });
  }
}

/** A runnable's start() rejected before the manager asked it to stop. */
export class RunnableFailedError extends OperatorTsError {
  constructor(cause: unknown) {
    super('ERUNNABLEFAILED', `a runnable failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'see the cause; the manager stopped everything else',
      cause,
    });
  }
}
