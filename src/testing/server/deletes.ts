import { isDeleting, removalBlocked, storeRemove, storeWrite } from './commit.js';
import { timestamp } from './object-meta.js';
import { groupResourceOf, type Obj, type ServedResource } from './registry.js';
import { scopeTarget, type ApiState, type Scope } from './state.js';
import { errors } from './status.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  dryRun: boolean;
  /** Undefined: the client chose none, so finalizers already on the object decide (else Background). */
  propagationPolicy?: PropagationPolicy;
  /** The deprecated orphanDependents as sent; `false` changes the answer to 202 while the object stays. */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Namespaces the real server refuses to delete (its NamespaceLifecycle admission). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** What a DELETE did: the object as it now is, and whether it is gone from storage. */
export interface DeleteResult {
  object: Obj;
  removed: boolean;
}

/**
 * The object's finalizers after a delete with `policy`, as the real server sets them: the policy puts
 * `orphan` or `foregroundDeletion` on the object (whether or not it has dependents; the garbage collector
 * takes them off), and without a policy a finalizer already there is kept.
 */
export function finalizersFor(current: Obj, policy: PropagationPolicy | undefined): string[] {
  const existing: string[] = Array.isArray(current.metadata.finalizers) ? current.metadata.finalizers : [];
  if (policy === undefined) return [...existing];
  const next = existing.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (policy === 'Orphan') next.push(ORPHAN_FINALIZER);
  if (policy === 'Foreground') next.push(FOREGROUND_FINALIZER);
  return next;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * DELETE semantics: preconditions, finalizers (mark with deletionTimestamp, remove when the last one
 * goes) and the finalizers of the three propagation policies. Removing dependents, orphaning them and
 * emptying namespaces is the controllers' work, which they do after the request has been answered.
 */
export class Deleter {
  constructor(private readonly state: ApiState) {}

  delete(scope: Scope, name: string, opts: DeleteOptions): DeleteResult {
    const current = this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name);
    if (!current) throw errors.notFound(scopeTarget(scope, name));
    const pre = opts.preconditions;
    // The real server's messages add storage details (keys, error codes) after these words.
    if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw errors.conflict(scopeTarget(scope, name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, name), `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    if (groupResourceOf(scope.resource) === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
      throw errors.forbidden(scopeTarget(scope, name), 'this namespace may not be deleted');
    }
    return this.deleteObject(scope.resource, current, opts.propagationPolicy, opts.dryRun);
  }

  /** Deletes or marks one stored object; the answer to DELETE is built from the result. */
  deleteObject(resource: ServedResource, current: Obj, policy: PropagationPolicy | undefined, dryRun = false): DeleteResult {
    const finalizers = finalizersFor(current, policy);
    const existing: string[] = Array.isArray(current.metadata.finalizers) ? current.metadata.finalizers : [];
    const isNamespace = groupResourceOf(resource) === 'namespaces';
    if (isDeleting(current)) {
      // A second DELETE only changes which propagation finalizer the object carries; a terminating
      // namespace whose spec.finalizers are done goes now.
      if (sameSet(finalizers, existing)) {
        if (isNamespace && !removalBlocked(current) && !dryRun) return { object: storeRemove(this.state, resource, current), removed: true };
        return { object: current, removed: false };
      }
      const next: Obj = structuredClone(current);
      this.setFinalizers(next, finalizers);
      return this.commit(resource, next, current, dryRun);
    }
    const marked: Obj = structuredClone(current);
    this.setFinalizers(marked, finalizers);
    // Marking bumps generation like the real server, so controllers watching generation see the change.
    if (typeof marked.metadata.generation === 'number' && marked.metadata.generation > 0) marked.metadata.generation += 1;
    marked.metadata.deletionTimestamp = timestamp();
    marked.metadata.deletionGracePeriodSeconds = 0;
    if (isNamespace) {
      // A namespace always passes through Terminating: the namespace controller empties it first.
      marked.status = { ...marked.status, phase: 'Terminating' };
      if (dryRun) return { object: marked, removed: false };
      return { object: storeWrite(this.state, resource, marked, current), removed: false };
    }
    if (!removalBlocked(marked)) {
      if (dryRun) return { object: marked, removed: true };
      return { object: storeRemove(this.state, resource, current), removed: true };
    }
    return this.commit(resource, marked, current, dryRun);
  }

  /** Drops `finalizer` from a deleting object and removes the object when nothing else holds it. */
  releaseFinalizer(resource: ServedResource, object: Obj, finalizer: string): void {
    const finalizers: string[] = object.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    const next: Obj = structuredClone(object);
    this.setFinalizers(next, finalizers.filter((f) => f !== finalizer));
    const written = storeWrite(this.state, resource, next, object);
    if (isDeleting(written) && !removalBlocked(written)) storeRemove(this.state, resource, written);
  }

  /** Live objects whose ownerReferences name `ownerUid`, with their resources. */
  dependentObjects(ownerUid: string): Array<{ resource: ServedResource; object: Obj }> {
    const out: Array<{ resource: ServedResource; object: Obj }> = [];
    for (const depUid of this.state.store.dependentsOf(ownerUid)) {
      const found = this.byUid(depUid);
      if (found) out.push(found);
    }
    return out;
  }

  /** The stored object with this uid and its resource, if it is still there. */
  byUid(uid: string): { resource: ServedResource; object: Obj } | undefined {
    const at = this.state.store.locate(uid);
    const resource = at && this.state.registry.get(at.groupResource);
    const object = at && this.state.store.get(at.groupResource, at.namespace || undefined, at.name);
    return resource && object ? { resource, object } : undefined;
  }

  /** The stored state of `object` if it is still there (same uid), else undefined. */
  refetch(resource: ServedResource, object: Obj): Obj | undefined {
    const found = this.state.store.get(groupResourceOf(resource), object.metadata.namespace, object.metadata.name);
    return found && found.metadata.uid === object.metadata.uid ? found : undefined;
  }

  private setFinalizers(object: Obj, finalizers: string[]): void {
    if (finalizers.length > 0) object.metadata.finalizers = finalizers;
    else delete object.metadata.finalizers;
  }

  private commit(resource: ServedResource, next: Obj, current: Obj, dryRun: boolean): DeleteResult {
    if (dryRun) return { object: next, removed: false };
    if (isDeleting(next) && !removalBlocked(next)) return { object: storeRemove(this.state, resource, current), removed: true };
    return { object: storeWrite(this.state, resource, next, current), removed: false };
  }
}
