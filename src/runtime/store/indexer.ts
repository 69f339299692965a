import type { KubernetesObject } from '@kubernetes/client-node';

/** Computes the index keys of one object; may throw, and the store then reports the error and leaves the object out. */
export type IndexFunc<T> = (obj: T) => string[];

/**
 * One named index of a store (client-go's Indexer, one index): index key → keys of the objects that have it,
 * and the reverse, so an update removes exactly the object's old keys and a lookup costs O(matches).
 */
export class StoreIndex<T extends KubernetesObject = KubernetesObject> {
  private readonly byIndexKey = new Map<string, Set<string>>();
  private readonly byObjectKey = new Map<string, string[]>();

  constructor(
    readonly name: string,
    private readonly fn: IndexFunc<T>,
    private readonly onError: (err: unknown, obj: T) => void,
  ) {}

  /** Replaces the object's entries: `obj` undefined removes them. */
  update(objectKey: string, obj: T | undefined): void {
    const old = this.byObjectKey.get(objectKey);
    let next: string[] = [];
    if (obj !== undefined) {
      try {
        next = [...new Set(this.fn(obj))];
      } catch (err) {
        // Stale entries would be worse than none: the object leaves this index until it changes.
        this.onError(err, obj);
        next = [];
      }
    }
    if (old) for (const key of old) if (!next.includes(key)) this.drop(key, objectKey);
    for (const key of next) {
      let set = this.byIndexKey.get(key);
      if (!set) this.byIndexKey.set(key, (set = new Set()));
      set.add(objectKey);
    }
    if (next.length > 0) this.byObjectKey.set(objectKey, next);
    else this.byObjectKey.delete(objectKey);
  }

  /** Keys of the objects indexed under `indexKey` (live view; do not change it). */
  objectKeys(indexKey: string): ReadonlySet<string> {
    return this.byIndexKey.get(indexKey) ?? EMPTY;
  }

  private drop(indexKey: string, objectKey: string): void {
    const set = this.byIndexKey.get(indexKey);
    if (!set) return;
    set.delete(objectKey);
    if (set.size === 0) this.byIndexKey.delete(indexKey);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
