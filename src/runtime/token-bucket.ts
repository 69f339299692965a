import type { Clock } from './clock.js';

/**
 * A token bucket with reservations, as client-go's flowcontrol and workqueue limiters share: it starts full with
 * `burst` tokens and refills at `qps` a second up to `burst`. Taking a token when none is left reserves the next
 * one (the count goes negative), so takers are served in the order they came.
 */
export class TokenBucket {
  /** Tokens at `last`; negative when that many reservations wait for refills. */
  private tokens: number;
  private last: number;

  /** `qps` > 0 and `burst` ≥ 1, checked by the limiter that owns the bucket. */
  constructor(private readonly qps: number, private readonly burst: number, private readonly clock: Clock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token; returns how many milliseconds until it is covered by refills (0: at once). */
  take(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  /** Returns a token taken by a caller that no longer needs it. */
  giveBack(): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Tokens available now (negative: reservations waiting). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
  }
}
