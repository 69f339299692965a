import type { Obj } from './registry.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object, as recorded at resourceVersion `rv`. */
export interface StoredEvent {
  rv: number;
  groupResource: string;
  type: WatchEventType;
  /** The object after the change (for DELETED: its last state, carrying the deletion's resourceVersion). */
  object: Obj;
  /** The object before the change (MODIFIED and DELETED), so selector watches can tell moves in and out. */
  previous?: Obj;
}

export type EventListener = (event: StoredEvent) => void;

/**
 * A bounded history of changes plus live subscribers. Watches replay from the history and then follow
 * the live feed; a resourceVersion older than what the history still holds is answered with 410 Gone.
 */
export class EventLog {
  private events: StoredEvent[] = [];
  /** Index of the oldest retained event in `events` (entries before it are dropped). */
  private start = 0;
  /** Every event with rv <= compactedRv has been dropped from the history. */
  private compactedRv = 0;
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly allListeners = new Set<EventListener>();

  constructor(private readonly window: number) {}

  append(event: StoredEvent): void {
    this.events.push(event);
    // Keep exactly `window` events; the array is compacted in batches so appends stay O(1) amortised.
    if (this.events.length - this.start > this.window) {
      this.compactedRv = this.events[this.start]!.rv;
      this.events[this.start] = undefined as unknown as StoredEvent;
      this.start++;
      if (this.start >= this.window) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
    // Watchers first: internal listeners (garbage collection) may write again, and watchers must see
    // this event before the events those writes cause.
    const subscribers = this.listeners.get(event.groupResource);
    if (subscribers) for (const listener of [...subscribers]) listener(event);
    for (const listener of [...this.allListeners]) listener(event);
  }

  /** The oldest resourceVersion a watch or paginated list may still start from. */
  oldestAvailable(): number {
    return this.compactedRv;
  }

  /** Events of one resource after `rv`, or undefined when the history no longer reaches back that far. */
  since(groupResource: string, rv: number): StoredEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: StoredEvent[] = [];
    // Binary search for the first event after rv: the history is ordered by rv.
    let lo = this.start;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.groupResource === groupResource) out.push(event);
    }
    return out;
  }

  subscribe(groupResource: string, listener: EventListener): () => void {
    const set = this.listeners.get(groupResource) ?? new Set<EventListener>();
    set.add(listener);
    this.listeners.set(groupResource, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(groupResource) === set) this.listeners.delete(groupResource);
    };
  }

  /** Listens to every resource (the server's own controllers: CRD registration, garbage collection). */
  subscribeAll(listener: EventListener): () => void {
    this.allListeners.add(listener);
    return () => this.allListeners.delete(listener);
  }
}
