import type { Runnable } from '../types.js';

/**
 * Runnables that start and stop together. Runnables added after `start` start at once.
 * A runnable that rejects before it was asked to stop is reported through `onFailure`.
 */
export class RunnableGroup {
  private readonly pending: Runnable[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly stopper = new AbortController();
  private started = false;
  private active = 0;

  constructor(
    readonly name: string,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  add(runnable: Runnable): void {
    if (this.stopper.signal.aborted) return;
    if (this.started) this.launch(runnable);
    else this.pending.push(runnable);
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** How many runnables have not finished yet. */
  get activeCount(): number {
    return this.active;
  }

  start(): void {
    if (this.started || this.stopper.signal.aborted) return;
    this.started = true;
    for (const r of this.pending.splice(0)) this.launch(r);
  }

  /** Asks every runnable to stop and waits until all have. Never rejects. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.pending.length = 0;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private launch(runnable: Runnable): void {
    const signal = this.stopper.signal;
    this.active++;
    const run = Promise.resolve()
      .then(() => runnable.start(signal))
      .catch((err: unknown) => {
        if (!signal.aborted) this.onFailure(err);
      })
      .finally(() => {
        this.active--;
        this.running.delete(run);
      });
    this.running.add(run);
  }
}
