/** The owner of a for-life lock: the leader's own Pod. */
export interface PodRef {
  name: string;
  uid: string;
}

/** The lock ConfigMap as the elector needs it. */
export interface ForLifeLockState {
  uid: string;
  resourceVersion: string;
  ownerReferences: { apiVersion: string; kind: string; name: string; uid: string }[];
}

/** What a candidate needs to know about the Pod that owns the lock. */
export interface PodState {
  uid: string;
  /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase?: string;
  /** status.reason, e.g. 'Evicted'. */
  reason?: string;
}

/**
 * Boundary between the for-life elector and the API server. Errors carry the HTTP status (the transport's
 * ApiError `status`, or a numeric `code` as on client-node's ApiException): 404 not found, 409 already exists or precondition failed, 403 forbidden.
 * Pods are read in the lock's namespace: an ownerReference cannot point to another namespace.
 */
export interface ForLifeLock {
  readonly name: string;
  readonly namespace: string;
  getPod(name: string, signal: AbortSignal): Promise<PodState | undefined>;
  /** The lock, or undefined when it does not exist. */
  get(signal: AbortSignal): Promise<ForLifeLockState | undefined>;
  /** Creates the lock owned by `owner`; 409 when it exists. */
  create(owner: PodRef, signal: AbortSignal): Promise<ForLifeLockState>;
  /** Deletes the lock only if it still has this uid (and resourceVersion, when given); 409 otherwise, 404 when gone. */
  delete(preconditions: { uid: string; resourceVersion?: string }, signal: AbortSignal): Promise<void>;
  /** Optional: streams changes of the lock (undefined: deleted) until `signal` aborts or the stream ends. */
  watch?(onChange: (lock: ForLifeLockState | undefined) => void, signal: AbortSignal): Promise<void>;
}

/** The lock's single Pod owner, or undefined when the lock is not shaped like a for-life lock. */
export function podOwner(lock: ForLifeLockState): PodRef | undefined {
  const refs = lock.ownerReferences;
  if (refs.length !== 1 || refs[0]!.kind !== 'Pod' || refs[0]!.apiVersion !== 'v1') return undefined;
  return { name: refs[0]!.name, uid: refs[0]!.uid };
}
