import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import type { ResourceType } from './resource.js';

/**
 * What the API server sends for an object when asked for metadata only: its whole metadata (labels,
 * annotations, ownerReferences, finalizers, managedFields, ...) and nothing else. The kind it stands for is
 * carried by the resource type it was read with, not by the object.
 */
export interface PartialObjectMetadata extends KubernetesObject {
  apiVersion: 'meta.k8s.io/v1';
  kind: 'PartialObjectMetadata';
  metadata: V1ObjectMeta;
}

/** Accept header of a metadata-only get or watch (the real server refuses it for a list with 406). */
export const PARTIAL_OBJECT_METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/** Accept header of a metadata-only list (the real server refuses it for a single object with 406). */
export const PARTIAL_OBJECT_METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** A resource type whose reads return PartialObjectMetadata; made by metadataOnly(). */
export interface MetadataOnlyResourceType extends ResourceType<PartialObjectMetadata> {
  readonly metadataOnly: true;
}

const wrapped = new WeakMap<ResourceType<KubernetesObject>, MetadataOnlyResourceType>();

/**
 * The metadata-only view of `rt` (controller-runtime's PartialObjectMetadata with the kind's GVK set): the same
 * group, version, kind and plural, so paths and owner references match, but lists, watches and gets ask the
 * server for PartialObjectMetadata, and the shared cache keeps these objects in their own informer, apart from
 * the full objects of the same kind. `client.get(metadataOnly(Secret), key)` reads that informer.
 */
export function metadataOnly<T extends KubernetesObject>(rt: ResourceType<T>): MetadataOnlyResourceType {
  if (isMetadataOnly(rt)) return rt;
  const base = rt as ResourceType<KubernetesObject>;
  let view = wrapped.get(base);
  if (!view) {
    view = Object.freeze({ group: rt.group, version: rt.version, kind: rt.kind, plural: rt.plural, namespaced: rt.namespaced, apiVersion: rt.apiVersion, metadataOnly: true as const });
    wrapped.set(base, view);
  }
  return view;
}

/** True for a resource type made by metadataOnly(). */
export function isMetadataOnly(rt: ResourceType<KubernetesObject>): rt is MetadataOnlyResourceType {
  return (rt as Partial<MetadataOnlyResourceType>).metadataOnly === true;
}

/** The apiVersion and kind of what a read of `rt` returns (list items carry none; they get these). */
export function typeMetaOf(rt: ResourceType<KubernetesObject>): { apiVersion: string; kind: string } {
  return isMetadataOnly(rt) ? { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata' } : { apiVersion: rt.apiVersion, kind: rt.kind };
}

/** The Accept header of a read of `rt`: undefined (plain JSON) unless it is metadata-only. */
export function acceptFor(rt: ResourceType<KubernetesObject>, target: 'object' | 'list'): string | undefined {
  if (!isMetadataOnly(rt)) return undefined;
  return target === 'list' ? PARTIAL_OBJECT_METADATA_LIST_ACCEPT : PARTIAL_OBJECT_METADATA_ACCEPT;
}
