import type {
  V1ConfigMap, V1Deployment, CoreV1Event, V1Lease, V1Namespace, V1Secret, V1Service, V1ServiceAccount,
  V1CustomResourceDefinition, V1Pod, V1StatefulSet, V1Job,
} from '@kubernetes/client-node';
import { defineResource } from './resource.js';

/** Resource types of the built-in kinds operators most often own or watch. */
export const Namespace = defineResource<V1Namespace>({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false });
export const ConfigMap = defineResource<V1ConfigMap>({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps' });
export const Secret = defineResource<V1Secret>({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets' });
export const Service = defineResource<V1Service>({ group: '', version: 'v1', kind: 'Service', plural: 'services' });
export const ServiceAccount = defineResource<V1ServiceAccount>({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts' });
export const Pod = defineResource<V1Pod>({ group: '', version: 'v1', kind: 'Pod', plural: 'pods' });
export const CoreEvent = defineResource<CoreV1Event>({ group: '', version: 'v1', kind: 'Event', plural: 'events' });
export const Deployment = defineResource<V1Deployment>({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' });
export const StatefulSet = defineResource<V1StatefulSet>({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets' });
export const Job = defineResource<V1Job>({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs' });
export const Lease = defineResource<V1Lease>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases' });
export const CustomResourceDefinition = defineResource<V1CustomResourceDefinition>({
  group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false,
});
