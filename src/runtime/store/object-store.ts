import type { KubernetesObject } from '@kubernetes/client-node';
import { parseLabelSelector } from './label-selector.js';
import { StoreIndex, type IndexFunc } from './indexer.js';

/** Cache key of an object: 'namespace/name', or 'name' for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubernetesObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

export interface ObjectStoreOptions<T> {
  /** Told when an index function throws on an object; that object is left out of that index. Default: ignore. */
  onIndexError?: (err: unknown, obj: T, index: string) => void;
}

/** In-memory objects of one kind, indexed by namespace and by any named indexes added with `addIndex`. */
export class ObjectStore<T extends KubernetesObject = KubernetesObject> {
  private readonly byKey = new Map<string, T>();
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly indexes = new Map<string, StoreIndex<T>>();

  constructor(private readonly options: ObjectStoreOptions<T> = {}) {}

  /** Adds a named index and indexes the objects already stored; a name given twice throws. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index ${name} exists already`);
    const index = new StoreIndex<T>(name, fn, (err, obj) => this.options.onIndexError?.(err, obj, name));
    for (const [key, obj] of this.byKey) index.update(key, obj);
    this.indexes.set(name, index);
  }

  /**
   * Objects indexed under every one of `requirements` (index name → index key): the smallest match set is
   * walked and checked against the others, so the cost is O(smallest match set). An unknown index name throws.
   */
  byIndexes(requirements: ReadonlyArray<readonly [index: string, key: string]>): T[] {
    const sets = requirements.map(([name, key]) => {
      const index = this.indexes.get(name);
      if (!index) throw new Error(`index ${name} does not exist`);
      return index.objectKeys(key);
    });
    if (sets.length === 0) return [];
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets as [ReadonlySet<string>, ...ReadonlySet<string>[]];
    const out: T[] = [];
    for (const key of smallest) {
      if (!rest.every((s) => s.has(key))) continue;
      const obj = this.byKey.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.byKey.get(objectKey(namespace, name));
  }

  getByKey(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const previous = this.byKey.get(key);
    this.byKey.set(key, obj);
    const ns = obj.metadata?.namespace ?? '';
    let bucket = this.byNamespace.get(ns);
    if (!bucket) this.byNamespace.set(ns, (bucket = new Map()));
    bucket.set(key, obj);
    for (const index of this.indexes.values()) index.update(key, obj);
    return previous;
  }

  /** Removes by key; returns the removed object. */
  remove(key: string): T | undefined {
    const previous = this.byKey.get(key);
    if (!previous) return undefined;
    this.byKey.delete(key);
    const ns = previous.metadata?.namespace ?? '';
    const bucket = this.byNamespace.get(ns);
    bucket?.delete(key);
    if (bucket && bucket.size === 0) this.byNamespace.delete(ns);
    for (const index of this.indexes.values()) index.update(key, undefined);
    return previous;
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** Objects in `namespace` (all namespaces when absent) whose labels match `labelSelector`. */
  list(opts: { namespace?: string; labelSelector?: string } = {}): T[] {
    const source = opts.namespace ? this.byNamespace.get(opts.namespace)?.values() ?? [] : this.byKey.values();
    const items = [...source];
    if (!opts.labelSelector) return items;
    const selector = parseLabelSelector(opts.labelSelector);
    return items.filter((o) => selector.matches(o.metadata?.labels));
  }
}
