import type { KubernetesObject } from '@kubernetes/client-node';
import { ValidationError } from '../../errors.js';
import type { ResourceType } from '../resource.js';

/** Names one object, as controller-runtime's client.ObjectKey: `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

/** The key of an object: its metadata namespace and name. */
export function objectKeyOf(obj: KubernetesObject): ObjectKey {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/** Accepts `(key)` or `(namespace, name)` and returns `[namespace, name]`. */
export function keyArgs(rt: ResourceType<KubernetesObject>, keyOrNamespace: ObjectKey | string, name?: string): [string, string] {
  if (typeof keyOrNamespace === 'string') return [keyOrNamespace, name ?? ''];
  if (keyOrNamespace === null || typeof keyOrNamespace !== 'object' || typeof keyOrNamespace.name !== 'string') {
    throw new ValidationError(`${JSON.stringify(keyOrNamespace)} is not a key of a ${rt.kind}`, {
      hint: "pass { namespace: 'ns', name: 'my-object' } (namespace only for namespaced kinds), or namespace and name as two arguments",
    });
  }
  return [keyOrNamespace.namespace ?? '', keyOrNamespace.name];
}

/** Namespaced kinds need a namespace; cluster-scoped kinds ignore it. */
export function scopeOf(rt: ResourceType<KubernetesObject>, namespace: string): string | undefined {
  if (!rt.namespaced) return undefined;
  if (!namespace) {
    throw new ValidationError(`${rt.kind} is namespaced but no namespace was given`, { hint: 'set metadata.namespace on the object, or pass the namespace argument' });
  }
  return namespace;
}

export function requireName(rt: ResourceType<KubernetesObject>, name: string): string {
  if (!name) throw new ValidationError(`a ${rt.kind} name is required here but was empty`, { hint: 'set metadata.name (generateName works only for create)' });
  return name;
}
