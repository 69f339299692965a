import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { OperatorTsError, ValidationError } from '../../errors.js';
import type { Request } from '../types.js';

/** The child already has a controller owner other than the one being set. */
export class AlreadyOwnedError extends OperatorTsError {
  readonly existing: V1OwnerReference;
  constructor(child: KubernetesObject, existing: V1OwnerReference) {
    super('EALREADYOWNED', `${child.kind ?? 'object'} "${child.metadata?.name}" is already controlled by ${existing.kind} "${existing.name}"`, {
      hint: 'an object has at most one controller owner; use setOwnerReference for a non-controlling owner, or remove the other reference first',
    });
    this.existing = existing;
  }
}

/** The group part of an apiVersion ('' for core 'v1'). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function referenceTo(owner: KubernetesObject, what: string): V1OwnerReference {
  const m = owner.metadata;
  const missing = [!owner.apiVersion && 'apiVersion', !owner.kind && 'kind', !m?.name && 'metadata.name', !m?.uid && 'metadata.uid'].filter(Boolean);
  if (missing.length > 0) {
    throw new ValidationError(`cannot ${what}: the owner lacks ${missing.join(', ')}`, {
      hint: 'pass the owner as read from the API server (it carries apiVersion, kind, name and uid)',
    });
  }
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: m!.name!, uid: m!.uid! };
}

function checkScope(owner: KubernetesObject, child: KubernetesObject, what: string): void {
  const ownerNs = owner.metadata?.namespace ?? '';
  const childNs = child.metadata?.namespace ?? '';
  if (ownerNs !== '' && ownerNs !== childNs) {
    throw new ValidationError(`cannot ${what}: owner "${owner.metadata?.name}" is in namespace "${ownerNs}" but the child is in "${childNs || '(cluster scope)'}"`, {
      hint: 'a namespaced owner can own only objects in its own namespace; cluster-scoped owners can own anything',
    });
  }
}

function sameOwner(a: V1OwnerReference, b: V1OwnerReference): boolean {
  return groupOfApiVersion(a.apiVersion) === groupOfApiVersion(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function upsert(child: KubernetesObject, ref: V1OwnerReference): void {
  child.metadata ??= {};
  const refs = child.metadata.ownerReferences ?? [];
  const i = refs.findIndex((r) => sameOwner(r, ref));
  child.metadata.ownerReferences = i >= 0 ? refs.map((r, j) => (j === i ? ref : r)) : [...refs, ref];
}

/**
 * Makes `owner` the controller of `child` (in place): garbage collection deletes the child with
 * its owner, and `owns()` watches map the child's events to the owner.
 */
export function setControllerReference(owner: KubernetesObject, child: KubernetesObject, opts: { blockOwnerDeletion?: boolean } = {}): void {
  const what = 'set the controller reference';
  const ref = { ...referenceTo(owner, what), controller: true, blockOwnerDeletion: opts.blockOwnerDeletion ?? true };
  checkScope(owner, child, what);
  const existing = child.metadata?.ownerReferences?.find((r) => r.controller);
  if (existing && !sameOwner(existing, ref)) throw new AlreadyOwnedError(child, existing);
  upsert(child, ref);
}

/** Adds `owner` as a non-controlling owner of `child` (in place). */
export function setOwnerReference(owner: KubernetesObject, child: KubernetesObject): void {
  const what = 'set the owner reference';
  const ref = referenceTo(owner, what);
  checkScope(owner, child, what);
  const existing = child.metadata?.ownerReferences?.find((r) => sameOwner(r, ref));
  upsert(child, { ...ref, ...(existing?.controller ? { controller: true } : {}), ...(existing?.blockOwnerDeletion !== undefined ? { blockOwnerDeletion: existing.blockOwnerDeletion } : {}) });
}

/** The controller owner of `obj` if it is of the given group and kind. */
export function controllerOwnerOf(obj: KubernetesObject, owner: { group: string; kind: string }): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true && r.kind === owner.kind && groupOfApiVersion(r.apiVersion) === owner.group);
}

/** The request for the controller owner of `obj`, if it is of the given type. */
export function requestForOwner(obj: KubernetesObject, owner: { group: string; kind: string; namespaced: boolean }): Request[] {
  const ref = controllerOwnerOf(obj, owner);
  if (!ref) return [];
  return [{ namespace: owner.namespaced ? obj.metadata?.namespace ?? '' : '', name: ref.name }];
}
