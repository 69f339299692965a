/**
 * The StaticSite API (web.example.com/v1). `npm run manifests` turns these types and their JSDoc tags into
 * config/crd/bases/web.example.com_staticsites.yaml: field comments become descriptions, tags such as @minimum, @maximum,
 * @default, @pattern and @enum become schema rules, and a `number` is an integer only with @format int32|int64
 * (or @integer). Run it after every change to this file.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { defineResource, type Condition } from 'operator-ts/runtime';

/** StaticSiteSpec defines the desired state of StaticSite. */
export interface StaticSiteSpec {
  /**
   * Size is an example field: the number of replicas the controller should run. Edit or remove it.
   * @format int32
   * @minimum 1
   * @maximum 10
   * @default 1
   */
  size?: number;
}

/** StaticSiteStatus defines the observed state of StaticSite. */
export interface StaticSiteStatus {
  /**
   * Conditions describe the latest observations of the StaticSite; `Ready` tells whether it is reconciled.
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
 * StaticSite is the Schema for the staticsites API.
 * @plural staticsites
 * @scope Namespaced
 * @subresource status
 * @storageversion
 * @printcolumn name=Size,type=integer,JSONPath=.spec.size
 * @printcolumn name=Ready,type=string,JSONPath=.status.conditions[?(@.type=="Ready")].status
 * @printcolumn name=Age,type=date,JSONPath=.metadata.creationTimestamp
 */
export interface StaticSite {
  apiVersion: 'web.example.com/v1';
  kind: 'StaticSite';
  metadata: V1ObjectMeta;
  spec: StaticSiteSpec;
  status?: StaticSiteStatus;
}

/** Names StaticSite for the runtime's client, cache and controllers. */
export const StaticSiteResource = defineResource<StaticSite & { metadata: V1ObjectMeta }>({
  group: 'web.example.com',
  version: 'v1',
  kind: 'StaticSite',
  plural: 'staticsites',
  namespaced: true,
});
