import { isDeleting, removalBlocked, storeRemove, storeWrite } from './commit.js';
import { timestamp } from './object-meta.js';
import { groupResourceOf, type Obj, type ServedResource } from './registry.js';
import { scopeTarget, type ApiState, type Scope } from './state.js';
import { errors } from './status.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  dryRun: boolean;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export function parsePropagationPolicy(value: unknown): PropagationPolicy | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'Orphan' || value === 'Background' || value === 'Foreground') return value;
  throw errors.badRequest(`propagationPolicy ${JSON.stringify(value)} is not supported: use Orphan, Background or Foreground`);
}

/**
 * DELETE semantics: preconditions, finalizers (mark with deletionTimestamp, remove when the last one
 * goes), and the three propagation policies. Removal of dependents and namespace contents happens in
 * LifecycleControllers, which react to the events these writes record.
 */
export class Deleter {
  constructor(private readonly state: ApiState) {}

  delete(scope: Scope, name: string, opts: DeleteOptions): Obj {
    const current = this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name);
    if (!current) throw errors.notFound(scopeTarget(scope, name));
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw errors.conflict(scopeTarget(scope, name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, name), `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    return this.deleteObject(scope.resource, current, opts.propagationPolicy ?? 'Background', opts.dryRun);
  }

  /** Deletes (or marks) one stored object; returns its state after the call, as the answer to DELETE. */
  deleteObject(resource: ServedResource, current: Obj, policy: PropagationPolicy, dryRun = false): Obj {
    if (isDeleting(current)) return current;
    const uid = current.metadata.uid as string;
    const finalizers: string[] = [...(current.metadata.finalizers ?? [])];
    const dependents = this.state.store.dependentsOf(uid);
    if (policy === 'Foreground' && dependents.length > 0 && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
    if (policy === 'Orphan' && dependents.length > 0 && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
    const marked: Obj = structuredClone(current);
    marked.metadata.deletionTimestamp = timestamp();
    marked.metadata.deletionGracePeriodSeconds = 0;
    if (finalizers.length > 0) marked.metadata.finalizers = finalizers;
    if (marked.kind === 'Namespace' && marked.apiVersion === 'v1') marked.status = { ...marked.status, phase: 'Terminating' };
    if (dryRun) return marked;
    if (!removalBlocked(marked)) return storeRemove(this.state, resource, current);
    storeWrite(this.state, resource, marked, current);
    if (finalizers.includes(ORPHAN)) this.orphanDependents(resource, marked);
    if (finalizers.includes(FOREGROUND)) {
      for (const dependent of this.dependentObjects(uid)) {
        // Each deletion may cascade, so look again before touching the next one.
        const fresh = this.refetch(dependent.resource, dependent.object);
        if (fresh) this.deleteObject(dependent.resource, fresh, 'Foreground');
      }
    }
    return this.latest(resource, marked);
  }

  /** Drops `finalizer` from a deleting object and removes it when nothing else holds it. */
  releaseFinalizer(resource: ServedResource, object: Obj, finalizer: string): void {
    const finalizers: string[] = object.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    const next: Obj = structuredClone(object);
    next.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    const written = storeWrite(this.state, resource, next, object);
    if (!removalBlocked(written)) storeRemove(this.state, resource, written);
  }

  /** Live objects whose ownerReferences name `ownerUid`, with their resources. */
  dependentObjects(ownerUid: string): Array<{ resource: ServedResource; object: Obj }> {
    const out: Array<{ resource: ServedResource; object: Obj }> = [];
    for (const depUid of this.state.store.dependentsOf(ownerUid)) {
      const at = this.state.store.locate(depUid);
      const resource = at && this.state.registry.get(at.groupResource);
      const object = at && this.state.store.get(at.groupResource, at.namespace || undefined, at.name);
      if (resource && object) out.push({ resource, object });
    }
    return out;
  }

  /** The stored state of `object` if it is still there (same uid), else undefined. */
  refetch(resource: ServedResource, object: Obj): Obj | undefined {
    const found = this.state.store.get(groupResourceOf(resource), object.metadata.namespace, object.metadata.name);
    return found && found.metadata.uid === object.metadata.uid ? found : undefined;
  }

  private orphanDependents(resource: ServedResource, owner: Obj): void {
    const uid = owner.metadata.uid as string;
    for (const { resource: depResource, object } of this.dependentObjects(uid)) {
      const next: Obj = structuredClone(object);
      next.metadata.ownerReferences = (next.metadata.ownerReferences as Obj[]).filter((ref) => ref.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      storeWrite(this.state, depResource, next, object);
    }
    const fresh = this.refetch(resource, owner);
    if (fresh) this.releaseFinalizer(resource, fresh, ORPHAN);
  }

  private latest(resource: ServedResource, fallback: Obj): Obj {
    return this.state.store.get(groupResourceOf(resource), fallback.metadata.namespace, fallback.metadata.name) ?? fallback;
  }
}
