import { OrderedMap } from '@js-sdsl/ordered-map';
import type { Obj } from './registry.js';

/**
 * The objects of one resource, keyed `namespace/name` (cluster-scoped: `/name`): a hash map for point
 * reads and an order-statistics tree of the same keys, so a list seeks to a key and counts what follows
 * it in O(log N) instead of sorting every key.
 *
 * Key order is plain string order, which is also how a real API server's etcd orders
 * `/registry/<resource>/<namespace>/<name>`. One namespace's keys are the contiguous range
 * [`ns/`, `ns0`): '0' is the character after '/'.
 */
export class ResourceBucket {
  private readonly objects = new Map<string, Obj>();
  private readonly ordered = new OrderedMap<string, true>([], undefined, true);

  get size(): number {
    return this.objects.size;
  }

  get(key: string): Obj | undefined {
    return this.objects.get(key);
  }

  set(key: string, object: Obj): void {
    if (!this.objects.has(key)) this.ordered.setElement(key, true);
    this.objects.set(key, object);
  }

  delete(key: string): void {
    if (this.objects.delete(key)) this.ordered.eraseElementByKey(key);
  }

  /** Keys and objects in key order, in `namespace` (undefined: all), strictly after `after` ('' : from the start). */
  *scan(namespace: string | undefined, after = ''): Generator<[string, Obj]> {
    const end = namespace === undefined ? undefined : `${namespace}0`;
    const it = this.seek(namespace, after);
    const stop = this.ordered.end();
    while (!it.equals(stop)) {
      const key = it.pointer[0];
      if (end !== undefined && key >= end) return;
      yield [key, this.objects.get(key)!];
      it.next();
    }
  }

  /** How many keys of `namespace` (undefined: all) come strictly after `after`. */
  countAfter(namespace: string | undefined, after: string): number {
    const from = this.rank(this.seek(namespace, after));
    const to = namespace === undefined ? this.ordered.size() : this.rank(this.ordered.lowerBound(`${namespace}0`));
    return Math.max(0, to - from);
  }

  private seek(namespace: string | undefined, after: string): ReturnType<OrderedMap<string, true>['begin']> {
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    return after < prefix ? this.ordered.lowerBound(prefix) : this.ordered.upperBound(after);
  }

  /** Position of an iterator; the library reports size - 1 for end(), so that case is answered here. */
  private rank(it: ReturnType<OrderedMap<string, true>['begin']>): number {
    return it.equals(this.ordered.end()) ? this.ordered.size() : it.index;
  }
}
