import type { KubeConfigLike } from '../kubeconfig/kubeconfig-like.js';
import { RestTransport } from '../client/rest-transport.js';
import type { ApiServerLocks } from '../leaderelection/create-elector.js';
import { KubeForLifeLock } from './kube-for-life-lock.js';
import { KubeLeaseLock } from './kube-lease-lock.js';

/** The locks on the API server, over one REST transport of their own (as client-go gives leader election its own client). */
export function apiServerLocks(kubeConfig: KubeConfigLike): ApiServerLocks {
  let transport: RestTransport | undefined;
  const shared = () => (transport ??= new RestTransport(kubeConfig));
  return {
    lease: (namespace, name) => new KubeLeaseLock(shared(), namespace, name),
    forLife: (namespace, name) => new KubeForLifeLock(shared(), namespace, name),
  };
}
