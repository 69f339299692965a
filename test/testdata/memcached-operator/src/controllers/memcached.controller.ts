/**
 * The Memcached controller: reconciles every Memcached towards its spec and reports what it saw in its status.
 * It runs only on the elected leader; `setupMemcachedController` is called from src/main.ts.
 */
import {
  controllerManagedBy,
  findStatusCondition,
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
  { groups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** The condition type that tells users whether a Memcached is reconciled. */
export const READY = 'Ready';

/**
 * Brings one Memcached to its desired state. Reconcile is level-based: it gets the current object and does
 * whatever is still missing, so running it again (after a restart, a retry or a burst of events) is safe.
 */
export class MemcachedReconciler implements Reconciler {
  async reconcile(request: Request, { client, log, recorder, clock }: ReconcileContext): Promise<Result> {
    // Reads come from the shared cache. An absent object was deleted: nothing to do.
    const cached = await client.get(v1alpha1.MemcachedResource, request.namespace, request.name);
    if (cached === undefined) {
      log.debug('Memcached not found; it was deleted');
      return {};
    }
    if (cached.metadata.deletionTimestamp !== undefined) return {};

    // Objects from the cache are shared: work on a copy.
    const obj: v1alpha1.Memcached = structuredClone(cached);
    const generation = obj.metadata.generation ?? 0;

    // ---- Your logic goes here. ----
    // Create or update what this Memcached stands for, e.g. a Deployment with `spec.size` replicas:
    //   const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { ... } };
    //   setControllerReference(obj, deployment);            // deleted together with the Memcached
    //   await client.apply(Deployment, deployment, { force: true });   // server-side apply; idempotent
    // then add `.owns(Deployment)` in setupMemcachedController (so changes to it trigger a reconcile) and
    // the Deployment's rule to `rbac` above. Throw (or return { requeueAfter: ms }) to be retried with backoff;
    // throw a TerminalError for problems a retry cannot fix.
    const size = obj.spec?.size ?? 1;

    // Report what was observed. Skip the write when nothing changed, so the status update's own watch
    // event does not start an endless loop.
    const ready = findStatusCondition(obj.status?.conditions, READY);
    if (obj.status?.observedGeneration === generation && ready?.status === 'True' && ready.observedGeneration === generation) {
      return {};
    }
    obj.status = {
      ...obj.status,
      observedGeneration: generation,
      conditions: setStatusCondition(
        obj.status?.conditions,
        { type: READY, status: 'True', reason: 'Reconciled', message: `Memcached with size ${size} is reconciled`, observedGeneration: generation },
        clock,
      ),
    };
    // A conflict (someone changed the object meanwhile) is retried by the controller with a fresh copy.
    await client.updateStatus(v1alpha1.MemcachedResource, obj);
    recorder.event(obj, 'Normal', 'Reconciled', `Reconciled generation ${generation} (size ${size})`);
    log.info('reconciled Memcached', { generation, size });
    return {};
  }
}

/** Registers the Memcached controller with the manager: it reconciles on every change to a Memcached. */
export function setupMemcachedController(manager: Manager): void {
  controllerManagedBy(manager).for(v1alpha1.MemcachedResource).complete(new MemcachedReconciler());
}
