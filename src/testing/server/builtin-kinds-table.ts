/**
 * The built-in kinds the test server serves, as data: one row per resource.
 *
 * Sources, pinned to Kubernetes v1.32.13 (openshift/microshift at d4b43f374a5bc0e0f44c07ff773061e27c7f2a08,
 * deps/github.com/openshift/kubernetes):
 * - group, version, kind, scope, verbs, and which subresources (status, scale) exist: api/openapi-spec/swagger.json
 *   (its paths and x-kubernetes-action / x-kubernetes-group-version-kind);
 * - shortNames and categories: the ShortNames()/Categories() of each kind's REST storage under pkg/registry;
 * - `returnsDeletedObject`: ReturnDeletedObject in the same storage files;
 * - `generation`: each kind's strategy (PrepareForCreate sets generation 1, PrepareForUpdate bumps it when the
 *   listed top-level fields change). Kinds without `generation` keep no metadata.generation at all.
 */

import type { KindHooks, StoredGroupVersionKind } from './registry.js';

/** Where a scalable kind keeps its replica counts and selector (dotted paths, like a CRD's subresources.scale). */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** A string selector (custom resources) or a LabelSelector object (built-in kinds), formatted on read. */
  labelSelectorPath?: string;
}

/** What bumps metadata.generation on update: changes to these top-level fields (or dotted metadata paths). */
export interface GenerationRule {
  fields: string[];
}

export interface BuiltinKindRow {
  group: string;
  /** Served versions, most preferred first. */
  versions: string[];
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Discovery verbs; every row serves all of them except where the real server does not. */
  verbs?: string[];
  status?: boolean;
  scale?: ScalePaths;
  generation?: GenerationRule;
  /** Extra field-selector fields beyond metadata.name and metadata.namespace. */
  fieldSelectors?: string[];
  /** Names must be DNS-1123 labels rather than subdomains. */
  nameIsLabel?: boolean;
  /** DELETE answers with the object rather than a Success Status (the storage's ReturnDeletedObject). */
  returnsDeletedObject?: boolean;
  /** Defaulting and validation of this kind; rows without it use the hand-written hooks of builtin-kinds.ts, if any. */
  hooks?: KindHooks;
  /** The PUT-only `finalize` subresource (namespaces). */
  finalize?: boolean;
  /** The group/version/kind the real server stores objects as, where it is not the row's own (discovery's storageVersionHash). */
  storedAs?: StoredGroupVersionKind;
  /** Create-only reviews that are answered, never stored (TokenReview, SubjectAccessReview). */
  virtual?: boolean;
  /** The create-only `token` subresource (TokenRequest) of ServiceAccounts. */
  tokenRequest?: boolean;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const SPEC: GenerationRule = { fields: ['spec'] };
const REPLICAS: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };

const CORE_EVENT_FIELDS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
  'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
];

const core = (row: Omit<BuiltinKindRow, 'group' | 'versions' | 'namespaced'> & { namespaced?: boolean }): BuiltinKindRow =>
  ({ group: '', versions: ['v1'], namespaced: true, ...row });
const inGroup = (group: string, version: string) =>
  (row: Omit<BuiltinKindRow, 'group' | 'versions' | 'namespaced'> & { namespaced?: boolean }): BuiltinKindRow =>
    ({ group, versions: [version], namespaced: true, ...row });

const apps = inGroup('apps', 'v1');
const batch = inGroup('batch', 'v1');
const networking = inGroup('networking.k8s.io', 'v1');
const rbac = inGroup('rbac.authorization.k8s.io', 'v1');
const admission = inGroup('admissionregistration.k8s.io', 'v1');

