import { ValidationError } from '../../errors.js';
import { realClock, type Clock } from '../clock.js';
import { TokenBucket } from '../token-bucket.js';

/** Decides how long an item waits before it is retried. Keys are the queue's item keys. */
export interface RateLimiter {
  /** Delay in ms for the next retry of `key` (and records the retry). */
  when(key: string): number;
  /** Clears the history of `key` (after success). */
  forget(key: string): void;
  /** Retries recorded for `key` since it was last forgotten. */
  numRequeues(key: string): number;
}

function positive(name: string, value: number, example: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(`rate limiter option ${name} must be a positive number, got ${value}`, { hint: `e.g. ${example}` });
  return value;
}

/** Per-item exponential backoff: base × 2^failures, capped. client-go default: 5 ms to 1000 s. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: { baseDelayMs?: number; maxDelayMs?: number } = {}) {
    this.baseDelayMs = positive('baseDelayMs', options.baseDelayMs ?? 5, '5');
    this.maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 1_000_000, '1000000');
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(n, 1000));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** An overall token bucket across all items (client-go default: 10 qps, burst 100). */
export class BucketRateLimiter implements RateLimiter {
  private readonly bucket: TokenBucket;

  constructor(options: { qps?: number; burst?: number; clock?: Clock } = {}) {
    const qps = positive('qps', options.qps ?? 10, '10');
    const burst = positive('burst', options.burst ?? 100, '100');
    this.bucket = new TokenBucket(qps, burst, options.clock ?? realClock);
  }

  /** Reserves a token; the delay is how long until the reservation is covered. */
  when(): number {
    return Math.ceil(this.bucket.take());
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new ValidationError('MaxOfRateLimiter needs at least one limiter', { hint: 'pass e.g. an ItemExponentialFailureRateLimiter' });
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(...this.limiters.map((l) => l.numRequeues(key)));
  }
}

/** client-go's default controller rate limiter: per-item 5 ms → 1000 s, overall 10 qps with burst 100. */
export function defaultControllerRateLimiter(clock: Clock = realClock): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(), new BucketRateLimiter({ qps: 10, burst: 100, clock }));
}
