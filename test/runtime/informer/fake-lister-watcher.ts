import type { KubernetesObject } from '@kubernetes/client-node';
import type { ListerWatcher, ListRequest, ListResult, WatchEvent, WatchRequest } from '../../../src/runtime/informer/list-watch.js';

interface OpenWatch {
  request: WatchRequest;
  onEvent: (e: WatchEvent<KubernetesObject>) => void;
  end: (err?: unknown) => void;
}

/** An in-memory API for one kind: tests change objects and break list/watch calls at will. */
export class FakeListerWatcher implements ListerWatcher<KubernetesObject> {
  private rv = 100;
  readonly objects = new Map<string, KubernetesObject>();
  readonly watches: OpenWatch[] = [];
  readonly listCalls: number[] = [];
  /** The resourceVersion each list asked for. */
  readonly listResourceVersions: Array<string | undefined> = [];
  readonly watchRequests: WatchRequest[] = [];
  listFailures: unknown[] = [];
  watchFailures: unknown[] = [];
  private watchWaiters: Array<() => void> = [];

  put(name: string, data: Record<string, unknown> = {}, namespace = 'default', notify = true): KubernetesObject {
    const key = `${namespace}/${name}`;
    const existed = this.objects.has(key);
    const obj: KubernetesObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion: String(++this.rv) }, ...data };
    this.objects.set(key, obj);
    if (notify) this.broadcast({ type: existed ? 'MODIFIED' : 'ADDED', object: obj });
    return obj;
  }

  remove(name: string, namespace = 'default', notify = true): void {
    const key = `${namespace}/${name}`;
    const obj = this.objects.get(key);
    this.objects.delete(key);
    this.rv++;
    if (obj && notify) this.broadcast({ type: 'DELETED', object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } } });
  }

  broadcast(event: WatchEvent<KubernetesObject>): void {
    for (const w of [...this.watches]) w.onEvent(event);
  }

  /** Ends every open watch, cleanly or with an error. */
  endWatches(err?: unknown): void {
    for (const w of this.watches.splice(0)) w.end(err);
  }

  get currentRv(): string {
    return String(this.rv);
  }

  async list(_signal?: AbortSignal, request?: ListRequest): Promise<ListResult<KubernetesObject>> {
    this.listCalls.push(this.rv);
    this.listResourceVersions.push(request?.resourceVersion);
    const failure = this.listFailures.shift();
    if (failure) throw failure;
    return { items: [...this.objects.values()].map((o) => structuredClone(o)), resourceVersion: String(this.rv) };
  }

  /** Resolves once `n` watches have been opened in total. */
  async waitForWatches(n: number): Promise<void> {
    while (this.watchRequests.length < n) await new Promise<void>((r) => this.watchWaiters.push(r));
  }

  watch(request: WatchRequest, onEvent: (e: WatchEvent<KubernetesObject>) => void): Promise<void> {
    this.watchRequests.push(request);
    for (const w of this.watchWaiters.splice(0)) w();
    const failure = this.watchFailures.shift();
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const entry: OpenWatch = {
        request,
        onEvent: (e) => {
          try {
            onEvent(e);
          } catch (err) {
            entry.end(err);
          }
        },
        end: (err) => {
          const i = this.watches.indexOf(entry);
          if (i >= 0) this.watches.splice(i, 1);
          if (err) reject(err);
          else resolve();
        },
      };
      this.watches.push(entry);
      request.signal.addEventListener('abort', () => entry.end(), { once: true });
    });
  }
}
