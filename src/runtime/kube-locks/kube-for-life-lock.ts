import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { ConfigMap, Pod } from '../builtin-resources.js';
import type { RestTransport } from '../client/rest-transport.js';
import { collectionPath, objectPath } from '../resource.js';
import { errorCode } from '../leaderelection/lease-lock.js';
import type { ForLifeLock, ForLifeLockState, PodRef, PodState } from '../leaderelection/for-life-lock.js';
import { watchNamed } from './watch-named.js';

function lockState(cm: V1ConfigMap): ForLifeLockState {
  return {
    uid: cm.metadata?.uid ?? '',
    resourceVersion: cm.metadata?.resourceVersion ?? '',
    ownerReferences: (cm.metadata?.ownerReferences ?? []).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid })),
  };
}

/** The for-life lock: a ConfigMap whose only ownerReference is the leader's Pod, over the runtime's REST transport. */
export class KubeForLifeLock implements ForLifeLock {
  constructor(
    private readonly transport: RestTransport,
    readonly namespace: string,
    readonly name: string,
  ) {}

  async getPod(name: string, signal: AbortSignal): Promise<PodState | undefined> {
    try {
      const pod = await this.transport.json<V1Pod>({ method: 'GET', path: objectPath(Pod, this.namespace, name), signal });
      return { uid: pod.metadata?.uid ?? '', phase: pod.status?.phase, reason: pod.status?.reason };
    } catch (err) {
      if (errorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async get(signal: AbortSignal): Promise<ForLifeLockState | undefined> {
    try {
      return lockState(await this.transport.json<V1ConfigMap>({ method: 'GET', path: objectPath(ConfigMap, this.namespace, this.name), signal }));
    } catch (err) {
      if (errorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async create(owner: PodRef, signal: AbortSignal): Promise<ForLifeLockState> {
    // operator-lib's owner reference: no controller or blockOwnerDeletion, so deleting the Pod is never held up.
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: owner.name, uid: owner.uid }] },
    };
    return lockState(await this.transport.json<V1ConfigMap>({ method: 'POST', path: collectionPath(ConfigMap, this.namespace), body, signal }));
  }

  async delete(preconditions: { uid: string; resourceVersion?: string }, signal: AbortSignal): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions };
    await this.transport.json({ method: 'DELETE', path: objectPath(ConfigMap, this.namespace, this.name), body, signal });
  }

  async watch(onChange: (lock: ForLifeLockState | undefined) => void, signal: AbortSignal): Promise<void> {
    await watchNamed(this.transport, ConfigMap, this.namespace, this.name, (cm) => onChange(cm && lockState(cm)), signal);
  }
}
