import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../resource.js';
import type { IndexFunc } from '../store/indexer.js';
import { keyOf } from '../store/object-store.js';
import { IndexFieldError, IndexFunctionError } from './field-index-errors.js';
import { resourceKey } from './resource-key.js';

/** Extracts the values of one field of an object (controller-runtime's client.IndexerFunc). */
export type IndexerFunc<T extends KubernetesObject = KubernetesObject> = (obj: T) => string[];

/** Registers field indexes on the cache (controller-runtime's client.FieldIndexer); `manager.fieldIndexer` is one. */
export interface FieldIndexer {
  /**
   * Indexes `field` of `rt` by what `extract` returns, so that `client.list(rt, { matchingFields: { [field]: value } })`
   * is served from the index. Call it before the manager starts (or at least before the kind's informer starts).
   */
  indexField<T extends KubernetesObject>(rt: ResourceType<T>, field: string, extract: IndexerFunc<T>): void;
}

/** The index key namespace for "any namespace", as controller-runtime names it. */
export const ALL_NAMESPACES = '__all_namespaces';

/** The store index holding `field` (controller-runtime's FieldIndexName). */
export function fieldIndexName(field: string): string {
  return `field:${field}`;
}

/** The index key of `value` in `namespace` (or in any namespace), as controller-runtime's KeyToNamespacedKey. */
export function namespacedKey(namespace: string | undefined, value: string): string {
  return `${namespace || ALL_NAMESPACES}/${value}`;
}

// Field names end up in a fieldSelector when a list goes to the server, so they cannot hold its operators.
const FIELD = /^[^\s=!,\\]+$/;

/** Checks `indexField`'s arguments; returns the resource key. */
export function checkIndexField(rt: unknown, field: unknown, extract: unknown): string {
  const r = rt as Partial<ResourceType<KubernetesObject>> | null;
  const isResource = r !== null && typeof r === 'object' && typeof r.group === 'string' && typeof r.version === 'string' && r.version !== '' &&
    typeof r.kind === 'string' && r.kind !== '' && typeof r.plural === 'string' && r.plural !== '' && typeof r.namespaced === 'boolean';
  if (!isResource) {
    throw new IndexFieldError(describe(rt), field, `indexField was given ${describe(rt)} as the resource, which is not a resource type`,
      'pass a built-in resource type (ConfigMap, Secret, ...) or one made with defineResource(), e.g. indexField(Secret, ...)');
  }
  const kind = r.kind!;
  if (typeof field !== 'string' || field === '') {
    throw new IndexFieldError(kind, field, `indexField(${kind}) was given the field name ${describe(field)}: it must be a non-empty string`,
      `name the field by its path, e.g. indexField(${kind}, 'spec.secretRef', (obj) => [...])`);
  }
  if (!FIELD.test(field)) {
    throw new IndexFieldError(kind, field, `indexField(${kind}) was given the field name '${field}', which holds whitespace or one of = ! , \\`,
      "use a field path such as 'spec.secretRef' (it is also what an uncached list sends as the fieldSelector)");
  }
  if (typeof extract !== 'function') {
    throw new IndexFieldError(kind, field, `indexField(${kind}, '${field}') was given ${describe(extract)} as the index function: it must be a function`,
      `pass (obj) => [values], e.g. (obj) => (obj.spec?.secretRef ? [obj.spec.secretRef] : [])`);
  }
  return resourceKey(r as ResourceType<KubernetesObject>);
}

/**
 * Wraps `extract` as controller-runtime's indexByField does: every value is indexed as 'namespace/value' and, for
 * namespaced objects, also as '__all_namespaces/value', so a lookup in one namespace or in all is one map read.
 * Anything but an array of strings, or a throw, becomes an IndexFunctionError naming the resource, field and object.
 */
export function namespacedIndexFunc(rt: ResourceType<KubernetesObject>, field: string, extract: IndexerFunc): IndexFunc<KubernetesObject> {
  return (obj) => {
    let values: unknown;
    try {
      values = extract(obj);
    } catch (err) {
      throw new IndexFunctionError(rt.kind, field, keyOf(obj), `threw (${(err as Error)?.message ?? String(err)})`, err);
    }
    if (!Array.isArray(values)) throw new IndexFunctionError(rt.kind, field, keyOf(obj), `returned ${describe(values)}, not an array of strings`);
    const ns = obj.metadata?.namespace || undefined;
    const keys: string[] = [];
    for (const v of values) {
      if (typeof v !== 'string') throw new IndexFunctionError(rt.kind, field, keyOf(obj), `returned the value ${describe(v)}, which is not a string`);
      keys.push(namespacedKey(ns, v));
    }
    if (ns) for (let i = 0, n = keys.length; i < n; i++) keys.push(namespacedKey(undefined, values[i] as string));
    return keys;
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array (${safeJson(value)})`;
  return safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
