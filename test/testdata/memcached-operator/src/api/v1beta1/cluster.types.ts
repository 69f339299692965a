/**
 * The Cluster API (infra.example.com/v1beta1). `npm run manifests` turns these types and their JSDoc tags into
 * config/crd/bases/infra.example.com_clusters.yaml: field comments become descriptions, tags such as @minimum, @maximum,
 * @default, @pattern and @enum become schema rules, and a `number` is an integer only with @format int32|int64
 * (or @integer). Run it after every change to this file.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { defineResource, type Condition } from 'operator-ts/runtime';

/** ClusterSpec defines the desired state of Cluster. */
export interface ClusterSpec {
  /**
   * Size is an example field: the number of replicas the controller should run. Edit or remove it.
   * @format int32
   * @minimum 1
   * @maximum 10
   * @default 1
   */
  size?: number;
}

/** ClusterStatus defines the observed state of Cluster. */
export interface ClusterStatus {
  /**
   * Conditions describe the latest observations of the Cluster; `Ready` tells whether it is reconciled.
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
 * Cluster is the Schema for the clusters API.
 * @plural clusters
 * @scope Cluster
 * @subresource status
 * @storageversion
 * @printcolumn name=Size,type=integer,JSONPath=.spec.size
 * @printcolumn name=Ready,type=string,JSONPath=.status.conditions[?(@.type=="Ready")].status
 * @printcolumn name=Age,type=date,JSONPath=.metadata.creationTimestamp
 */
export interface Cluster {
  apiVersion: 'infra.example.com/v1beta1';
  kind: 'Cluster';
  metadata: V1ObjectMeta;
  spec: ClusterSpec;
  status?: ClusterStatus;
}

/** Names Cluster for the runtime's client, cache and controllers. */
export const ClusterResource = defineResource<Cluster & { metadata: V1ObjectMeta }>({
  group: 'infra.example.com',
  version: 'v1beta1',
  kind: 'Cluster',
  plural: 'clusters',
  namespaced: false,
});
