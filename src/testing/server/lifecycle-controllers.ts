import { isDeleting, removalBlocked, storeRemove, storeWrite } from './commit.js';
import type { Deleter } from './deletes.js';
import type { StoredEvent } from './event-log.js';
import { ownerUids } from './object-store.js';
import type { Obj } from './registry.js';
import type { ApiState } from './state.js';

export const CRD_GROUP_RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * The controllers a real cluster runs next to the API server, reduced to what object semantics need:
 * garbage collection of dependents (background cascade), foreground deletion, namespace termination and
 * CRD cleanup. They run synchronously on every recorded event, so a test sees their effect at once.
 */
export class LifecycleControllers {
  private readonly unsubscribe: () => void;

  constructor(private readonly state: ApiState, private readonly deleter: Deleter) {
    this.unsubscribe = state.store.log.subscribeAll((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(event: StoredEvent): void {
    if (event.type === 'DELETED') {
      this.collectDependents(event.object);
      this.releaseForegroundOwners(event.previous ?? event.object);
      this.finishContainers(event);
    } else if (event.type === 'MODIFIED' && isDeleting(event.object) && !(event.previous && isDeleting(event.previous))) {
      if (event.groupResource === 'namespaces') this.drainNamespace(event.object.metadata.name);
      if (event.groupResource === CRD_GROUP_RESOURCE) this.drainCrd(event.object);
    }
  }

  /** Background cascade: a dependent goes once none of its owners exists any more. */
  private collectDependents(owner: Obj): void {
    for (const { resource, object } of this.deleter.dependentObjects(owner.metadata.uid)) {
      const fresh = this.deleter.refetch(resource, object);
      if (!fresh) continue;
      const ownerStillThere = ownerUids(fresh).some((uid) => uid !== owner.metadata.uid && this.state.store.locate(uid) !== undefined);
      if (!ownerStillThere) this.deleter.deleteObject(resource, fresh, 'Background');
    }
  }

  /** An owner deleted in the foreground goes once its last dependent is gone. */
  private releaseForegroundOwners(dependent: Obj): void {
    for (const uid of ownerUids(dependent)) {
      const at = this.state.store.locate(uid);
      const resource = at && this.state.registry.get(at.groupResource);
      const owner = at && this.state.store.get(at.groupResource, at.namespace || undefined, at.name);
      if (!resource || !owner || !isDeleting(owner)) continue;
      if (this.state.store.dependentsOf(uid).length === 0) this.deleter.releaseFinalizer(resource, owner, 'foregroundDeletion');
    }
  }

  private finishContainers(event: StoredEvent): void {
    const namespace = event.object.metadata.namespace;
    if (typeof namespace === 'string' && namespace !== '') this.finishNamespace(namespace);
    const resource = this.state.registry.get(event.groupResource);
    if (resource?.custom) this.finishCrd(event.groupResource);
  }

  private drainNamespace(name: string): void {
    for (const { groupResource, object } of this.state.store.objectsInNamespace(name)) {
      const resource = this.state.registry.get(groupResource);
      const fresh = resource && this.deleter.refetch(resource, object);
      if (resource && fresh) this.deleter.deleteObject(resource, fresh, 'Background');
    }
    this.finishNamespace(name);
  }

  /** The namespace controller's last step: clear spec.finalizers of an empty terminating namespace. */
  private finishNamespace(name: string): void {
    const namespace = this.state.store.get('namespaces', undefined, name);
    const resource = this.state.registry.get('namespaces');
    if (!namespace || !resource || !isDeleting(namespace)) return;
    if (this.state.store.objectsInNamespace(name).length > 0) return;
    let current = namespace;
    if (Array.isArray(namespace.spec?.finalizers) && namespace.spec.finalizers.length > 0) {
      const next: Obj = structuredClone(namespace);
      next.spec.finalizers = [];
      current = storeWrite(this.state, resource, next, namespace);
    }
    if (!removalBlocked(current)) storeRemove(this.state, resource, current);
  }

  private drainCrd(crd: Obj): void {
    const groupResource = crd.metadata.name as string;
    const resource = this.state.registry.get(groupResource);
    if (resource) {
      for (const object of this.state.store.list(groupResource)) {
        const fresh = this.deleter.refetch(resource, object);
        if (fresh) this.deleter.deleteObject(resource, fresh, 'Background');
      }
    }
    this.finishCrd(groupResource);
  }

  private finishCrd(groupResource: string): void {
    const crd = this.state.store.get(CRD_GROUP_RESOURCE, undefined, groupResource);
    const crdResource = this.state.registry.get(CRD_GROUP_RESOURCE);
    if (!crd || !crdResource || !isDeleting(crd) || this.state.store.count(groupResource) > 0) return;
    this.deleter.releaseFinalizer(crdResource, crd, CRD_CLEANUP_FINALIZER);
  }
}
