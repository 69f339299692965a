import { groupResourceOf, type Obj, type ServedResource } from './registry.js';
import type { ApiState } from './state.js';
import { compactStored } from './stored-json.js';

/**
 * The two primitive writes every handler ends in: store a new state of an object under a fresh
 * resourceVersion, or remove it (its final state carries the deletion's resourceVersion).
 * storeWrite stores a compact copy of `candidate` (its JSON form) and returns that copy: callers use
 * the returned object, never `candidate`, as the stored state.
 */
export function storeWrite(state: ApiState, resource: ServedResource, candidate: Obj, current: Obj | undefined): Obj {
  candidate.metadata.resourceVersion = String(state.store.nextRevision());
  const stored = compactStored(candidate);
  state.store.put(groupResourceOf(resource), stored, current);
  return stored;
}

export function storeRemove(state: ApiState, resource: ServedResource, current: Obj): Obj {
  const finalState = { ...current, metadata: { ...current.metadata, resourceVersion: String(state.store.nextRevision()) } };
  state.store.remove(groupResourceOf(resource), finalState, current);
  return finalState;
}

export function hasFinalizers(object: Obj): boolean {
  const finalizers = object.metadata?.finalizers;
  return Array.isArray(finalizers) && finalizers.length > 0;
}

export function isDeleting(object: Obj): boolean {
  return typeof object.metadata?.deletionTimestamp === 'string';
}

/**
 * Whether something still has to happen before a deleting object may go: metadata finalizers, or for a
 * namespace its spec.finalizers (the built-in namespace controller clears those once it is empty).
 */
export function removalBlocked(object: Obj): boolean {
  if (hasFinalizers(object)) return true;
  if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
    const specFinalizers = object.spec?.finalizers;
    return Array.isArray(specFinalizers) && specFinalizers.length > 0;
  }
  return false;
}
