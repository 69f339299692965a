import { DelayingQueue } from './delaying-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';
import type { WorkQueueOptions } from './work-queue.js';

export interface RateLimitingQueueOptions<T> extends WorkQueueOptions<T> {
  rateLimiter?: RateLimiter;
}

/** A DelayingQueue whose retries wait as long as the rate limiter says. */
export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
  }

  /** Re-adds the item after the limiter's delay and counts a retry. */
  addRateLimited(item: T): void {
    if (this.shuttingDown) return;
    this.metrics.retry();
    this.addAfter(item, this.rateLimiter.when(this.keyOf(item)));
  }

  /** Clears the item's retry history (call after a successful reconcile). */
  forget(item: T): void {
    this.rateLimiter.forget(this.keyOf(item));
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(this.keyOf(item));
  }
}
