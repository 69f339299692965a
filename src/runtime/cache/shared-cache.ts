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

export { resourceKey };

/** A cached read was made before the manager (and so the cache) started. */
export class CacheNotStartedError extends OperatorTsError {
  constructor(kind: string) {
    super('ECACHENOTSTARTED', `cannot read ${kind} from the cache: the cache has not been started`, {
      hint: 'read from the cache only inside reconciles (after manager.start), or use client.read() for a direct read',
    });
  }
}

export type InformerTuning = Omit<InformerOptions<KubernetesObject>, 'name' | 'listerWatcher' | 'clock' | 'logger' | 'transform'>;

export interface SharedCacheOptions {
  /** Makes the list/watch source of a resource type in one scope (a namespace, selectors). */
  listerWatcherFor: (rt: ResourceType<KubernetesObject>, scope: ListWatchScope) => ListerWatcher<KubernetesObject>;
  clock: Clock;
  logger: Logger;
  informer?: InformerTuning;
  /** Which namespaces and objects are cached (resolved by the manager's options); default: everything. */
  scope?: ResolvedCacheOptions;
}

/**
 * One informer per resource type, shared by every controller and by cached reads. A Runnable on
 * every replica: standbys keep warm caches, so a new leader starts reconciling at once. Scoped to
 * namespaces, a kind gets one informer per namespace, merged (or a single namespaced informer).
 */
export class SharedCache implements Runnable, CacheReader, CachedReader {
  private readonly informers = new Map<string, CacheInformer<KubernetesObject>>();
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
        });
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
    const informer = await this.synced(rt);
    return informer.store.list({ namespace, labelSelector: opts.labelSelector }).map((o) => structuredClone(o));
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
