/**
 * The Memcached controller: reconciles every Memcached towards its spec and reports what it saw in its status.
 * It runs only on the elected leader; `setupMemcachedController` is called from src/main.ts.
 */
import {
  ConfigMap,
  controllerManagedBy,
  createOrUpdate,
  ignoreNotFound,
  setControllerReference,
  setStatusCondition,
  type Manager,
  type RbacRule,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from 'operator-ts/runtime';
// Imported as a namespace, the way Go qualifies API packages: no kind name can clash with a runtime name.
import * as v1alpha1 from '../api/v1alpha1/memcached.types.js';

/**
 * What this controller may do in the cluster. `npm run manifests` merges the `rbac` of every controller
 * into config/rbac/role.yaml; add a rule here whenever the reconciler touches another kind.
 */
export const rbac: RbacRule[] = [
  { groups: ['cache.example.com'], resources: ['memcacheds'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { groups: ['cache.example.com'], resources: ['memcacheds/status'], verbs: ['get', 'update', 'patch'] },
  { groups: ['cache.example.com'], resources: ['memcacheds/finalizers'], verbs: ['update'] },
  { groups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { groups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** The condition type that tells users whether a Memcached is reconciled. */
export const READY = 'Ready';

/** The name of the ConfigMap a Memcached owns. */
export function configMapName(ownerName: string): string {
  return `${ownerName}-config`;
}

/**
 * Brings one Memcached to its desired state. Reconcile is level-based: it gets the current object and does
 * whatever is still missing, so running it again (after a restart, a retry or a burst of events) is safe.
 */
export class MemcachedReconciler implements Reconciler {
  async reconcile(request: Request, { client, log, recorder, clock }: ReconcileContext): Promise<Result> {
    // Reads come from the shared cache, as a copy. An absent object was deleted: nothing to do.
    const obj = await client.get(v1alpha1.MemcachedResource, request);
    if (obj === undefined || obj.metadata.deletionTimestamp !== undefined) return {};
    const generation = obj.metadata.generation ?? 0;
    const size = obj.spec?.size ?? 1;

    // The child this Memcached stands for: written only when it is missing or differs from the desired state.
    // The controller reference makes garbage collection delete it with the Memcached, and `.owns(ConfigMap)`
    // below brings a changed or deleted child back here. Replace it with what your operator manages.
    const child = { metadata: { name: configMapName(request.name), namespace: request.namespace } };
    const result = await createOrUpdate(client, ConfigMap, child, (cm) => {
      cm.data = { size: String(size) };
      setControllerReference(obj, cm);
    });
    if (result !== 'unchanged') log.info(`ConfigMap ${result}`, { name: child.metadata.name });

    // Report what was observed; write the status only when it changed, so the write's own watch event
    // does not start another reconcile that writes again.
    const status = (obj.status ??= {});
    const changed = setStatusCondition(
      status,
      { type: READY, status: 'True', reason: 'Reconciled', message: `Memcached with size ${size} is reconciled`, observedGeneration: generation },
      clock,
    );
    if (!changed && status.observedGeneration === generation) return {};
    status.observedGeneration = generation;
    // A conflict (someone changed the object meanwhile) is retried by the controller with a fresh copy; an
    // object deleted meanwhile needs no status.
    const written = await client.updateStatus(v1alpha1.MemcachedResource, obj).catch(ignoreNotFound);
    if (written === undefined) return {};
    recorder.event(obj, 'Normal', 'Reconciled', `Reconciled generation ${generation} (size ${size})`);
    log.info('reconciled Memcached', { generation, size });
    return {};
  }
}

/** Registers the Memcached controller with the manager: it reconciles on every change to a Memcached or its ConfigMap. */
export function setupMemcachedController(manager: Manager): void {
  controllerManagedBy(manager).for(v1alpha1.MemcachedResource).owns(ConfigMap).complete(new MemcachedReconciler());
}
