import { isDeleting, storeWrite } from './commit.js';
import type { ControllerQueue } from './controller-queue.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type Deleter } from './deletes.js';
import type { StoredEvent } from './event-log.js';
import { ownerUids } from './object-store.js';
import type { Obj, ServedResource } from './registry.js';
import type { ApiState } from './state.js';

function hasFinalizer(object: Obj, finalizer: string): boolean {
  const finalizers = object.metadata?.finalizers;
  return Array.isArray(finalizers) && finalizers.includes(finalizer);
}

/** Deleting in the foreground: marked, and waiting for its blocking dependents to go. */
function deletingDependents(object: Obj): boolean {
  return isDeleting(object) && hasFinalizer(object, FOREGROUND_FINALIZER);
}

function ownerReferences(object: Obj): Obj[] {
  const refs = object.metadata?.ownerReferences;
  return Array.isArray(refs) ? refs.filter((r: unknown) => r !== null && typeof r === 'object') : [];
}

/**
 * The garbage collector of a real cluster, over the embedded store: a dependent goes once none of its
 * owners exists any more (an ownerReference to a uid that is not stored counts as gone); an owner
 * marked with `foregroundDeletion` has its dependents deleted and goes once no dependent that blocks it
 * (`blockOwnerDeletion: true`) is left; an owner marked with `orphan` has the references to it removed
 * from its dependents and then goes. It acts on stored events through the controllers' queue.
 */
export class GarbageCollector {
  constructor(
    private readonly state: ApiState,
    private readonly deleter: Deleter,
    private readonly queue: ControllerQueue,
  ) {}

  onEvent(event: StoredEvent): void {
    const object = event.object;
    const uid = object.metadata?.uid as string | undefined;
    if (typeof uid !== 'string') return;
    if (event.type === 'DELETED') {
      for (const dependentUid of this.state.store.dependentsOf(uid)) this.queue.add(`gc:attempt:${dependentUid}`, () => this.attemptToDelete(dependentUid));
      for (const ownerUid of ownerUids(event.previous ?? object)) this.queue.add(`gc:foreground:${ownerUid}`, () => this.processForeground(ownerUid));
      return;
    }
    if (deletingDependents(object)) this.queue.add(`gc:foreground:${uid}`, () => this.processForeground(uid));
    if (isDeleting(object) && hasFinalizer(object, ORPHAN_FINALIZER)) this.queue.add(`gc:orphan:${uid}`, () => this.processOrphan(uid));
    const refsChanged = event.type === 'ADDED' || JSON.stringify(ownerReferences(object)) !== JSON.stringify(ownerReferences(event.previous ?? {}));
    if (refsChanged && ownerReferences(object).length > 0) this.queue.add(`gc:attempt:${uid}`, () => this.attemptToDelete(uid));
    if (refsChanged) {
      // A dependent that stopped naming an owner may have been the last one that owner waited for.
      for (const ownerUid of ownerUids(event.previous ?? {})) this.queue.add(`gc:foreground:${ownerUid}`, () => this.processForeground(ownerUid));
    }
  }

  /** Decides about one dependent from the state of its owners. */
  private attemptToDelete(uid: string): void {
    const found = this.deleter.byUid(uid);
    if (!found) return;
    const { resource, object } = found;
    if (isDeleting(object) && !deletingDependents(object)) return;
    if (deletingDependents(object)) return this.processForeground(uid);
    const refs = ownerReferences(object);
    if (refs.length === 0) return;
    const solid: Obj[] = [];
    const gone: Obj[] = [];
    const waiting: Obj[] = [];
    for (const ref of refs) {
      const owner = this.ownerOf(object, ref);
      if (!owner) gone.push(ref);
      else if (deletingDependents(owner)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      // A living owner keeps the object; references to owners that are gone or going are dropped.
      if (gone.length + waiting.length > 0) this.dropReferences(resource, object, new Set([...gone, ...waiting].map((r) => r.uid)));
      return;
    }
    if (waiting.length > 0 && this.state.store.dependentsOf(uid).length > 0) {
      this.deleter.deleteObject(resource, object, 'Foreground');
      return;
    }
    const policy = hasFinalizer(object, ORPHAN_FINALIZER) ? 'Orphan' : hasFinalizer(object, FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
    this.deleter.deleteObject(resource, object, policy);
  }

  /** Foreground deletion: delete the dependents; release the owner when no blocking dependent is left. */
  private processForeground(uid: string): void {
    const found = this.deleter.byUid(uid);
    if (!found || !deletingDependents(found.object)) return;
    let blocking = 0;
    for (const dependent of this.deleter.dependentObjects(uid)) {
      const ref = ownerReferences(dependent.object).find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion === true) blocking++;
      if (!isDeleting(dependent.object)) this.queue.add(`gc:attempt:${dependent.object.metadata.uid}`, () => this.attemptToDelete(dependent.object.metadata.uid));
    }
    if (blocking === 0) this.deleter.releaseFinalizer(found.resource, found.object, FOREGROUND_FINALIZER);
  }

  /** Orphan deletion: the dependents lose their reference to the owner, then the owner goes. */
  private processOrphan(uid: string): void {
    const found = this.deleter.byUid(uid);
    if (!found || !isDeleting(found.object) || !hasFinalizer(found.object, ORPHAN_FINALIZER)) return;
    for (const { resource, object } of this.deleter.dependentObjects(uid)) this.dropReferences(resource, object, new Set([uid]));
    const fresh = this.deleter.refetch(found.resource, found.object);
    if (fresh) this.deleter.releaseFinalizer(found.resource, fresh, ORPHAN_FINALIZER);
  }

  /**
   * The owner a reference points at, if it exists: same uid, and for a namespaced dependent either a
   * cluster-scoped owner or one in the dependent's namespace (the collector looks nowhere else).
   */
  private ownerOf(dependent: Obj, ref: Obj): Obj | undefined {
    if (typeof ref.uid !== 'string') return undefined;
    const found = this.deleter.byUid(ref.uid);
    if (!found) return undefined;
    const ownerNamespace = found.object.metadata.namespace;
    if (ownerNamespace && ownerNamespace !== dependent.metadata.namespace) return undefined;
    return found.object;
  }

  private dropReferences(resource: ServedResource, object: Obj, uids: Set<string>): void {
    const next: Obj = structuredClone(object);
    next.metadata.ownerReferences = ownerReferences(next).filter((ref) => !uids.has(ref.uid));
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    storeWrite(this.state, resource, next, object);
  }
}
