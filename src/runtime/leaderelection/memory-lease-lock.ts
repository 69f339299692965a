// The exception module alone: importing the package root would load every generated model.
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import type { LeaderElectionRecord, LeaseLock, LeaseWatcher, ObservedLease } from './lease-lock.js';

/**
 * One Lease kept in memory, shared by several electors in unit tests. Behaves like the API server:
 * resourceVersion bumps on every write, stale updates get 409, and watchers see every change.
 * `failNext`/`partition` inject faults; `onRequest` lets a test hold a request in flight.
 */
export class MemoryLeaseStore {
  private current: ObservedLease | undefined;
  private version = 0;
  private readonly watchers = new Set<(lease: ObservedLease | undefined) => void>();
  /** Identities (lock owners) whose requests currently fail as if the network were cut. */
  readonly partitioned = new Set<string>();
  private failures: { code: number; remaining: number } | undefined;
  requests = 0;
  /** Every record written, in order; tests inspect the wire history. */
  readonly writes: LeaderElectionRecord[] = [];

  lease(): ObservedLease | undefined {
    return this.current && clone(this.current);
  }

  /** The next `count` requests from anyone fail with `code`. */
  failNext(code: number, count = 1): void {
    this.failures = { code, remaining: count };
  }

  /** Writes as another party would (e.g. a concurrent writer), bumping resourceVersion. */
  write(record: LeaderElectionRecord): ObservedLease {
    this.version++;
    this.current = { record: { ...record }, resourceVersion: String(this.version), uid: 'lease-uid' };
    this.writes.push({ ...record });
    const snapshot = clone(this.current);
    for (const w of this.watchers) w(clone(snapshot));
    return clone(snapshot);
  }

  delete(): void {
    this.current = undefined;
    for (const w of this.watchers) w(undefined);
  }

  lock(owner: string, name = 'test-lease', namespace = 'default'): LeaseLock & LeaseWatcher {
    return new MemoryLeaseLock(this, owner, name, namespace);
  }

  /** @internal */
  check(owner: string): void {
    this.requests++;
    if (this.partitioned.has(owner)) throw new ApiException(503, 'connection refused (partitioned in test)', undefined, {});
    if (this.failures && this.failures.remaining > 0) {
      this.failures.remaining--;
      throw new ApiException(this.failures.code, `injected failure ${this.failures.code}`, undefined, {});
    }
  }

  /** @internal */
  subscribe(fn: (lease: ObservedLease | undefined) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }
}

class MemoryLeaseLock implements LeaseLock, LeaseWatcher {
  constructor(
    private readonly store: MemoryLeaseStore,
    private readonly owner: string,
    readonly name: string,
    readonly namespace: string,
  ) {}

  async get(): Promise<ObservedLease | undefined> {
    this.store.check(this.owner);
    return this.store.lease();
  }

  async create(record: LeaderElectionRecord): Promise<ObservedLease> {
    this.store.check(this.owner);
    if (this.store.lease()) throw new ApiException(409, 'leases already exists', undefined, {});
    return this.store.write(record);
  }

  async update(record: LeaderElectionRecord, resourceVersion: string): Promise<ObservedLease> {
    this.store.check(this.owner);
    const current = this.store.lease();
    if (!current) throw new ApiException(404, 'lease not found', undefined, {});
    if (current.resourceVersion !== resourceVersion) throw new ApiException(409, 'the object has been modified', undefined, {});
    return this.store.write(record);
  }

  async watch(onChange: (lease: ObservedLease | undefined) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const unsubscribe = this.store.subscribe((lease) => {
      if (!this.store.partitioned.has(this.owner)) onChange(lease);
    });
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    unsubscribe();
  }
}

function clone(lease: ObservedLease): ObservedLease {
  return { ...lease, record: { ...lease.record } };
}
