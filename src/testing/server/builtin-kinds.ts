import type { KindHooks, Obj, ResourceRegistry, ServedResource } from './registry.js';
import type { StatusCause } from './status.js';


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
      // The namespace controller's finalizer is always there at creation, after any the client gave.
      const given: unknown[] = Array.isArray(obj.spec?.finalizers) ? obj.spec.finalizers : [];
      obj.spec = { ...obj.spec, finalizers: given.includes('kubernetes') ? given : [...given, 'kubernetes'] };
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

const serviceHooks: KindHooks = {
  prepare(obj) {
    obj.spec = { type: 'ClusterIP', sessionAffinity: 'None', ...obj.spec };
  },
};

function selectorMatchesLabels(selector: Obj | undefined, labels: Obj | undefined): boolean {
  const wanted = (selector?.matchLabels ?? {}) as Obj;
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

const deploymentHooks: KindHooks = {
  prepare(obj) {
    const spec = (obj.spec ??= {}) as Obj;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  },
  validate(obj) {
    const causes: StatusCause[] = [];
    const spec = obj.spec as Obj;
    if (typeof spec.replicas !== 'number' || spec.replicas < 0 || !Number.isInteger(spec.replicas)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` });
    }
    if (!spec.selector || typeof spec.selector !== 'object') {
      causes.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
    } else if (!selectorMatchesLabels(spec.selector, spec.template?.metadata?.labels)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(spec.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\`` });
    }
    if (!Array.isArray(spec.template?.spec?.containers) || spec.template.spec.containers.length === 0) {
      causes.push({ reason: 'FieldValueRequired', field: 'spec.template.spec.containers', message: 'Required value' });
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
  registry.add(builtin({ ...core, kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], statusSubresource: true, nameIsLabel: true, fieldSelectors: ['status.phase'], hooks: namespaceHooks }));
  registry.add(builtin({ ...core, kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }));
  registry.add(builtin({ ...core, kind: 'Secret', plural: 'secrets', fieldSelectors: ['type'], hooks: secretHooks }));
  registry.add(builtin({ ...core, kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], statusSubresource: true, nameIsLabel: true, hooks: serviceHooks }));
  registry.add(builtin({ ...core, kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] }));
  registry.add(builtin({ ...core, kind: 'Event', plural: 'events', shortNames: ['ev'], fieldSelectors: EVENT_FIELDS }));
  registry.add(builtin({ group: 'events.k8s.io', versions: ['v1'], kind: 'Event', plural: 'events', shortNames: ['ev'], fieldSelectors: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type', 'reportingController'] }));
  registry.add(builtin({ group: 'apps', versions: ['v1'], kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], statusSubresource: true, tracksGeneration: true, hooks: deploymentHooks }));
  registry.add(builtin({ group: 'coordination.k8s.io', versions: ['v1'], kind: 'Lease', plural: 'leases' }));
  registry.add(builtin({
    group: 'apiextensions.k8s.io', versions: ['v1'], kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
    namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], statusSubresource: true, tracksGeneration: true, hooks: options.crdHooks,
  }));
}
