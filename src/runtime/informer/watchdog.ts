import type { Clock } from '../clock.js';

/**
 * Calls `onSilence` when `touch` has not been called for `idleMs`. Runs on the injected clock, so a
 * FakeClock drives it in tests. One pending sleep at a time, re-armed lazily.
 */
export class Watchdog {
  private last: number;
  private readonly stopper = new AbortController();

  constructor(private readonly clock: Clock, private readonly idleMs: number, private readonly onSilence: () => void) {
    this.last = clock.now();
    void this.loop();
  }

  touch(): void {
    this.last = this.clock.now();
  }

  stop(): void {
    this.stopper.abort();
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const remaining = this.last + this.idleMs - this.clock.now();
        if (remaining <= 0) {
          this.onSilence();
          return;
        }
        await this.clock.sleep(remaining, this.stopper.signal);
      }
    } catch {
      // stopped
    }
  }
}
