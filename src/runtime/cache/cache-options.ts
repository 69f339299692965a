import type { KubernetesObject } from '@kubernetes/client-node';
import { isDns1123Label } from '../../kubernetes-names.js';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../../label-selector.js';
import type { ResourceType } from '../resource.js';
import { CacheOptionsError } from './cache-options-error.js';
import { informerKey, resourceKey } from './resource-key.js';

/** How the cache holds one kind; every field narrows what is listed and watched. */
export interface ByObjectOptions<T extends KubernetesObject = KubernetesObject> {
  /** Namespaces to cache this kind in; replaces `cache.namespaces` for it. Not allowed for cluster-scoped kinds. */
  namespaces?: string[];
  /** Only objects with matching labels are cached (sent to the server as the list/watch labelSelector). */
  labelSelector?: string;
  /** Only objects with matching fields are cached, e.g. 'metadata.name=config' (the list/watch fieldSelector). */
  fieldSelector?: string;
  /** Applied to every object before it is cached, e.g. to drop large fields the operator never reads. */
  transform?: (obj: T) => T;
}

/** The shape of controller-runtime's cache.Options: which namespaces and which objects the cache holds. */
export interface CacheOptions {
  /** Namespaces to cache namespaced kinds in; absent or empty: all namespaces. Cluster-scoped kinds are always cached whole. */
  namespaces?: string[];
  /**
   * Per-kind settings, keyed by resource type (e.g. `new Map([[ConfigMap, { labelSelector: 'app=web' }]])`). A
   * metadata-only view (`metadataOnly(Secret)`) may have its own entry; without one it takes its kind's
   * namespaces and selectors, but not its transform.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  byObject?: Map<ResourceType<any>, ByObjectOptions<any>>;
}

/** What the cache lists and watches for one kind. */
export interface CacheScope {
  /** Namespaces, sorted; undefined: all namespaces (always for cluster-scoped kinds). */
  namespaces: string[] | undefined;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  transform: ((obj: KubernetesObject) => KubernetesObject) | undefined;
}

export interface ResolvedCacheOptions {
  /** Sorted and de-duplicated; undefined: all namespaces. */
  namespaces: string[] | undefined;
  /** By resource key. */
  byObject: Map<string, ByObjectOptions>;
  /** The scope of `rt`: its byObject entry over the default namespaces. */
  scopeFor(rt: ResourceType<KubernetesObject>): CacheScope;
}

const ALL_NAMESPACES_HINT = "omit cache.namespaces (or pass an empty list) to cache every namespace";

/** Fills defaults and validates the cache options; called by resolveManagerOptions, so bad values stop the manager's constructor. */
export function resolveCacheOptions(opts: CacheOptions | undefined): ResolvedCacheOptions {
  const namespaces = resolveNamespaces('cache.namespaces', opts?.namespaces);
  const byObject = new Map<string, ByObjectOptions>();
  const entries = opts?.byObject;
  if (entries !== undefined && !(entries instanceof Map)) {
    throw new CacheOptionsError('cache.byObject', `cache.byObject is ${describe(entries)}: it must be a Map from resource type to options`, 'use e.g. new Map([[ConfigMap, { labelSelector: "app=web" }]])');
  }
  for (const [rt, entry] of entries ?? []) {
    const key = checkResource(rt);
    const option = `cache.byObject[${key}]`;
    if (byObject.has(key)) throw new CacheOptionsError(option, `${option} is given twice (two resource types name the same group, version and plural)`, 'keep one entry per resource');
    if (entry === null || typeof entry !== 'object') throw new CacheOptionsError(option, `${option} is ${describe(entry)}: it must be an object`, 'use e.g. { labelSelector: "app=web" }');
    const ns = resolveNamespaces(`${option}.namespaces`, entry.namespaces);
    if (entry.namespaces !== undefined && !rt.namespaced) {
      throw new CacheOptionsError(`${option}.namespaces`, `${option}.namespaces is set, but ${rt.kind} is cluster-scoped and has no namespaces`, `remove namespaces from the ${rt.kind} entry`);
    }
    checkLabelSelector(`${option}.labelSelector`, entry.labelSelector);
    checkFieldSelector(`${option}.fieldSelector`, entry.fieldSelector);
    if (entry.transform !== undefined && typeof entry.transform !== 'function') {
      throw new CacheOptionsError(`${option}.transform`, `${option}.transform is ${describe(entry.transform)}: it must be a function`, 'use e.g. (obj) => ({ ...obj, data: undefined })');
    }
    byObject.set(key, { ...entry, namespaces: ns });
  }
  return {
    namespaces,
    byObject,
    scopeFor(rt) {
      // A metadata-only view has an entry of its own (metadataOnly(Secret) as the key) or follows its kind's
      // namespaces and selectors; the kind's transform is written for full objects, so it is not applied.
      const own = byObject.get(informerKey(rt));
      const entry = own ?? (informerKey(rt) === resourceKey(rt) ? undefined : { ...byObject.get(resourceKey(rt)), transform: undefined });
      return {
        namespaces: rt.namespaced ? (entry?.namespaces ?? namespaces) : undefined,
        labelSelector: entry?.labelSelector || undefined,
        fieldSelector: entry?.fieldSelector || undefined,
        transform: entry?.transform,
      };
    },
  };
}

function resolveNamespaces(option: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new CacheOptionsError(option, `${option} is ${describe(value)}: it must be a list of namespace names`, "use e.g. ['team-a', 'team-b']");
  for (const ns of value) {
    if (ns === '') throw new CacheOptionsError(option, `${option} contains '': an empty namespace name is not allowed`, ALL_NAMESPACES_HINT);
    if (typeof ns !== 'string' || !isDns1123Label(ns)) {
      throw new CacheOptionsError(option, `${option} contains ${describe(ns)}, which is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters)`, "use e.g. 'team-a'");
    }
  }
  return value.length === 0 ? undefined : [...new Set(value as string[])].sort();
}

function checkResource(rt: unknown): string {
  const r = rt as Partial<ResourceType<KubernetesObject>> | null;
  const ok = r !== null && typeof r === 'object' && typeof r.group === 'string' && typeof r.version === 'string' && r.version !== '' &&
    typeof r.kind === 'string' && r.kind !== '' && typeof r.plural === 'string' && r.plural !== '' && typeof r.namespaced === 'boolean';
  if (!ok) {
    throw new CacheOptionsError('cache.byObject', `cache.byObject has the key ${describe(rt)}, which is not a resource type`, 'key the map by a resource type: a built-in one (ConfigMap, Secret, ...) or one made with defineResource()');
  }
  return informerKey(r as ResourceType<KubernetesObject>);
}

function checkLabelSelector(option: string, selector: unknown): void {
  if (selector === undefined) return;
  if (typeof selector !== 'string') throw new CacheOptionsError(option, `${option} is ${describe(selector)}: it must be a string`, "use e.g. 'app=web,tier!=db'");
  try {
    parseLabelSelector(selector);
  } catch (err) {
    if (!(err instanceof LabelSelectorSyntaxError)) throw err;
    throw new CacheOptionsError(option, `${option} "${selector}" does not parse: ${err.reason}`, "use comma-separated requirements such as 'app=web,tier!=db,env in (prod,staging),!legacy'");
  }
}

// A field selector is a comma-separated list of `field=value`, `field==value` or `field!=value` (the API server's
// fields.ParseSelector); which fields a kind supports is the server's to decide.
const FIELD_REQUIREMENT = /^\s*[A-Za-z][A-Za-z0-9_.\-\[\]]*\s*(=|==|!=)\s*[^=!,]*\s*$/;

function checkFieldSelector(option: string, selector: unknown): void {
  if (selector === undefined) return;
  if (typeof selector !== 'string') throw new CacheOptionsError(option, `${option} is ${describe(selector)}: it must be a string`, "use e.g. 'metadata.name=config'");
  if (selector === '') return;
  const bad = selector.split(',').find((req) => !FIELD_REQUIREMENT.test(req));
  if (bad !== undefined) {
    throw new CacheOptionsError(option, `${option} "${selector}" does not parse: "${bad}" is not field=value, field==value or field!=value`, "use e.g. 'metadata.name=config,status.phase!=Failed'");
  }
}

function describe(value: unknown): string {
  if (value instanceof Map) return 'a Map';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
