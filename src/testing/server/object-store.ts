import { EventLog } from './event-log.js';
import type { Obj } from './registry.js';
import { ResourceBucket } from './resource-bucket.js';

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Where an object lives, for the uid index (owner references point at uids). */
export interface ObjectLocation {
  groupResource: string;
  namespace: string;
  name: string;
}

/**
 * In-memory storage of every object, keyed by resource and namespace/name, with ONE revision counter
 * for all of them (like etcd). Every write is recorded in the event log under its new revision.
 */
export class ObjectStore {
  private revision = 0;
  private readonly buckets = new Map<string, ResourceBucket>();
  private readonly byUid = new Map<string, ObjectLocation>();
  /** owner uid -> uids of objects whose ownerReferences name it. */
  private readonly dependents = new Map<string, Set<string>>();
  readonly log: EventLog;

  constructor(historyWindow: number) {
    this.log = new EventLog(historyWindow);
  }

  currentRevision(): number {
    return this.revision;
  }

  /** Reserves the next revision; the caller stamps it on the object it is about to write. */
  nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  get(groupResource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.buckets.get(groupResource)?.get(objectKey(namespace, name));
  }

  /** Objects of a resource (optionally one namespace), sorted by namespace/name. */
  list(groupResource: string, namespace?: string): Obj[] {
    const out: Obj[] = [];
    for (const [, object] of this.scan(groupResource, namespace)) out.push(object);
    return out;
  }

  /** Keys and objects of a resource in namespace/name order, strictly after the key `after`. */
  scan(groupResource: string, namespace?: string, after = ''): Iterable<[string, Obj]> {
    return this.buckets.get(groupResource)?.scan(namespace, after) ?? [];
  }

  /** How many objects of a resource (optionally one namespace) have a key strictly after `after`. */
  countAfter(groupResource: string, namespace: string | undefined, after: string): number {
    return this.buckets.get(groupResource)?.countAfter(namespace, after) ?? 0;
  }

  count(groupResource: string): number {
    return this.buckets.get(groupResource)?.size ?? 0;
  }

  /** Stores a created or changed object whose metadata.resourceVersion is a revision from nextRevision(). */
  put(groupResource: string, object: Obj, previous: Obj | undefined): void {
    const meta = object.metadata as Obj;
    const bucket = this.buckets.get(groupResource) ?? new ResourceBucket();
    this.buckets.set(groupResource, bucket);
    bucket.set(objectKey(meta.namespace, meta.name), object);
    if (previous) this.unindex(previous);
    this.index(groupResource, object);
    this.log.append({ rv: Number(meta.resourceVersion), groupResource, type: previous ? 'MODIFIED' : 'ADDED', object, previous });
  }

  /** Removes an object for good; `finalState` carries the deletion's revision. */
  remove(groupResource: string, finalState: Obj, previous: Obj): void {
    const meta = finalState.metadata as Obj;
    this.buckets.get(groupResource)?.delete(objectKey(meta.namespace, meta.name));
    this.unindex(previous);
    this.log.append({ rv: Number(meta.resourceVersion), groupResource, type: 'DELETED', object: finalState, previous });
  }

  locate(uid: string): ObjectLocation | undefined {
    return this.byUid.get(uid);
  }

  /** uids of the objects that name `ownerUid` in their ownerReferences. */
  dependentsOf(ownerUid: string): string[] {
    return [...(this.dependents.get(ownerUid) ?? [])];
  }

  /** Every object of every resource in one namespace. */
  objectsInNamespace(namespace: string): Array<{ groupResource: string; object: Obj }> {
    const out: Array<{ groupResource: string; object: Obj }> = [];
    for (const [groupResource, bucket] of this.buckets) {
      for (const [, object] of bucket.scan(namespace)) out.push({ groupResource, object });
    }
    return out;
  }

  private index(groupResource: string, object: Obj): void {
    const meta = object.metadata as Obj;
    this.byUid.set(meta.uid, { groupResource, namespace: meta.namespace ?? '', name: meta.name });
    for (const ref of ownerUids(object)) {
      const set = this.dependents.get(ref) ?? new Set<string>();
      set.add(meta.uid);
      this.dependents.set(ref, set);
    }
  }

  private unindex(object: Obj): void {
    const meta = object.metadata as Obj;
    this.byUid.delete(meta.uid);
    for (const ref of ownerUids(object)) {
      const set = this.dependents.get(ref);
      set?.delete(meta.uid);
      if (set && set.size === 0) this.dependents.delete(ref);
    }
  }
}

export function ownerUids(object: Obj): string[] {
  const refs = (object.metadata as Obj | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.map((r: Obj) => r?.uid).filter((u: unknown): u is string => typeof u === 'string' && u !== '');
}
