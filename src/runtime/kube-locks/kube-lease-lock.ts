import type { V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { Lease } from '../builtin-resources.js';
import type { RestTransport } from '../client/rest-transport.js';
import { collectionPath, objectPath } from '../resource.js';
import type { LeaderElectionRecord, LeaseLock, LeaseWatcher, ObservedLease } from '../leaderelection/lease-lock.js';
import { errorCode } from '../leaderelection/lease-lock.js';
import { formatMicroTime, parseMicroTime } from '../leaderelection/microtime.js';
import { watchNamed } from './watch-named.js';

/** MicroTime arrives as a string; a Date (client-node's type for it) is accepted too. */
function microTimeOut(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return formatMicroTime(value.getTime());
  if (typeof value === 'string') return value;
  const ms = parseMicroTime(value);
  return ms === undefined ? undefined : formatMicroTime(ms);
}

/** Sent as the string it is, so six fractional digits reach the wire. */
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

/** The Lease lock over the runtime's REST transport, plus a reconnecting-free single watch. */
export class KubeLeaseLock implements LeaseLock, LeaseWatcher {
  /** Last Lease read or written, so an update keeps labels, annotations and unknown spec fields. */
  private last: V1Lease | undefined;

  constructor(
    private readonly transport: RestTransport,
    readonly namespace: string,
    readonly name: string,
  ) {}

  async get(signal: AbortSignal): Promise<ObservedLease | undefined> {
    try {
      const lease = await this.transport.json<V1Lease>({ method: 'GET', path: objectPath(Lease, this.namespace, this.name), signal });
      this.last = lease;
      return leaseToObserved(lease);
    } catch (err) {
      if (errorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async create(record: LeaderElectionRecord, signal: AbortSignal): Promise<ObservedLease> {
    const body = this.body(record, undefined);
    const lease = await this.transport.json<V1Lease>({ method: 'POST', path: collectionPath(Lease, this.namespace), body, signal });
    this.last = lease;
    return leaseToObserved(lease);
  }

  async update(record: LeaderElectionRecord, resourceVersion: string, signal: AbortSignal): Promise<ObservedLease> {
    const body = this.body(record, resourceVersion);
    const lease = await this.transport.json<V1Lease>({ method: 'PUT', path: objectPath(Lease, this.namespace, this.name), body, signal });
    this.last = lease;
    return leaseToObserved(lease);
  }

  /**
   * Streams changes of this one Lease until `signal` aborts or the stream ends (the elector reopens
   * it). Watching without a resourceVersion first delivers the current object, so nothing is missed
   * between two streams.
   */
  async watch(onChange: (lease: ObservedLease | undefined) => void, signal: AbortSignal): Promise<void> {
    await watchNamed(this.transport, Lease, this.namespace, this.name, (lease) => onChange(lease && leaseToObserved(lease)), signal);
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
