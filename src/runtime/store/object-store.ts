import type { KubernetesObject } from '@kubernetes/client-node';
import { parseLabelSelector } from './label-selector.js';

/** Cache key of an object: 'namespace/name', or 'name' for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(obj: KubernetesObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

/** In-memory objects of one kind, indexed by namespace. */
export class ObjectStore<T extends KubernetesObject = KubernetesObject> {
  private readonly byKey = new Map<string, T>();
  private readonly byNamespace = new Map<string, Map<string, T>>();

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
