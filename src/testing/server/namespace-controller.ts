import { isDeleting, removalBlocked, storeRemove, storeWrite } from './commit.js';
import type { ControllerQueue } from './controller-queue.js';
import type { Deleter } from './deletes.js';
import type { StoredEvent } from './event-log.js';
import { timestamp } from './object-meta.js';
import type { Obj } from './registry.js';
import type { ApiState } from './state.js';

/** The spec finalizer the namespace controller owns; it takes it off once the namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The conditions the real namespace controller keeps on a terminating namespace, with their "all good" values. */
const CONDITION_TYPES: ReadonlyArray<{ type: string; reason: string; message: string }> = [
  { type: 'NamespaceDeletionDiscoveryFailure', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  { type: 'NamespaceDeletionGroupVersionParsingFailure', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  { type: 'NamespaceDeletionContentFailure', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  { type: 'NamespaceContentRemaining', reason: 'ContentRemoved', message: 'All content successfully removed' },
  { type: 'NamespaceFinalizersRemaining', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
];

/**
 * The namespace controller of a real cluster: a terminating namespace has its content deleted
 * (Background), its status conditions say what is left and which finalizers hold it, and once it is
 * empty the `kubernetes` spec finalizer comes off, which removes the namespace when nothing else holds it.
 */
export class NamespaceController {
  constructor(
    private readonly state: ApiState,
    private readonly deleter: Deleter,
    private readonly queue: ControllerQueue,
  ) {}

  onEvent(event: StoredEvent): void {
    if (event.groupResource === 'namespaces') {
      if (event.type !== 'DELETED' && isDeleting(event.object)) this.enqueue(event.object.metadata.name);
      return;
    }
    const namespace = event.object.metadata?.namespace;
    if (typeof namespace !== 'string' || namespace === '') return;
    // Content changing in a terminating namespace may be what it waits for.
    const owner = this.state.store.get('namespaces', undefined, namespace);
    if (owner && isDeleting(owner)) this.enqueue(namespace);
  }

  private enqueue(name: string): void {
    this.queue.add(`namespace:${name}`, () => this.sync(name));
  }

  private sync(name: string): void {
    const resource = this.state.registry.get('namespaces');
    const namespace = this.state.store.get('namespaces', undefined, name);
    if (!resource || !namespace || !isDeleting(namespace)) return;
    const specFinalizers: string[] = Array.isArray(namespace.spec?.finalizers) ? namespace.spec.finalizers : [];
    // Like the real controller, a namespace with no spec finalizers at all counts as finalized: it is left
    // Terminating with its content, and goes on the next DELETE or write (the registry removes it then).
    // Any other spec finalizer, even without `kubernetes`, still gets its content deleted.
    if (specFinalizers.length === 0) return;
    for (const { groupResource, object } of this.state.store.objectsInNamespace(name)) {
      if (isDeleting(object)) continue;
      const contentResource = this.state.registry.get(groupResource);
      if (contentResource) this.deleter.deleteObject(contentResource, object, 'Background');
    }
    const remaining = this.state.store.objectsInNamespace(name);
    const current = this.state.store.get('namespaces', undefined, name)!;
    const withConditions = this.withConditions(current, remaining);
    const written = withConditions ? storeWrite(this.state, resource, withConditions, current) : current;
    if (remaining.length > 0 || !specFinalizers.includes(NAMESPACE_FINALIZER)) return;
    const finished: Obj = structuredClone(written);
    finished.spec = { ...finished.spec, finalizers: specFinalizers.filter((f) => f !== NAMESPACE_FINALIZER) };
    const stored = storeWrite(this.state, resource, finished, written);
    if (!removalBlocked(stored)) storeRemove(this.state, resource, stored);
  }

  /** The namespace with its conditions brought up to date, or undefined when they already are. */
  private withConditions(namespace: Obj, remaining: Array<{ groupResource: string; object: Obj }>): Obj | undefined {
    const byResource = new Map<string, number>();
    const byFinalizer = new Map<string, number>();
    for (const { groupResource, object } of remaining) {
      const served = this.state.registry.get(groupResource);
      const key = served ? `${served.plural}.${served.group}` : groupResource;
      byResource.set(key, (byResource.get(key) ?? 0) + 1);
      for (const finalizer of object.metadata.finalizers ?? []) byFinalizer.set(finalizer, (byFinalizer.get(finalizer) ?? 0) + 1);
    }
    const problems = new Map<string, { reason: string; message: string }>();
    if (byResource.size > 0) {
      const list = [...byResource].map(([key, n]) => `${key} has ${n} resource instances`).sort();
      problems.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list.join(', ')}` });
    }
    if (byFinalizer.size > 0) {
      const list = [...byFinalizer].map(([finalizer, n]) => `${finalizer} in ${n} resource instances`).sort();
      problems.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${list.join(', ')}` });
    }
    const conditions: NamespaceCondition[] = structuredClone(Array.isArray(namespace.status?.conditions) ? namespace.status.conditions : []);
    let changed = false;
    const now = timestamp();
    for (const kind of CONDITION_TYPES) {
      const problem = problems.get(kind.type);
      const wanted = { status: problem ? 'True' as const : 'False' as const, reason: problem?.reason ?? kind.reason, message: problem?.message ?? kind.message };
      const old = conditions.find((c) => c.type === kind.type);
      if (!old) {
        conditions.push({ type: kind.type, ...wanted, lastTransitionTime: now });
        changed = true;
      } else if (old.status !== wanted.status || old.reason !== wanted.reason || old.message !== wanted.message) {
        if (old.status !== wanted.status) old.lastTransitionTime = now;
        Object.assign(old, wanted);
        changed = true;
      }
    }
    if (!changed) return undefined;
    const next: Obj = structuredClone(namespace);
    next.status = { ...next.status, conditions };
    return next;
  }
}
