/**
 * The StaticSite controller: reconciles every StaticSite towards its spec and reports what it saw in its status.
 * It runs only on the elected leader; `setupStaticSiteController` is called from src/main.ts.
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
import * as v1 from '../api/v1/staticsite.types.js';

/**
 * What this controller may do in the cluster. `npm run manifests` merges the `rbac` of every controller
 * into config/rbac/role.yaml; add a rule here whenever the reconciler touches another kind.
 */
export const rbac: RbacRule[] = [
  { groups: ['web.example.com'], resources: ['staticsites'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { groups: ['web.example.com'], resources: ['staticsites/status'], verbs: ['get', 'update', 'patch'] },
  { groups: ['web.example.com'], resources: ['staticsites/finalizers'], verbs: ['update'] },
  { groups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { groups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** The condition type that tells users whether a StaticSite is reconciled. */
export const READY = 'Ready';

/** The name of the ConfigMap a StaticSite owns. */
export function configMapName(ownerName: string): string {
  return `${ownerName}-config`;
}

/**
 * Brings one StaticSite to its desired state. Reconcile is level-based: it gets the current object and does
 * whatever is still missing, so running it again (after a restart, a retry or a burst of events) is safe.
 */
export class StaticSiteReconciler implements Reconciler {
  async reconcile(request: Request, { client, log, recorder, clock }: ReconcileContext): Promise<Result> {
    // Reads come from the shared cache, as a copy. An absent object was deleted: nothing to do.
    const obj = await client.get(v1.StaticSiteResource, request);
    if (obj === undefined || obj.metadata.deletionTimestamp !== undefined) return {};
    const generation = obj.metadata.generation ?? 0;
    const size = obj.spec?.size ?? 1;

    // The child this StaticSite stands for: written only when it is missing or differs from the desired state.
    // The controller reference makes garbage collection delete it with the StaticSite, and `.owns(ConfigMap)`
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
      { type: READY, status: 'True', reason: 'Reconciled', message: `StaticSite with size ${size} is reconciled`, observedGeneration: generation },
      clock,
    );
    if (!changed && status.observedGeneration === generation) return {};
    status.observedGeneration = generation;
    // A conflict (someone changed the object meanwhile) is retried by the controller with a fresh copy; an
    // object deleted meanwhile needs no status.
    const written = await client.updateStatus(v1.StaticSiteResource, obj).catch(ignoreNotFound);
    if (written === undefined) return {};
    recorder.event(obj, 'Normal', 'Reconciled', `Reconciled generation ${generation} (size ${size})`);
    log.info('reconciled StaticSite', { generation, size });
    return {};
  }
}

/** Registers the StaticSite controller with the manager: it reconciles on every change to a StaticSite or its ConfigMap. */
export function setupStaticSiteController(manager: Manager): void {
  controllerManagedBy(manager).for(v1.StaticSiteResource).owns(ConfigMap).complete(new StaticSiteReconciler());
}