export const BUILTIN_KINDS: readonly BuiltinKindRow[] = [
  core({ kind: 'Pod', returnsDeletedObject: true, plural: 'pods', shortNames: ['po'], categories: ['all'], status: true }),
  core({ kind: 'Service', returnsDeletedObject: true, plural: 'services', shortNames: ['svc'], categories: ['all'], status: true, nameIsLabel: true }),
  core({ kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] }),
  core({ kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }),
  core({ kind: 'Secret', plural: 'secrets', fieldSelectors: ['type'] }),
  core({ kind: 'ServiceAccount', returnsDeletedObject: true, plural: 'serviceaccounts', shortNames: ['sa'], tokenRequest: true }),
  core({ kind: 'PersistentVolumeClaim', returnsDeletedObject: true, plural: 'persistentvolumeclaims', shortNames: ['pvc'], status: true }),
  core({ kind: 'PersistentVolume', returnsDeletedObject: true, plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], status: true }),
  core({ kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], status: true }),
  core({
    kind: 'Namespace', returnsDeletedObject: true, plural: 'namespaces', namespaced: false, shortNames: ['ns'], status: true, nameIsLabel: true, finalize: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], fieldSelectors: ['status.phase'],
  }),
  core({ kind: 'Event', plural: 'events', shortNames: ['ev'], fieldSelectors: CORE_EVENT_FIELDS }),
  core({ kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] }),
  core({ kind: 'ResourceQuota', returnsDeletedObject: true, plural: 'resourcequotas', shortNames: ['quota'], status: true }),

  apps({ kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], status: true, scale: REPLICAS,
    // Annotations count too: the deployment controller copies them to replica sets.
    generation: { fields: ['spec', 'metadata.annotations'] } }),
  apps({ kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], status: true, scale: REPLICAS, generation: SPEC }),
  apps({ kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], status: true, generation: SPEC }),
  apps({ kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], status: true, scale: REPLICAS, generation: SPEC }),
  apps({ kind: 'ControllerRevision', plural: 'controllerrevisions' }),

  batch({ kind: 'Job', plural: 'jobs', categories: ['all'], status: true, generation: SPEC }),
  batch({ kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], status: true, generation: SPEC }),

  networking({ kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], status: true, generation: SPEC }),
  networking({ kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, generation: SPEC }),
  networking({ kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], generation: SPEC }),

  inGroup('policy', 'v1')({ kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], status: true, generation: SPEC }),
  // autoscaling/v1 HorizontalPodAutoscalers need a lossy conversion (metrics in annotations): only v2 is served.
  inGroup('autoscaling', 'v2')({ kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], status: true }),

  inGroup('authentication.k8s.io', 'v1')({ kind: 'TokenReview', plural: 'tokenreviews', namespaced: false, verbs: ['create'], virtual: true }),
  inGroup('authorization.k8s.io', 'v1')({ kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false, verbs: ['create'], virtual: true }),
  rbac({ kind: 'Role', plural: 'roles' }),
  rbac({ kind: 'ClusterRole', plural: 'clusterroles', namespaced: false }),
  rbac({ kind: 'RoleBinding', plural: 'rolebindings' }),
  rbac({ kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false }),

  inGroup('coordination.k8s.io', 'v1')({ kind: 'Lease', plural: 'leases' }),
  inGroup('events.k8s.io', 'v1')({
    kind: 'Event', plural: 'events', shortNames: ['ev'], storedAs: { group: '', version: 'v1', kind: 'Event' },
    fieldSelectors: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion',
      'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'type'],
  }),

  admission({ kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'], generation: { fields: ['webhooks'] } }),
  admission({ kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'], generation: { fields: ['webhooks'] } }),

  // PriorityClasses start at generation 1 and never bump it (their strategy has no update rule).
  inGroup('scheduling.k8s.io', 'v1')({ kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'], generation: { fields: [] } }),
  inGroup('storage.k8s.io', 'v1')({ kind: 'StorageClass', returnsDeletedObject: true, plural: 'storageclasses', namespaced: false, shortNames: ['sc'] }),

  inGroup('apiextensions.k8s.io', 'v1')({
    kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, shortNames: ['crd', 'crds'],
    // CRDs are still stored as v1beta1 (apiextensions' storage version).
    categories: ['api-extensions'], status: true, generation: SPEC, storedAs: { group: 'apiextensions.k8s.io', version: 'v1beta1', kind: 'CustomResourceDefinition' },
  }),
];
