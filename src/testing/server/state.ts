import { ObjectStore } from './object-store.js';
import { apiVersionOf, groupResourceOf, ResourceRegistry, type Obj, type ServedResource } from './registry.js';

/** Where a request points: a served resource at one version, in one namespace (undefined: cluster-wide). */
export interface Scope {
  resource: ServedResource;
  version: string;
  namespace?: string;
}

/** Options of a write request (query parameters). */
export interface WriteOptions {
  dryRun: boolean;
  /** fieldManager from the query, else derived from the User-Agent like the real server. */
  fieldManager: string;
  /** True when the client named a field manager explicitly (apply requires it). */
  fieldManagerGiven: boolean;
  force: boolean;
  /** Strict: unknown fields are a 400 instead of being dropped (what kubectl sends). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** The subresource written: `status`, or a namespace's `finalize` (which writes all but status, spec.finalizers included). */
  subresource?: 'status' | 'finalize';
}

/** The shared state of one server: what it serves and what it stores. */
export class ApiState {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;

  constructor(historyWindow: number) {
    this.store = new ObjectStore(historyWindow);
  }

  groupResource(scope: Scope): string {
    return groupResourceOf(scope.resource);
  }

  /** The object as a client asking for `version` sees it (all versions share storage; no conversion). */
  present(resource: ServedResource, version: string, object: Obj): Obj {
    const apiVersion = apiVersionOf(resource.group, version);
    if (resource.view) return resource.view.fromStored(object, apiVersion, resource.kind);
    if (object.apiVersion === apiVersion && object.kind === resource.kind) return object;
    return { ...object, apiVersion, kind: resource.kind };
  }
}

export function scopeTarget(scope: Scope, name?: string): { group: string; plural: string; kind: string; name?: string } {
  return { group: scope.resource.group, plural: scope.resource.plural, kind: scope.resource.kind, name };
}
