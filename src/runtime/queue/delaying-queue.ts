import { WorkQueue, type WorkQueueOptions } from './work-queue.js';

/**
 * A WorkQueue with `addAfter`. Delays run on the injected clock. When the same item is scheduled
 * twice, the earlier time wins, as in client-go.
 */
export class DelayingQueue<T> extends WorkQueue<T> {
  private readonly waiting = new Map<string, number>();
  private readonly stopper = new AbortController();

  constructor(options: WorkQueueOptions<T> = {}) {
    super(options);
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) return this.add(item);
    const key = this.keyOf(item);
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing !== undefined && existing <= readyAt) return;
    this.waiting.set(key, readyAt);
    this.clock.sleep(delayMs, this.stopper.signal).then(
      () => {
        if (this.waiting.get(key) !== readyAt) return; // superseded by an earlier schedule that fired already
        this.waiting.delete(key);
        this.add(item);
      },
      () => undefined, // shut down
    );
  }

  /** Items scheduled for later. */
  waitingCount(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    this.stopper.abort();
    this.waiting.clear();
    super.shutDown();
  }
}
