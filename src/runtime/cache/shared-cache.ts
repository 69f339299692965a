import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorTsError } from '../../errors.js';
import type { Clock } from '../clock.js';
import type { ResourceType } from '../resource.js';
import type { CacheReader, Logger, Runnable } from '../types.js';
import type { CachedReader, ListOptions } from '../client/client.js';
import { Informer, type InformerOptions } from '../informer/informer.js';
import type { ListerWatcher, ListWatchScope } from '../informer/list-watch.js';
import { resolveCacheOptions, type ResolvedCacheOptions } from './cache-options.js';
import { NamespaceNotCachedError } from './cache-scope-error.js';
import { MultiNamespaceInformer, type CacheInformer } from './multi-namespace-informer.js';
import { informerKey, resourceKey } from './resource-key.js';
import { jitteredSyncPeriod } from './sync-period.js';
import { checkMatchingFields } from '../client/matching-fields.js';
import { checkIndexField, fieldIndexName, namespacedIndexFunc, namespacedKey, type FieldIndexer, type IndexerFunc } from './field-indexer.js';
import { IndexFieldError, UnindexedFieldError } from './field-index-errors.js';
import { parseLabelSelector } from '../store/label-selector.js';

export { resourceKey };

/** A cached read was made before the manager (and so the cache) started. */
export class CacheNotStartedError extends OperatorTsError {
  constructor(kind: string) {
    super('ECACHENOTSTARTED', `cannot read ${kind} from the cache: the cache has not been started`, {
      hint: 'read from the cache only inside reconciles (after manager.start), or use client.read() for a direct read',
    });
  }
}

export type InformerTuning = Omit<InformerOptions<KubernetesObject>, 'name' | 'listerWatcher' | 'clock' | 'logger' | 'transform' | 'resyncPeriodMs'>;

export interface SharedCacheOptions {
  /** Makes the list/watch source of a resource type in one scope (a namespace, selectors). */
  listerWatcherFor: (rt: ResourceType<KubernetesObject>, scope: ListWatchScope) => ListerWatcher<KubernetesObject>;
  clock: Clock;
  logger: Logger;
  informer?: InformerTuning;
  /** Which namespaces and objects are cached (resolved by the manager's options); default: everything. */
  scope?: ResolvedCacheOptions;
  /**
   * Every cached object is re-delivered to the event handlers about this often (the manager's syncPeriodMs),
   * each informer at its own period in [0.9, 1.1) × this. Absent: never.
   */
  syncPeriodMs?: number;
  /** Draws each informer's jitter; default Math.random. */
  random?: () => number;
}

/**
 * One informer per resource type, shared by every controller and by cached reads. A Runnable on
 * every replica: standbys keep warm caches, so a new leader starts reconciling at once. Scoped to
 * namespaces, a kind gets one informer per namespace, merged (or a single namespaced informer).
 */
export class SharedCache implements Runnable, CacheReader, CachedReader, FieldIndexer {
  private readonly informers = new Map<string, CacheInformer<KubernetesObject>>();
  /** The per-namespace informers behind each entry of `informers`, by resource key. */
  private readonly namespaceInformers = new Map<string, Informer<KubernetesObject>[]>();
  /** Registered field indexes: resource key → field → store index function. */
  private readonly fieldIndexes = new Map<string, Map<string, ReturnType<typeof namespacedIndexFunc>>>();
  private readonly pending: Informer<KubernetesObject>[] = [];
  private readonly running: Promise<void>[] = [];
  private readonly scope: ResolvedCacheOptions;
  private signal?: AbortSignal;

  constructor(private readonly options: SharedCacheOptions) {
    this.scope = options.scope ?? resolveCacheOptions(undefined);
  }

  /**
   * The informer of `rt`, created on first use (and started at once when the cache runs). A metadata-only view
   * (metadataOnly(rt)) has its own informer; both follow the kind's scope (namespaces, selectors, transform).
   */
  informer<T extends KubernetesObject>(rt: ResourceType<T>): CacheInformer<T> {
    const key = informerKey(rt);
    let informer = this.informers.get(key);
    if (!informer) {
      const scope = this.scope.scopeFor(rt);
      const make = (namespace: string | undefined) => {
        const name = namespace ? `${key}@${namespace}` : key;
        const created = new Informer<KubernetesObject>({
          ...this.options.informer,
          name,
          listerWatcher: this.options.listerWatcherFor(rt, { namespace, labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector }),
          clock: this.options.clock,
          logger: this.options.logger.child({ informer: name }),
          transform: scope.transform,
          resyncPeriodMs: this.options.syncPeriodMs ? jitteredSyncPeriod(this.options.syncPeriodMs, this.options.random) : undefined,
        });
        for (const [field, fn] of this.fieldIndexes.get(key) ?? []) created.store.addIndex(fieldIndexName(field), fn);
        const group = this.namespaceInformers.get(key) ?? [];
        group.push(created);
        this.namespaceInformers.set(key, group);
        if (this.signal) this.launch(created, this.signal);
        else this.pending.push(created);
        return created;
      };
      const namespaces = scope.namespaces;
      informer = !namespaces ? make(undefined) : new MultiNamespaceInformer(key, new Map(namespaces.map((ns) => [ns, make(ns)])));
      this.informers.set(key, informer);
    }
    return informer as unknown as CacheInformer<T>;
  }

