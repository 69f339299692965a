/** What the elector reads and writes on the Lease: client-go's LeaderElectionRecord. */
export interface LeaderElectionRecord {
  /** '' when nobody holds the lease (released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** MicroTime strings, six fractional digits. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** A record as seen on the server, with what optimistic concurrency and events need. */
export interface ObservedLease {
  record: LeaderElectionRecord;
  resourceVersion: string;
  uid?: string;
}

/**
 * Boundary between the elector and the API server. Errors are the transport's ApiError (`status`) or,
 * like client-node's ApiException, an object with a numeric `code` (404 not found, 409 conflict/already exists).
 */
export interface LeaseLock {
  readonly name: string;
  readonly namespace: string;
  /** The Lease, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<ObservedLease | undefined>;
  create(record: LeaderElectionRecord, signal: AbortSignal): Promise<ObservedLease>;
  /** Replaces the record; 409 when `resourceVersion` is stale. */
  update(record: LeaderElectionRecord, resourceVersion: string, signal: AbortSignal): Promise<ObservedLease>;
}

/** Optional: a lock whose Lease can be watched. `onChange(undefined)` means the Lease was deleted. */
export interface LeaseWatcher {
  watch(onChange: (lease: ObservedLease | undefined) => void, signal: AbortSignal): Promise<void>;
}

export function isLeaseWatcher(lock: LeaseLock): lock is LeaseLock & LeaseWatcher {
  return typeof (lock as Partial<LeaseWatcher>).watch === 'function';
}

export function errorCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown } | null;
  if (typeof e?.code === 'number') return e.code;
  // The transport's ApiError: `code` is its string error code, `status` the HTTP status.
  return typeof e?.status === 'number' ? e.status : undefined;
}

/** Records compare by content, like client-go compares the raw record, to tell a real change from a resync. */
export function sameRecord(a: LeaderElectionRecord | undefined, b: LeaderElectionRecord | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}
