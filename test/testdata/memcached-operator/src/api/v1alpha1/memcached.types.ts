/**
 * The Memcached API (cache.example.com/v1alpha1). `npm run manifests` turns these types and their JSDoc tags into
 * config/crd/bases/cache.example.com_memcacheds.yaml: field comments become descriptions, tags such as @minimum, @maximum,
 * @default, @pattern and @enum become schema rules, and a `number` is an integer only with @format int32|int64
 * (or @integer). Run it after every change to this file.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { defineResource, type Condition } from 'operator-ts/runtime';

/** MemcachedSpec defines the desired state of Memcached. */
export interface MemcachedSpec {
  /**
   * Size is an example field: the number of replicas the controller should run. Edit or remove it.
   * @format int32
   * @minimum 1
   * @maximum 10
   * @default 1
   */
  size?: number;
}

/** MemcachedStatus defines the observed state of Memcached. */
export interface MemcachedStatus {
  /**
   * Conditions describe the latest observations of the Memcached; `Ready` tells whether it is reconciled.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /**
   * ObservedGeneration is the metadata.generation the status was computed for.
   * @format int64
   */
  observedGeneration?: number;
}

/**
 * Memcached is the Schema for the memcacheds API.
 * @plural memcacheds
 * @scope Namespaced
 * @subresource status
 * @storageversion
 * @printcolumn name=Size,type=integer,JSONPath=.spec.size
 * @printcolumn name=Ready,type=string,JSONPath=.status.conditions[?(@.type=="Ready")].status
 * @printcolumn name=Age,type=date,JSONPath=.metadata.creationTimestamp
 */
export interface Memcached {
  apiVersion: 'cache.example.com/v1alpha1';
  kind: 'Memcached';
  metadata: V1ObjectMeta;
  spec: MemcachedSpec;
  status?: MemcachedStatus;
}

/** Names Memcached for the runtime's client, cache and controllers. */
export const MemcachedResource = defineResource<Memcached & { metadata: V1ObjectMeta }>({
  group: 'cache.example.com',
  version: 'v1alpha1',
  kind: 'Memcached',
  plural: 'memcacheds',
  namespaced: true,
});
