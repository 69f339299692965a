import { abortError, realClock, type Clock } from '../clock.js';

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
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  /** Tokens in the bucket at `last`; negative when that many reservations wait for refills. */
  private tokens: number;
  private last: number;

  /** `qps` > 0 and a whole `burst` ≥ 1; resolveManagerOptions checks them for users. */
  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    if (!(options.qps > 0) || !Number.isFinite(options.qps)) throw new RangeError(`qps ${options.qps} must be a positive finite number`);
    if (!Number.isInteger(options.burst) || options.burst < 1) throw new RangeError(`burst ${options.burst} must be a whole number of at least 1`);
    this.qps = options.qps;
    this.burst = options.burst;
    this.clock = options.clock ?? realClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    const delayMs = this.reserve();
    if (delayMs <= 0) return;
    try {
      await this.clock.sleep(delayMs, signal);
    } catch (err) {
      this.refill();
      this.tokens = Math.min(this.burst, this.tokens + 1);
      throw err;
    }
  }

  /** Tokens available now (negative: reservations waiting); for tests and diagnostics. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes a token; returns how long until it is covered by refills (0: at once). */
  private reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
  }
}
