import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../resource.js';

/** The cache's name for a resource type: 'group/version/plural' ('/v1/configmaps' for the core group). */
export function resourceKey(rt: ResourceType<KubernetesObject>): string {
  return `${rt.group}/${rt.version}/${rt.plural}`;
}
