import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * What the runtime needs to know about a kind to list, watch and write it. TypeScript types vanish
 * at run time, so every kind a controller touches is named by one of these values.
 */
export interface ResourceType<T extends KubernetesObject = KubernetesObject> {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lowercase plural used in URLs, e.g. 'memcacheds'. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** 'v1' for core, otherwise 'group/version'. */
  readonly apiVersion: string;
  /** Phantom field that carries the object type; never set at run time. */
  readonly __type?: T;
}

export interface ResourceTypeInit {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced?: boolean;
}

export function defineResource<T extends KubernetesObject>(init: ResourceTypeInit): ResourceType<T> {
  const apiVersion = init.group === '' ? init.version : `${init.group}/${init.version}`;
  return Object.freeze({ ...init, namespaced: init.namespaced ?? true, apiVersion });
}

/** URL path of a collection (namespace omitted for cluster-scoped kinds or cluster-wide lists). */
export function collectionPath(rt: ResourceType<KubernetesObject>, namespace?: string): string {
  const base = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
  return rt.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${rt.plural}` : `${base}/${rt.plural}`;
}

/** URL path of one object. */
export function objectPath(rt: ResourceType<KubernetesObject>, namespace: string | undefined, name: string): string {
  return `${collectionPath(rt, namespace)}/${encodeURIComponent(name)}`;
}
