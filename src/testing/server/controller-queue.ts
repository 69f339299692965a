/**
 * The work queue of the embedded controllers. A real cluster's controllers act after the API call that
 * triggered them has answered; so do ours: work queued while handling a request runs on a later turn of
 * the event loop, promptly, and a key queued twice before it runs runs once. Work may queue more work.
 */
export class ControllerQueue {
  private readonly pending = new Map<string, () => void>();
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  /** Queues `work` under `key`; a later add with the same key before it runs replaces it. */
  add(key: string, work: () => void): void {
    if (this.stopped) return;
    this.pending.set(key, work);
    this.scheduled ??= setImmediate(() => this.drain());
  }

  get size(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  private drain(): void {
    this.scheduled = undefined;
    // Work queued while draining waits for the next turn, so a chain of cascades never starves requests.
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const work of batch) {
      if (this.stopped) return;
      try {
        work();
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
