import type { Clock } from '../clock.js';
import type { EventRecorder, LeaseGuard, Logger } from '../types.js';
import { LeaderElector } from './elector.js';
import { ForLifeElector } from './for-life-elector.js';
import type { ForLifeLock } from './for-life-lock.js';
import type { LeaseLock } from './lease-lock.js';
import type { ResolvedLeaderElectionOptions } from './options.js';

/** What the manager drives, whatever the strategy. */
export interface Elector {
  readonly guard: LeaseGuard;
  readonly identity: string;
  isLeader(): boolean;
  /** Resolves once leading; rejects with the abort reason, or with a typed error that retrying cannot fix. */
  acquire(signal: AbortSignal): Promise<void>;
  /** Resolves when `signal` aborts while leading; rejects with LeaderElectionLostError when leadership ends. */
  hold(signal: AbortSignal): Promise<void>;
  stop(options: { release: boolean }): Promise<boolean>;
}

/** Builds the locks on the API server; the manager supplies them, so this folder needs no transport. */
export interface ApiServerLocks {
  lease(namespace: string, name: string): LeaseLock;
  forLife(namespace: string, name: string): ForLifeLock;
}

export interface ElectorDeps {
  locks: ApiServerLocks;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
  onLeadingChange?: (leading: boolean) => void;
  onSlowPath?: () => void;
  /** Tests: the Lease lock to use instead of the API server's. */
  leaseLock?: LeaseLock;
  /** Tests: the for-life lock to use instead of the API server's ConfigMap. */
  forLifeLock?: ForLifeLock;
}

/** The one place the strategy picks the elector. */
export function createElector(le: ResolvedLeaderElectionOptions, deps: ElectorDeps): Elector {
  const { locks, clock, logger, recorder, onLeadingChange } = deps;
  if (le.strategy === 'for-life') {
    // resolveLeaderElectionOptions refuses for-life without a Pod.
    const pod = le.pod!;
    return new ForLifeElector({
      lock: deps.forLifeLock ?? locks.forLife(le.namespace, le.id),
      podName: pod.name,
      maxBackoffMs: le.forLifeMaxBackoffMs,
      clock,
      logger,
      recorder,
      onLeadingChange,
    });
  }
  return new LeaderElector({
    lock: deps.leaseLock ?? locks.lease(le.namespace, le.id),
    identity: le.identity,
    leaseDurationMs: le.leaseDurationMs,
    renewDeadlineMs: le.renewDeadlineMs,
    retryPeriodMs: le.retryPeriodMs,
    clock,
    logger,
    recorder,
    onLeadingChange,
    onSlowPath: deps.onSlowPath,
  });
}
