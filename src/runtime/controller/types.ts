import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorTsError, type OperatorTsErrorOptions } from '../../errors.js';
import type { Clock } from '../clock.js';
import type { Client } from '../client/client.js';
import type { SharedCache } from '../cache/shared-cache.js';
import type { ControllerHost, EventRecorder, Logger, Request, Result } from '../types.js';

/** Returned or thrown from a reconcile when retrying cannot help: logged, counted, not retried. */
export class TerminalError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('ETERMINAL', message, { hint: options.hint ?? 'fix the object (or the controller); it is reconciled again on its next change', cause: options.cause });
  }
}

/** True when `err` or one of its causes is a TerminalError. */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

export interface ReconcileContext {
  /** Writes are fenced with the manager's lease guard. */
  client: Client;
  /** Every line carries reconcileId, controller, namespace and name. */
  log: Logger;
  recorder: EventRecorder;
  /** Aborts when the controller stops; long waits inside a reconcile should honour it. */
  signal: AbortSignal;
  reconcileId: string;
  clock: Clock;
}

export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<Result | void>;
}

/** Filters events before they are mapped to requests. A missing method lets the event through. */
export interface Predicate<T extends KubernetesObject = KubernetesObject> {
  create?(obj: T): boolean;
  update?(oldObj: T, newObj: T): boolean;
  delete?(obj: T): boolean;
}

/** What controllers need from a manager: the host plus its shared cache and client. `Manager` satisfies it. */
export interface ControllerManager extends ControllerHost {
  readonly cache: SharedCache;
  readonly client: Client;
}
