import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorTsError } from '../../errors.js';
import type { Clock } from '../clock.js';
import type { ResourceType } from '../resource.js';
import type { CacheReader, Logger, Runnable } from '../types.js';
import type { CachedReader, ListOptions } from '../client/client.js';
import { Informer, type InformerOptions } from '../informer/informer.js';
import type { ListerWatcher } from '../informer/list-watch.js';

/** A cached read was made before the manager (and so the cache) started. */
export class CacheNotStartedError extends OperatorTsError {
  constructor(kind: string) {
    super('ECACHENOTSTARTED', `cannot read ${kind} from the cache: the cache has not been started`, {
      hint: 'read from the cache only inside reconciles (after manager.start), or use client.read() for a direct read',
    });
  }
}

export type InformerTuning = Omit<InformerOptions<KubernetesObject>, 'name' | 'listerWatcher' | 'clock' | 'logger'>;

export interface SharedCacheOptions {
  /** Makes the list/watch source of a resource type. */
  listerWatcherFor: (rt: ResourceType<KubernetesObject>) => ListerWatcher<KubernetesObject>;
  clock: Clock;
  logger: Logger;
  informer?: InformerTuning;
}

export function resourceKey(rt: ResourceType<KubernetesObject>): string {
  return `${rt.group}/${rt.version}/${rt.plural}`;
}

/**
 * One informer per resource type, shared by every controller and by cached reads. A Runnable on
 * every replica: standbys keep warm caches, so a new leader starts reconciling at once.
 */
export class SharedCache implements Runnable, CacheReader, CachedReader {
  private readonly informers = new Map<string, Informer<KubernetesObject>>();
  private readonly running: Promise<void>[] = [];
  private signal?: AbortSignal;

  constructor(private readonly options: SharedCacheOptions) {}

  /** The informer of `rt`, created on first use (and started at once when the cache runs). */
  informer<T extends KubernetesObject>(rt: ResourceType<T>): Informer<T> {
    const key = resourceKey(rt);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubernetesObject>({
        ...this.options.informer,
        name: key,
        listerWatcher: this.options.listerWatcherFor(rt),
        clock: this.options.clock,
        logger: this.options.logger.child({ informer: key }),
      });
      this.informers.set(key, informer);
      if (this.signal) this.launch(informer, this.signal);
    }
    return informer as unknown as Informer<T>;
  }

  get started(): boolean {
    return this.signal !== undefined;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new OperatorTsError('ECACHESTARTED', 'the shared cache was started twice', { hint: 'add the cache to one manager only' });
    this.signal = signal;
    for (const informer of this.informers.values()) this.launch(informer, signal);
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

  async get<T extends KubernetesObject>(rt: ResourceType<T>, namespace: string, name: string): Promise<T | undefined> {
    const informer = await this.synced(rt);
    const obj = informer.store.get(rt.namespaced ? namespace : undefined, name);
    return obj ? structuredClone(obj) : undefined;
  }

  async list<T extends KubernetesObject>(rt: ResourceType<T>, opts: ListOptions = {}): Promise<T[]> {
    const informer = await this.synced(rt);
    return informer.store.list({ namespace: rt.namespaced ? opts.namespace : undefined, labelSelector: opts.labelSelector }).map((o) => structuredClone(o));
  }

  private async synced<T extends KubernetesObject>(rt: ResourceType<T>): Promise<Informer<T>> {
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
