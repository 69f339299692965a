import type { KubernetesObject } from '@kubernetes/client-node';

/** True when the object lists `finalizer`. */
export function hasFinalizer(obj: KubernetesObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** Adds `finalizer` to the object (in place); true when it was not there yet. */
export function addFinalizer(obj: KubernetesObject, finalizer: string): boolean {
  if (hasFinalizer(obj, finalizer)) return false;
  obj.metadata ??= {};
  obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), finalizer];
  return true;
}

/** Removes every occurrence of `finalizer` (in place); true when something was removed. */
export function removeFinalizer(obj: KubernetesObject, finalizer: string): boolean {
  const list = obj.metadata?.finalizers;
  if (!list || !list.includes(finalizer)) return false;
  obj.metadata!.finalizers = list.filter((f) => f !== finalizer);
  return true;
}
