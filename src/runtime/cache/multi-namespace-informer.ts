import type { KubernetesObject } from '@kubernetes/client-node';
import type { EventHandler, Informer } from '../informer/informer.js';

/** Read access to the objects an informer holds. */
export interface StoreReader<T> {
  readonly size: number;
  get(namespace: string | undefined, name: string): T | undefined;
  /** Objects in `namespace` (all cached namespaces when absent) whose labels match `labelSelector`. */
  list(opts?: { namespace?: string; labelSelector?: string }): T[];
}

export type InformerStats = Informer['stats'];

/** What controllers and cached reads use of an informer: one per kind, whether it watches one namespace or several. */
export interface CacheInformer<T extends KubernetesObject = KubernetesObject> {
  readonly name: string;
  readonly store: StoreReader<T>;
  readonly stats: InformerStats;
  hasSynced(): boolean;
  waitForSync(signal?: AbortSignal): Promise<void>;
  addEventHandler(handler: EventHandler<T>, options?: { replay?: boolean }): () => void;
}

/**
 * One informer per namespace, seen as one (controller-runtime's multi-namespace cache): handlers are added to
 * each, it has synced when all have, and its store reads the namespace's own informer (or all of them for a
 * list without a namespace). The shared cache starts the per-namespace informers.
 */
export class MultiNamespaceInformer<T extends KubernetesObject = KubernetesObject> implements CacheInformer<T> {
  readonly store: StoreReader<T>;

  constructor(
    readonly name: string,
    /** By namespace. */
    readonly informers: ReadonlyMap<string, Informer<T>>,
  ) {
    const all = [...informers.values()];
    this.store = {
      get size() {
        return all.reduce((n, i) => n + i.store.size, 0);
      },
      get: (namespace, name) => (namespace === undefined ? undefined : informers.get(namespace)?.store.get(namespace, name)),
      list: (opts = {}) => {
        if (opts.namespace) return informers.get(opts.namespace)?.store.list(opts) ?? [];
        return all.flatMap((i) => i.store.list({ labelSelector: opts.labelSelector }));
      },
    };
  }

  get stats(): InformerStats {
    const sum = { lists: 0, watches: 0, relistsAfterGone: 0, reconnects: 0, watchdogFired: 0, listFallbacks: 0, resyncs: 0 };
    for (const informer of this.informers.values()) for (const k of Object.keys(sum) as Array<keyof InformerStats>) sum[k] += informer.stats[k];
    return sum;
  }

  hasSynced(): boolean {
    for (const informer of this.informers.values()) if (!informer.hasSynced()) return false;
    return true;
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  addEventHandler(handler: EventHandler<T>, options: { replay?: boolean } = {}): () => void {
    const removers = [...this.informers.values()].map((i) => i.addEventHandler(handler, options));
    return () => {
      for (const remove of removers) remove();
    };
  }
}
