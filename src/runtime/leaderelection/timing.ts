import type { Clock } from '../clock.js';
import { OperatorTsError } from '../../errors.js';

/** A leader-election request got no answer in time; treated like any failed request. */
export class LeaseRequestTimeoutError extends OperatorTsError {
  constructor(ms: number) {
    super('ELEASEREQUESTTIMEOUT', `lease request got no answer within ${ms} ms`, {
      hint: 'check the API server is reachable; the elector retries',
    });
  }
}

/** Runs `fn` with a signal that aborts after `ms` (on the injected clock) or when `parent` aborts. */
export async function withTimeout<T>(clock: Clock, ms: number, parent: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const request = new AbortController();
  const timer = new AbortController();
  const onParentAbort = () => request.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  const timeout = clock.sleep(ms, timer.signal).then(() => {
    const err = new LeaseRequestTimeoutError(ms);
    request.abort(err);
    throw err;
  });
  try {
    return await Promise.race([fn(request.signal), timeout]);
  } finally {
    timer.abort();
    parent.removeEventListener('abort', onParentAbort);
  }
}

/**
 * Lets a waiting loop be woken early (a watch event) or stopped (abort). `wait` never rejects.
 * A notify that arrives while nobody waits is kept for the next wait.
 */
export class Wakeup {
  private wake: (() => void) | undefined;
  private pending = false;

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  async wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return;
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.wake = onAbort;
    try {
      await clock.sleep(Math.max(0, ms), stop.signal);
    } catch {
      // woken early or aborted: both just end the wait
    } finally {
      this.wake = undefined;
      this.pending = false;
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** client-go's wait.Jitter: period plus up to factor × period. */
export function jittered(periodMs: number, factor: number, random: () => number): number {
  return periodMs + random() * factor * periodMs;
}
