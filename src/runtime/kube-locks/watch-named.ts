import type { KubernetesObject } from '@kubernetes/client-node';
import type { RestTransport } from '../client/rest-transport.js';
import { RestListerWatcher } from '../informer/list-watch.js';
import type { ResourceType } from '../resource.js';

/**
 * Streams changes of the one object `name` of `rt` in `namespace` until `signal` aborts or the
 * stream ends (the caller reopens it). Watching without a resourceVersion first delivers the current
 * object, so nothing is missed between two streams; `onChange(undefined)` means it was deleted.
 */
export async function watchNamed<T extends KubernetesObject>(
  transport: RestTransport,
  rt: ResourceType<T>,
  namespace: string,
  name: string,
  onChange: (obj: T | undefined) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const watcher = new RestListerWatcher<T>(transport, rt, { namespace, fieldSelector: `metadata.name=${name}` });
  await watcher.watch({ resourceVersion: '', timeoutSeconds: 300, signal }, (event) => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
    if (event.object?.metadata?.name !== name) return;
    if (event.type === 'DELETED') onChange(undefined);
    else onChange(event.object);
  });
}
