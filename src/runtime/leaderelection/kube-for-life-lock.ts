import { CoreV1Api, Watch, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { errorCode } from './lease-lock.js';
import type { ForLifeLock, ForLifeLockState, PodRef, PodState } from './for-life-lock.js';
import { watchNamed, withSignal } from './kube-request.js';

function lockState(cm: V1ConfigMap): ForLifeLockState {
  return {
    uid: cm.metadata?.uid ?? '',
    resourceVersion: cm.metadata?.resourceVersion ?? '',
    ownerReferences: (cm.metadata?.ownerReferences ?? []).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid })),
  };
}

/** The for-life lock: a ConfigMap whose only ownerReference is the leader's Pod, over client-node. */
export class KubeForLifeLock implements ForLifeLock {
  private readonly api: CoreV1Api;
  private readonly watcher: Watch;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
    this.watcher = new Watch(kubeConfig);
  }

  async getPod(name: string, signal: AbortSignal): Promise<PodState | undefined> {
    try {
      const pod = await this.api.readNamespacedPod({ name, namespace: this.namespace }, withSignal(signal));
      return { uid: pod.metadata?.uid ?? '', phase: pod.status?.phase, reason: pod.status?.reason };
    } catch (err) {
      if (errorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async get(signal: AbortSignal): Promise<ForLifeLockState | undefined> {
    try {
      return lockState(await this.api.readNamespacedConfigMap({ name: this.name, namespace: this.namespace }, withSignal(signal)));
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
    return lockState(await this.api.createNamespacedConfigMap({ namespace: this.namespace, body }, withSignal(signal)));
  }

  async delete(preconditions: { uid: string; resourceVersion?: string }, signal: AbortSignal): Promise<void> {
    await this.api.deleteNamespacedConfigMap({ name: this.name, namespace: this.namespace, body: { preconditions } }, withSignal(signal));
  }

  async watch(onChange: (lock: ForLifeLockState | undefined) => void, signal: AbortSignal): Promise<void> {
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/configmaps`;
    await watchNamed<V1ConfigMap>(this.watcher, path, this.name, (cm) => onChange(cm && lockState(cm)), signal);
  }
}
