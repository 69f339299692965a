// The exception module alone: importing the package root would load every generated model.
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import type { ForLifeLock, ForLifeLockState, PodRef, PodState } from './for-life-lock.js';

/**
 * Pods and one lock ConfigMap kept in memory, shared by several for-life electors in unit tests.
 * Behaves like the API server for what the elector uses: create answers 409 when the lock exists,
 * delete checks its preconditions, watchers see every change. There is no garbage collector:
 * tests call `collectGarbage()` to play it.
 */
export class MemoryForLifeStore {
  readonly pods = new Map<string, PodState>();
  private current: ForLifeLockState | undefined;
  private version = 0;
  private readonly watchers = new Set<(lock: ForLifeLockState | undefined) => void>();
  /** Each request's verb, in order: 'get', 'create', 'delete', 'getPod'. */
  readonly requests: string[] = [];
  /** The next request of this verb fails with this code (once). */
  readonly failNext = new Map<string, number>();

  lockState(): ForLifeLockState | undefined {
    return this.current && structuredClone(this.current);
  }

  /** Sets the lock directly (e.g. left behind by a Pod that is gone). */
  put(owner: PodRef): ForLifeLockState {
    this.version++;
    this.current = { uid: `lock-${this.version}`, resourceVersion: String(this.version), ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', ...owner }] };
    this.emit();
    return structuredClone(this.current);
  }

  remove(): void {
    this.current = undefined;
    this.emit();
  }

  /** What the garbage collector does: deletes the lock when its owner Pod is gone or has another uid. */
  collectGarbage(): void {
    const owner = this.current?.ownerReferences[0];
    if (owner && this.pods.get(owner.name)?.uid !== owner.uid) this.remove();
  }

  lock(name = 'test-lock', namespace = 'default'): ForLifeLock {
    return new MemoryForLifeLock(this, name, namespace);
  }

  /** @internal */
  request(verb: string): void {
    this.requests.push(verb);
    const code = this.failNext.get(verb);
    if (code !== undefined) {
      this.failNext.delete(verb);
      throw new ApiException(code, `injected failure ${code}`, undefined, {});
    }
  }

  /** @internal */
  subscribe(fn: (lock: ForLifeLockState | undefined) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private emit(): void {
    const snapshot = this.lockState();
    for (const w of this.watchers) w(snapshot && structuredClone(snapshot));
  }
}

class MemoryForLifeLock implements ForLifeLock {
  constructor(
    private readonly store: MemoryForLifeStore,
    readonly name: string,
    readonly namespace: string,
  ) {}

  async getPod(name: string): Promise<PodState | undefined> {
    this.store.request('getPod');
    const pod = this.store.pods.get(name);
    return pod && { ...pod };
  }

  async get(): Promise<ForLifeLockState | undefined> {
    this.store.request('get');
    return this.store.lockState();
  }

  async create(owner: PodRef): Promise<ForLifeLockState> {
    this.store.request('create');
    if (this.store.lockState()) throw new ApiException(409, 'configmaps already exists', undefined, {});
    return this.store.put(owner);
  }

  async delete(pre: { uid: string; resourceVersion?: string }): Promise<void> {
    this.store.request('delete');
    const current = this.store.lockState();
    if (!current) throw new ApiException(404, 'configmaps not found', undefined, {});
    if (current.uid !== pre.uid || (pre.resourceVersion !== undefined && current.resourceVersion !== pre.resourceVersion)) {
      throw new ApiException(409, 'Precondition failed', undefined, {});
    }
    this.store.remove();
  }

  async watch(onChange: (lock: ForLifeLockState | undefined) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const unsubscribe = this.store.subscribe(onChange);
    onChange(this.store.lockState()); // like a fresh watch: the current object first
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    unsubscribe();
  }
}
