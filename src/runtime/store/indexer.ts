import type { KubernetesObject } from '@kubernetes/client-node';

/** Computes the index keys of one object; may throw, and the store then reports the error and leaves the object out. */
export type IndexFunc<T> = (obj: T) => string[];

/**
 * One named index of a store (client-go's Indexer, one index): index key → keys of the objects that have it,
 * and the reverse, so an update removes exactly the object's old keys and a lookup costs O(matches).
 */
export class StoreIndex<T extends KubernetesObject = KubernetesObject> {
  // Most index keys name one object (a namespaced key such as 'ns/secret-a'), so a key holds a plain string until
  // a second object shares it: a Set per key would double the cost of building the index.
  private readonly byIndexKey = new Map<string, string | Set<string>>();
  private readonly byObjectKey = new Map<string, string[]>();

  constructor(
    readonly name: string,
    private readonly fn: IndexFunc<T>,
    private readonly onError: (err: unknown, obj: T) => void,
  ) {}

  /** Replaces the object's entries: `obj` undefined removes them. */
  update(objectKey: string, obj: T | undefined): void {
    const old = this.byObjectKey.get(objectKey);
    let next: string[] = NONE;
    if (obj !== undefined) {
      try {
        next = this.fn(obj);
        if (next.length > 1) next = [...new Set(next)];
      } catch (err) {
        // Stale entries would be worse than none: the object leaves this index until it changes.
        this.onError(err, obj);
        next = NONE;
      }
    }
    if (old) for (const key of old) if (!next.includes(key)) this.drop(key, objectKey);
    for (const key of next) this.add(key, objectKey);
    if (next.length > 0) this.byObjectKey.set(objectKey, next);
    else if (old) this.byObjectKey.delete(objectKey);
  }

  /** Keys of the objects indexed under `indexKey`. */
  objectKeys(indexKey: string): ReadonlySet<string> {
    const entry = this.byIndexKey.get(indexKey);
    if (entry === undefined) return EMPTY;
    return typeof entry === 'string' ? new Set([entry]) : entry;
  }

  private add(indexKey: string, objectKey: string): void {
    const entry = this.byIndexKey.get(indexKey);
    if (entry === undefined) this.byIndexKey.set(indexKey, objectKey);
    else if (typeof entry === 'string') {
      if (entry !== objectKey) this.byIndexKey.set(indexKey, new Set([entry, objectKey]));
    } else entry.add(objectKey);
  }

  private drop(indexKey: string, objectKey: string): void {
    const entry = this.byIndexKey.get(indexKey);
    if (entry === undefined) return;
    if (typeof entry === 'string') {
      if (entry === objectKey) this.byIndexKey.delete(indexKey);
      return;
    }
    entry.delete(objectKey);
    if (entry.size === 1) this.byIndexKey.set(indexKey, entry.values().next().value!);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
const NONE: string[] = [];
