import { realClock, type Clock } from '../clock.js';
import { noopQueueMetrics, type QueueMetrics } from './queue-metrics.js';
import { Fifo } from './fifo.js';

export interface WorkQueueOptions<T> {
  /** Shown in logs and the workqueue_* metrics' name label. */
  name?: string;
  /** Identity of an item; items with the same key are one item. Default: 'namespace/name' of a Request, or the string itself. */
  keyOf?: (item: T) => string;
  clock?: Clock;
  metrics?: QueueMetrics;
}

export function defaultKeyOf(item: unknown): string {
  if (typeof item === 'string') return item;
  const r = item as { namespace?: string; name?: string };
  if (r && typeof r.name === 'string') return r.namespace ? `${r.namespace}/${r.name}` : r.name;
  return JSON.stringify(item);
}

/**
 * A FIFO of unique items with client-go semantics: an item is waiting (dirty) at most once, is never
 * handed to two workers at once (processing), and an add during processing is deferred until
 * `done`. Shutting down stops handing out items; in-flight items finish and `drain` waits for them.
 */
export class WorkQueue<T> {
  readonly name: string;
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics;
  protected readonly keyOf: (item: T) => string;
  /** Keys waiting to be handed out, oldest first; O(1) push and shift. */
  protected readonly order = new Fifo<string>();
  private readonly dirty = new Map<string, T>();
  private readonly processing = new Map<string, T>();
  private readonly waiters: Array<(item: T | undefined) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private closed = false;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.name = options.name ?? 'queue';
    this.clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? noopQueueMetrics;
    this.keyOf = options.keyOf ?? defaultKeyOf;
  }

  add(item: T): void {
    if (this.closed) return;
    const key = this.keyOf(item);
    if (this.dirty.has(key)) return;
    this.dirty.set(key, item);
    if (this.processing.has(key)) return; // handed out again when the current worker is done
    this.enqueue(key);
  }

  /** The next item, waiting for one if needed; undefined once the queue shuts down (or `signal` aborts). */
  get(signal?: AbortSignal): Promise<T | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    if (this.order.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      const waiter = (item: T | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Marks the item finished; if it was added meanwhile, it is queued again now. */
  done(item: T): void {
    const key = this.keyOf(item);
    if (!this.processing.delete(key)) return;
    this.metrics.done(key);
    if (!this.closed && this.dirty.has(key)) this.enqueue(key);
    if (this.processing.size === 0) this.wakeDrainers();
  }

  /** Items waiting to be handed out. */
  len(): number {
    return this.order.length;
  }

  /** Items currently handed out to workers. */
  inFlight(): number {
    return this.processing.size;
  }

  get shuttingDown(): boolean {
    return this.closed;
  }

  /** Stops accepting and handing out items; waiting `get` calls resolve undefined. */
  shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    this.order.clear();
    this.dirty.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
    this.metrics.close();
    if (this.processing.size === 0) this.wakeDrainers();
  }

  /** Resolves when no item is being processed (call after shutDown to wait for in-flight work). */
  drain(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private enqueue(key: string): void {
    this.order.push(key);
    this.metrics.add(key);
    while (this.waiters.length > 0 && this.order.length > 0) this.waiters.shift()!(this.take());
  }

  private take(): T {
    const key = this.order.shift()!;
    const item = this.dirty.get(key)!;
    this.dirty.delete(key);
    this.processing.set(key, item);
    this.metrics.get(key);
    return item;
  }

  private wakeDrainers(): void {
    for (const d of this.drainWaiters.splice(0)) d();
  }
}
