import type { Clock } from '../clock.js';
import type { LogFields, Logger } from '../types.js';

export interface ReopeningWatchOptions {
  clock: Clock;
  logger: Logger;
  /** Logged with a failure, e.g. `{ lease: 'ns/name' }`. */
  fields: LogFields;
  /** Wait before reopening a watch that delivered something. */
  minBackoffMs: number;
  /** Longest wait: the wait doubles while reopened watches deliver nothing. */
  maxBackoffMs: number;
  /** Opens one watch; calls `delivered` for each event and settles when the watch ends. */
  open(delivered: () => void): Promise<void>;
}

/**
 * Keeps a watch open until `signal` aborts. A watch that ends or fails is reopened after a wait; a watch
 * that keeps failing at once is retried less and less often, up to the cap, so a broken endpoint is not
 * hammered.
 */
export async function keepWatching(options: ReopeningWatchOptions, signal: AbortSignal): Promise<void> {
  const { clock, logger, fields, minBackoffMs, maxBackoffMs } = options;
  let backoff = minBackoffMs;
  while (!signal.aborted) {
    let delivered = false;
    try {
      await options.open(() => (delivered = true));
    } catch (err) {
      if (!signal.aborted) logger.debug('watch failed; reopening', { ...fields, error: err });
    }
    if (signal.aborted) return;
    backoff = delivered ? minBackoffMs : Math.min(backoff * 2, maxBackoffMs);
    try {
      await clock.sleep(backoff, signal);
    } catch {
      return;
    }
  }
}
