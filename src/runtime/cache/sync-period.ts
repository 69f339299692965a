/** controller-runtime's default SyncPeriod: every cached object is re-delivered every 10 hours. */
export const DEFAULT_SYNC_PERIOD_MS = 10 * 60 * 60 * 1000;

/**
 * The resync period of one informer: `syncPeriodMs` times a factor in [0.9, 1.1), drawn once per informer,
 * as controller-runtime's cache does, so informers created together do not all resync at the same moment.
 */
export function jitteredSyncPeriod(syncPeriodMs: number, random: () => number = Math.random): number {
  return Math.floor(syncPeriodMs * (0.9 + random() / 5));
}
