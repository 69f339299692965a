import type { ListTypeLookup } from '../patch/index.js';
import type { StatusCause } from './status.js';
import type { GenerationRule, ScalePaths } from './builtin-kinds-table.js';
import type { StoredView } from './stored-view.js';

/** A JSON object as the server stores it. Stored objects are never mutated: writes replace them. */
export type Obj = Record<string, any>;

/** Per-kind behaviour the generic handlers call: defaulting/normalising, then validation. */
export interface KindHooks {
  /** Fills defaults and normalises a new or updated object in place (before validation). */
  prepare?(obj: Obj, old: Obj | undefined, version: string): void;
  /**
   * What the real server does to a request body before the mutating webhooks see it (`prepare` runs again after
   * them): a custom resource is pruned and defaulted; a built-in kind gets its field defaults and, on create,
   * those of the mutating admission plugins that run before the webhooks.
   */
  decode?(obj: Obj, version: string, creating: boolean): void;
  /** Field problems of the object; a non-empty answer becomes 422 Invalid. */
  validate?(obj: Obj, old: Obj | undefined, version: string): StatusCause[];
  /** What validating admission refuses once the object is valid (LimitRanger): a reason, answered 403 Forbidden. */
  admit?(obj: Obj, old: Obj | undefined, version: string): string | undefined;
  /** Paths of fields the schema does not know (they would be pruned); for fieldValidation=Strict. */
  unknownFields?(obj: Obj, version: string): string[];
  /** How lists merge under server-side apply (a CRD's x-kubernetes-list-type); built-in kinds use field names. */
  listTypes?(version: string): ListTypeLookup | undefined;
}

/** A printer column for `kubectl get` tables (additionalPrinterColumns of a CRD). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** Everything the server needs to serve one resource (all its versions share one storage). */
export interface ServedResource {
  group: string;
  /** Served versions, most preferred first. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** True when `/status` exists and the main endpoint ignores status changes. */
  statusSubresource: boolean;
  /** Served because of a CustomResourceDefinition. */
  custom: boolean;
  /** Built-in kinds whose strategy keeps metadata.generation (custom resources always do). */
  tracksGeneration?: boolean;
  /** Names must be DNS-1123 labels (namespaces) rather than subdomains. */
  nameIsLabel?: boolean;
  /** Extra field-selector fields beyond metadata.name and metadata.namespace. */
  fieldSelectors?: string[];
  printerColumns?: Map<string, PrinterColumn[]>;
  hooks?: KindHooks;
  /** Discovery verbs (default: all eight). */
  verbs?: string[];
  /** The scale subresource's paths per served version (absent: no `/scale`). */
  scale?: Map<string, ScalePaths>;
  /** Built-in kinds: which fields bump metadata.generation (absent: everything but metadata and status). */
  generation?: GenerationRule;
  /** DELETE answers with the deleted object instead of a Success Status (custom resources always do). */
  returnsDeletedObject?: boolean;
  /** A second view of another resource's storage (events.k8s.io Events over core Events). */
  view?: StoredView;
  /** Namespaces: the PUT-only `finalize` subresource that writes spec.finalizers. */
  finalizeSubresource?: boolean;
  /** The group, version and kind objects are stored as, when not this resource's own group, first version and kind. */
  storedAs?: StoredGroupVersionKind;
  /** Create-only reviews, answered and never stored (auth/review-handler.ts). */
  virtual?: boolean;
  /** ServiceAccounts: the create-only `token` subresource (TokenRequest). */
  tokenRequest?: boolean;
}

export interface StoredGroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** True when the real server sets metadata.generation for this kind (not for ConfigMaps, Secrets, Leases, ...). */
export function tracksGeneration(r: Pick<ServedResource, 'custom' | 'tracksGeneration'>): boolean {
  return r.custom || r.tracksGeneration === true;
}

/** Storage key of a resource: `configmaps` or `widgets.example.com` (a view uses the storage it shows). */
export function groupResourceOf(r: Pick<ServedResource, 'group' | 'plural'> & { view?: StoredView }): string {
  return r.view?.storage ?? resourceKey(r.group, r.plural);
}

function resourceKey(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

const VERSION_PATTERN = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA before beta before alpha, higher numbers first, other strings last. */
export function compareKubeVersions(a: string, b: string): number {
  const ma = VERSION_PATTERN.exec(a);
  const mb = VERSION_PATTERN.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
  const stage = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  if (stage(ma) !== stage(mb)) return stage(mb) - stage(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** The resources the server serves, looked up by URL parts. Changes when CRDs come and go. */
export class ResourceRegistry {
  private readonly byGroupResource = new Map<string, ServedResource>();

  add(resource: ServedResource): void {
    this.byGroupResource.set(resourceKey(resource.group, resource.plural), resource);
  }

  remove(group: string, plural: string): ServedResource | undefined {
    const key = resourceKey(group, plural);
    const found = this.byGroupResource.get(key);
    this.byGroupResource.delete(key);
    return found;
  }

  get(groupResource: string): ServedResource | undefined {
    return this.byGroupResource.get(groupResource);
  }

  /** The resource at /apis/{group}/{version}/{plural}, only if that version is served. */
  lookup(group: string, version: string, plural: string): ServedResource | undefined {
    const found = this.byGroupResource.get(resourceKey(group, plural));
    return found && found.versions.includes(version) ? found : undefined;
  }

  all(): ServedResource[] {
    return [...this.byGroupResource.values()];
  }

  /** Groups (core excluded) with their versions, most preferred first. */
  groups(): Array<{ name: string; versions: string[] }> {
    const versions = new Map<string, Set<string>>();
    for (const r of this.byGroupResource.values()) {
      if (r.group === '') continue;
      const set = versions.get(r.group) ?? new Set<string>();
      for (const v of r.versions) set.add(v);
      versions.set(r.group, set);
    }
    return [...versions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, set]) => ({ name, versions: [...set].sort(compareKubeVersions) }));
  }

  /** Resources served at one group/version. */
  resourcesAt(group: string, version: string): ServedResource[] {
    return this.all()
      .filter((r) => r.group === group && r.versions.includes(version))
      .sort((a, b) => a.plural.localeCompare(b.plural));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((r) => r.group === group && r.versions.includes(version));
  }
}