  /**
   * controller-runtime's FieldIndexer.IndexField: indexes `field` of `rt` by what `extract` returns for each cached
   * object, per namespace and across namespaces, and creates the kind's informer if needed (so it syncs with the
   * cache). Bad arguments, a field indexed twice and a kind whose informer runs already fail here, not at an event.
   */
  indexField<T extends KubernetesObject>(rt: ResourceType<T>, field: string, extract: IndexerFunc<T>): void {
    const key = checkIndexField(rt, field, extract);
    const fields = this.fieldIndexes.get(key) ?? new Map();
    if (fields.has(field)) {
      throw new IndexFieldError(rt.kind, field, `field '${field}' of ${rt.kind} is indexed already`, 'register each field once per resource; one index function may return several values');
    }
    if (this.signal && this.informers.has(key)) {
      throw new IndexFieldError(rt.kind, field, `cannot index field '${field}' of ${rt.kind}: its informer has started already, and an index added now would miss the objects it has seen`,
        'call manager.fieldIndexer.indexField before manager.start() (or before anything reads or watches that kind)');
    }
    const fn = namespacedIndexFunc(rt as ResourceType<KubernetesObject>, field, extract as IndexerFunc);
    fields.set(field, fn);
    this.fieldIndexes.set(key, fields);
    // An informer created before start (by a controller's builder) gets the index now; a new one gets it in make().
    for (const informer of this.namespaceInformers.get(key) ?? []) informer.store.addIndex(fieldIndexName(field), fn);
    this.informer(rt);
  }

  get started(): boolean {
    return this.signal !== undefined;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new OperatorTsError('ECACHESTARTED', 'the shared cache was started twice', { hint: 'add the cache to one manager only' });
    this.signal = signal;
    for (const informer of this.pending.splice(0)) this.launch(informer, signal);
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Informers created during shutdown are appended; wait until the list stops growing.
    for (let seen = 0; seen < this.running.length; seen = this.running.length) await Promise.all(this.running.slice(seen));
  }

  /** True once every informer created so far has listed once. */
  hasSynced(): boolean {
    for (const informer of this.informers.values()) if (!informer.hasSynced()) return false;
    return true;
  }

  /** Waits for every informer created so far to sync. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  /** Reads from the cache; a namespace outside the cached ones fails with NamespaceNotCachedError (as controller-runtime). */
  async get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined> {
    const ns = rt.namespaced ? namespace : undefined;
    if (ns !== undefined) this.checkNamespace('get', rt, ns, name);
    const informer = await this.synced(rt);
    const obj = informer.store.get(ns, name);
    return obj ? structuredClone(obj) : undefined;
  }

  /**
   * Lists from the cache. Without a namespace it returns the objects of every cached namespace (as
   * controller-runtime's multi-namespace cache does); a namespace outside the cached ones fails with NamespaceNotCachedError.
   */
  async list<T extends KubernetesObject>(rt: ResourceType<T>, opts: ListOptions = {}): Promise<T[]> {
    const namespace = rt.namespaced ? opts.namespace || undefined : undefined;
    if (namespace !== undefined) this.checkNamespace('list', rt, namespace);
    const requirements = opts.matchingFields === undefined ? [] : this.indexRequirements(rt, opts.matchingFields, namespace);
    const informer = await this.synced(rt);
    if (requirements.length === 0) return informer.store.list({ namespace, labelSelector: opts.labelSelector }).map((o) => structuredClone(o));
    // Served from the indexes, O(matches); a label selector then filters the matches (both must hold).
    const selector = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const matches = informer.store.byIndexes(requirements);
    return (selector ? matches.filter((o) => selector.matches(o.metadata?.labels)) : matches).map((o) => structuredClone(o));
  }

  /** The (index, key) pairs of `matchingFields`; a field without an index fails with UnindexedFieldError. */
  private indexRequirements(rt: ResourceType<KubernetesObject>, matchingFields: unknown, namespace: string | undefined): Array<[string, string]> {
    const indexed = this.fieldIndexes.get(resourceKey(rt)) ?? new Map();
    return checkMatchingFields(rt.kind, matchingFields).map(([field, value]) => {
      if (!indexed.has(field)) throw new UnindexedFieldError(rt.kind, field, [...indexed.keys()]);
      return [fieldIndexName(field), namespacedKey(namespace, value)];
    });
  }

  private checkNamespace(operation: 'get' | 'list', rt: ResourceType<KubernetesObject>, namespace: string, name?: string): void {
    const cached = this.scope.scopeFor(rt).namespaces;
    if (cached && !cached.includes(namespace)) throw new NamespaceNotCachedError(operation, rt.kind, namespace, cached, name);
  }

  private async synced<T extends KubernetesObject>(rt: ResourceType<T>): Promise<CacheInformer<T>> {
    if (!this.signal) throw new CacheNotStartedError(rt.kind);
    const informer = this.informer(rt);
    await informer.waitForSync(this.signal);
    return informer;
  }

  private launch(informer: Informer<KubernetesObject>, signal: AbortSignal): void {
    this.running.push(
      informer.start(signal).catch((err) => {
        this.options.logger.error('informer stopped unexpectedly', { informer: informer.name, error: (err as Error)?.message ?? String(err) });
      }),
    );
  }
}
