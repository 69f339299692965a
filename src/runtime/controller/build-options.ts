import { OperatorTsError } from '../../errors.js';
import type { RateLimiter } from '../queue/rate-limiters.js';
import type { Predicate } from './types.js';
import { MAX_TIMER_MS } from '../clock.js';

export interface ControllerBuildOptions {
  /** Workers reconciling in parallel (never the same object twice at once). Default: the manager's. */
  maxConcurrentReconciles?: number;
  /** Default: per-item 5 ms → 1000 s exponential, max with an overall 10 qps / burst 100 bucket. */
  rateLimiter?: RateLimiter;
  /** See ControllerOptions.recoverPanic. Default true. */
  recoverPanic?: boolean;
  /**
   * controller-runtime's ReconciliationTimeout, in ms: each reconcile's `context.signal` aborts this long after it
   * started, and a reconcile that ends after that counts as an error and is retried with backoff. Default: none.
   */
  reconcileTimeoutMs?: number;
  /**
   * false: the controller runs on every replica from manager start, not only on the leader, and its writes are
   * not fenced by the Lease. Default true.
   */
  needLeaderElection?: boolean;
}

/** A controller build option breaks a rule; raised by the builder before anything runs. */
export class ControllerOptionsError extends OperatorTsError {
  readonly option: string;
  constructor(option: string, message: string, hint: string) {
    super('ECONTROLLEROPTIONS', message, { hint });
    this.option = option;
  }
}

export interface ResolvedControllerBuildOptions {
  rateLimiter: RateLimiter | undefined;
  recoverPanic: boolean;
  reconcileTimeoutMs: number | undefined;
  needLeaderElection: boolean;
}

/** Fills defaults and validates every build option except maxConcurrentReconciles (which needs the manager's default). */
export function resolveControllerBuildOptions(controller: string, opts: ControllerBuildOptions): ResolvedControllerBuildOptions {
  const { reconcileTimeoutMs, recoverPanic = true, needLeaderElection = true } = opts;
  if (reconcileTimeoutMs !== undefined && (typeof reconcileTimeoutMs !== 'number' || !Number.isFinite(reconcileTimeoutMs) || reconcileTimeoutMs <= 0 || reconcileTimeoutMs > MAX_TIMER_MS)) {
    throw new ControllerOptionsError(
      'reconcileTimeoutMs',
      `controller ${controller}: reconcileTimeoutMs is ${String(reconcileTimeoutMs)}: it must be a positive number of milliseconds of at most ${MAX_TIMER_MS}`,
      'use e.g. withOptions({ reconcileTimeoutMs: 60000 }), or omit it for no timeout',
    );
  }
  for (const [option, value] of [['recoverPanic', recoverPanic], ['needLeaderElection', needLeaderElection]] as const) {
    if (typeof value !== 'boolean') {
      throw new ControllerOptionsError(option, `controller ${controller}: ${option} is ${String(value)}: it must be true or false`, `use withOptions({ ${option}: false }), or omit it for the default`);
    }
  }
  return { rateLimiter: opts.rateLimiter, recoverPanic, reconcileTimeoutMs, needLeaderElection };
}

/** Checks that `predicate` is a Predicate: an object whose create, update and delete, when present, are functions. */
export function checkPredicate(where: string, predicate: unknown): Predicate {
  const hint = 'pass an object such as { update: (oldObj, newObj) => ... } or generationChangedPredicate; wrap a plain filter function as objectPredicate(fn)';
  if (typeof predicate !== 'object' || predicate === null || Array.isArray(predicate)) {
    const shown = typeof predicate === 'function' ? 'a function' : Array.isArray(predicate) ? 'an array' : String(predicate);
    throw new ControllerOptionsError(where, `${where}: the predicate is ${shown}, not a predicate object`, hint);
  }
  for (const method of ['create', 'update', 'delete'] as const) {
    const fn = (predicate as Record<string, unknown>)[method];
    if (fn !== undefined && typeof fn !== 'function') {
      throw new ControllerOptionsError(where, `${where}: the predicate's ${method} is ${typeof fn}, not a function`, hint);
    }
  }
  return predicate as Predicate;
}
