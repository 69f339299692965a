import type { Clock } from '../clock.js';
import type { Check } from './checks.js';

export interface RenewalSource {
  isLeader(): boolean;
  /** Local time of the last successful renew, undefined before the first. */
  lastRenewTime(): number | undefined;
}

/**
 * healthz check: a replica that leads but has not renewed for longer than the lease duration is
 * wedged (its renew loop is stuck; others may already lead), so the kubelet should restart it.
 * Standbys are always healthy here.
 */
export function leaderRenewalCheck(source: RenewalSource, leaseDurationMs: number, clock: Clock): Check {
  return () => {
    if (!source.isLeader()) return;
    const last = source.lastRenewTime();
    const age = last === undefined ? Infinity : clock.now() - last;
    if (age > leaseDurationMs) {
      throw new Error(`leading but the lease was last renewed ${Number.isFinite(age) ? `${Math.round(age)} ms ago` : 'never'} (lease duration ${leaseDurationMs} ms)`);
    }
  };
}
