import type { ResourceType } from '../resource.js';

type Gvk = Pick<ResourceType, 'group' | 'version' | 'kind'>;

/**
 * The paths controller-runtime's builder serves a kind's webhooks at, and Kubebuilder's markers point the
 * configurations to: '/mutate-<group with . as ->-<version>-<kind in lowercase>'. The core group is empty, so a Pod's
 * path is '/mutate--v1-pod'.
 */
export function mutatePath(rt: Gvk): string {
  return `/mutate-${rt.group.replaceAll('.', '-')}-${rt.version}-${rt.kind.toLowerCase()}`;
}

export function validatePath(rt: Gvk): string {
  return `/validate-${rt.group.replaceAll('.', '-')}-${rt.version}-${rt.kind.toLowerCase()}`;
}

/** Every kind's conversions are served at this one path, as in controller-runtime. */
export const CONVERT_PATH = '/convert';
