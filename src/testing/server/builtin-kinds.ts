import type { KindHooks, Obj, ResourceRegistry, ServedResource } from './registry.js';
import type { StatusCause } from './status.js';
import { combineHooks, createBuiltinKindHooks } from './builtin/kind-hooks.js';


function builtin(init: Partial<ServedResource> & Pick<ServedResource, 'group' | 'versions' | 'kind' | 'plural'>): ServedResource {
  return {
    listKind: `${init.kind}List`,
    singular: init.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    statusSubresource: false,
    custom: false,
    ...init,
  };
}

const namespaceHooks: KindHooks = {
  prepare(obj, old) {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
    if (!old) {
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = { phase: 'Active' };
    } else {
      // spec.finalizers belong to the namespace controller; clients cannot change them by update.
      obj.spec = { ...obj.spec, finalizers: old.spec?.finalizers ?? [] };
    }
  },
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const secretHooks: KindHooks = {
  prepare(obj) {
    if (obj.type === undefined || obj.type === '') obj.type = 'Opaque';
    if (obj.stringData && typeof obj.stringData === 'object') {
      const data: Obj = { ...obj.data };
      for (const [key, value] of Object.entries(obj.stringData as Obj)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      obj.data = data;
      delete obj.stringData;
    }
  },
  validate(obj) {
    const causes: StatusCause[] = [];
    for (const [key, value] of Object.entries((obj.data ?? {}) as Obj)) {
      if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
        causes.push({ reason: 'FieldValueInvalid', field: `data[${key}]`, message: 'Invalid value: secret data values must be base64-encoded strings (or use stringData for plain text)' });
      }
    }
    return causes;
  },
};

const EVENT_FIELDS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
  'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
];

/**
 * Registers the built-in kinds the test server serves. `crdHooks` validate and complete
 * CustomResourceDefinitions (the server passes its CRD registrar's hooks).
 */
export function registerBuiltinResources(registry: ResourceRegistry, options: { crdHooks?: KindHooks } = {}): void {
  const core = { group: '', versions: ['v1'] };
  const kinds = createBuiltinKindHooks();
  registry.add(builtin({ ...core, kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], statusSubresource: true, nameIsLabel: true, fieldSelectors: ['status.phase'], hooks: namespaceHooks }));
  registry.add(builtin({ ...core, kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], hooks: kinds['core/ConfigMap'] }));
  registry.add(builtin({ ...core, kind: 'Secret', plural: 'secrets', fieldSelectors: ['type'], hooks: combineHooks(secretHooks, kinds['core/Secret']) }));
  registry.add(builtin({ ...core, kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], statusSubresource: true, nameIsLabel: true, hooks: kinds['core/Service'] }));
  registry.add(builtin({ ...core, kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] }));
  registry.add(builtin({ ...core, kind: 'Event', plural: 'events', shortNames: ['ev'], fieldSelectors: EVENT_FIELDS, hooks: kinds['core/Event'] }));
  registry.add(builtin({ group: 'events.k8s.io', versions: ['v1'], kind: 'Event', plural: 'events', shortNames: ['ev'], fieldSelectors: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type', 'reportingController'], hooks: kinds['events.k8s.io/Event'] }));
  registry.add(builtin({ group: 'apps', versions: ['v1'], kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], statusSubresource: true, tracksGeneration: true, hooks: kinds['apps/Deployment'] }));
  registry.add(builtin({ group: 'coordination.k8s.io', versions: ['v1'], kind: 'Lease', plural: 'leases', hooks: kinds['coordination.k8s.io/Lease'] }));
  registry.add(builtin({
    group: 'apiextensions.k8s.io', versions: ['v1'], kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
    namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], statusSubresource: true, tracksGeneration: true, hooks: options.crdHooks,
  }));
}
