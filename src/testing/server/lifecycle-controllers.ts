import { isDeleting } from './commit.js';
import { ControllerQueue } from './controller-queue.js';
import type { Deleter } from './deletes.js';
import type { StoredEvent } from './event-log.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace-controller.js';
import type { ApiState } from './state.js';

export const CRD_GROUP_RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * The controllers a real cluster runs next to the API server, reduced to what object semantics need:
 * the garbage collector, the namespace controller and CRD cleanup. Like the real ones they act after
 * the request that triggered them has been answered (promptly, on a later turn of the event loop), so
 * tests wait for their effects instead of assuming them.
 */
export class LifecycleControllers {
  private readonly unsubscribe: () => void;
  private readonly queue = new ControllerQueue();
  private readonly garbageCollector: GarbageCollector;
  private readonly namespaces: NamespaceController;

  constructor(private readonly state: ApiState, private readonly deleter: Deleter) {
    this.garbageCollector = new GarbageCollector(state, deleter, this.queue);
    this.namespaces = new NamespaceController(state, deleter, this.queue);
    this.unsubscribe = state.store.log.subscribeAll((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onEvent(event: StoredEvent): void {
    this.garbageCollector.onEvent(event);
    this.namespaces.onEvent(event);
    if (event.groupResource === CRD_GROUP_RESOURCE && event.type !== 'DELETED' && isDeleting(event.object)) {
      const groupResource = event.object.metadata.name as string;
      this.queue.add(`crd:${groupResource}`, () => this.drainCrd(groupResource));
    } else if (event.type === 'DELETED' && this.state.registry.get(event.groupResource)?.custom) {
      const groupResource = event.groupResource;
      this.queue.add(`crd:${groupResource}`, () => this.drainCrd(groupResource));
    }
  }

  /** CRD cleanup: delete every custom object of a deleting CRD, then take its cleanup finalizer off. */
  private drainCrd(groupResource: string): void {
    const crd = this.state.store.get(CRD_GROUP_RESOURCE, undefined, groupResource);
    const crdResource = this.state.registry.get(CRD_GROUP_RESOURCE);
    if (!crd || !crdResource || !isDeleting(crd)) return;
    const resource = this.state.registry.get(groupResource);
    if (resource) {
      for (const object of this.state.store.list(groupResource)) {
        if (!isDeleting(object)) this.deleter.deleteObject(resource, object, 'Background');
      }
    }
    if (this.state.store.count(groupResource) > 0) return;
    this.deleter.releaseFinalizer(crdResource, crd, CRD_CLEANUP_FINALIZER);
  }
}
