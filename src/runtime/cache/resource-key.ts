import type { KubernetesObject } from '@kubernetes/client-node';
import { isMetadataOnly } from '../metadata-only.js';
import type { ResourceType } from '../resource.js';

/** The cache's name for a resource type: 'group/version/plural' ('/v1/configmaps' for the core group). */
export function resourceKey(rt: ResourceType<KubernetesObject>): string {
  return `${rt.group}/${rt.version}/${rt.plural}`;
}

/**
 * The name of the informer that holds `rt`: its resource key, with '#metadata' for a metadata-only view, which
 * is an informer of its own (as in controller-runtime), never mixed with the full objects of the same kind.
 */
export function informerKey(rt: ResourceType<KubernetesObject>): string {
  return isMetadataOnly(rt) ? `${resourceKey(rt)}#metadata` : resourceKey(rt);
}
