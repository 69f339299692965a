import { CoordinationV1Api, Watch, type KubeConfig, type V1Lease, type V1MicroTime } from '@kubernetes/client-node';
import { watchNamed, withSignal } from './kube-request.js';
import type { LeaderElectionRecord, LeaseLock, LeaseWatcher, ObservedLease } from './lease-lock.js';
import { errorCode } from './lease-lock.js';
import { formatMicroTime, parseMicroTime } from './microtime.js';

/** client-node hands MicroTime back as a string at run time, though typed as a Date; accept both. */
function microTimeOut(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return formatMicroTime(value.getTime());
  if (typeof value === 'string') return value;
  const ms = parseMicroTime(value);
  return ms === undefined ? undefined : formatMicroTime(ms);
}

/** Strings pass through client-node's serializer untouched, so six fractional digits reach the wire. */
function microTimeIn(value: string | undefined): V1MicroTime | undefined {
  return value as unknown as V1MicroTime | undefined;
}

export function leaseToObserved(lease: V1Lease): ObservedLease {
  const spec = lease.spec ?? {};
  return {
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: microTimeOut(spec.acquireTime),
      renewTime: microTimeOut(spec.renewTime),
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    uid: lease.metadata?.uid,
  };
}

/** The Lease lock over client-node's CoordinationV1Api, plus a reconnecting-free single watch. */
export class KubeLeaseLock implements LeaseLock, LeaseWatcher {
  private readonly api: CoordinationV1Api;
  private readonly watcher: Watch;
  /** Last Lease read or written, so an update keeps labels, annotations and unknown spec fields. */
  private last: V1Lease | undefined;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.watcher = new Watch(kubeConfig);
  }

  async get(signal: AbortSignal): Promise<ObservedLease | undefined> {
    try {
      const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace }, withSignal(signal));
      this.last = lease;
      return leaseToObserved(lease);
    } catch (err) {
      if (errorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async create(record: LeaderElectionRecord, signal: AbortSignal): Promise<ObservedLease> {
    const body = this.body(record, undefined);
    const lease = await this.api.createNamespacedLease({ namespace: this.namespace, body }, withSignal(signal));
    this.last = lease;
    return leaseToObserved(lease);
  }

  async update(record: LeaderElectionRecord, resourceVersion: string, signal: AbortSignal): Promise<ObservedLease> {
    const body = this.body(record, resourceVersion);
    const lease = await this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body }, withSignal(signal));
    this.last = lease;
    return leaseToObserved(lease);
  }

  /**
   * Streams changes of this one Lease until `signal` aborts or the stream ends (the elector reopens
   * it). Watching without a resourceVersion first delivers the current object, so nothing is missed
   * between two streams.
   */
  async watch(onChange: (lease: ObservedLease | undefined) => void, signal: AbortSignal): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/leases`;
    await watchNamed<V1Lease>(this.watcher, path, this.name, (lease) => onChange(lease && leaseToObserved(lease)), signal);
  }

  private body(record: LeaderElectionRecord, resourceVersion: string | undefined): V1Lease {
    const keep = resourceVersion !== undefined && this.last?.metadata?.resourceVersion === resourceVersion ? this.last : undefined;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(keep?.metadata ?? {}), name: this.name, namespace: this.namespace, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: {
        ...(keep?.spec ?? {}),
        holderIdentity: record.holderIdentity,
        leaseDurationSeconds: record.leaseDurationSeconds,
        acquireTime: microTimeIn(record.acquireTime),
        renewTime: microTimeIn(record.renewTime),
        leaseTransitions: record.leaseTransitions,
      },
    };
  }
}
