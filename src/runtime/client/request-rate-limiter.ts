import { abortError, realClock, type Clock } from '../clock.js';
import { TokenBucket } from '../token-bucket.js';

/**
 * Paces the requests one REST transport sends, as client-go's `rest.Config.RateLimiter` does: `wait`
 * resolves when the request may go, or rejects with the signal's reason when the signal aborts first.
 */
export interface RequestRateLimiter {
  wait(signal?: AbortSignal): Promise<void>;
}

/**
 * client-go's token bucket (flowcontrol.NewTokenBucketRateLimiter): the bucket starts full with `burst`
 * tokens and refills at `qps` tokens a second up to `burst`; each request takes one. A request that finds
 * the bucket empty reserves the next token and waits for it, so waiters go in the order they arrived.
 * A waiter whose signal aborts gives its token back, so an abandoned request never slows the others.
 */
export class TokenBucketRateLimiter implements RequestRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;

  /** `qps` > 0 and a whole `burst` ≥ 1; resolveManagerOptions checks them for users. */
  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    if (!(options.qps > 0) || !Number.isFinite(options.qps)) throw new RangeError(`qps ${options.qps} must be a positive finite number`);
    if (!Number.isInteger(options.burst) || options.burst < 1) throw new RangeError(`burst ${options.burst} must be a whole number of at least 1`);
    this.clock = options.clock ?? realClock;
    this.bucket = new TokenBucket(options.qps, options.burst, this.clock);
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    const delayMs = this.bucket.take();
    if (delayMs <= 0) return;
    try {
      await this.clock.sleep(delayMs, signal);
    } catch (err) {
      this.bucket.giveBack();
      throw err;
    }
  }

  /** Tokens available now (negative: reservations waiting); for tests and diagnostics. */
  available(): number {
    return this.bucket.available();
  }
}
