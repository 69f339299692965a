import { ALL_VERBS, BUILTIN_KINDS, type BuiltinKindRow } from './builtin-kinds-table.js';
import { coreEventHooks, eventsV1View } from './event-views.js';
import type { KindHooks, Obj, ResourceRegistry, ServedResource } from './registry.js';
import type { StatusCause } from './status.js';



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

/** Hand-written per-kind hooks, by storage key; rows of the table without an entry get none. */
const HOOKS: Record<string, KindHooks> = {
  namespaces: namespaceHooks,
  secrets: secretHooks,
  services: serviceHooks,
  'deployments.apps': deploymentHooks,
  events: coreEventHooks,
};

/** A table row as the server serves it. */
export function servedResourceOf(row: BuiltinKindRow, hooks?: KindHooks): ServedResource {
  const key = row.group === '' ? row.plural : `${row.plural}.${row.group}`;
  return {
    group: row.group, versions: row.versions, kind: row.kind, listKind: `${row.kind}List`, plural: row.plural,
    singular: row.kind.toLowerCase(), namespaced: row.namespaced, shortNames: row.shortNames ?? [], categories: row.categories ?? [],
    statusSubresource: row.status === true, custom: false, tracksGeneration: row.generation !== undefined,
    verbs: row.verbs ?? ALL_VERBS,
    ...(row.generation ? { generation: row.generation } : {}),
    ...(row.scale ? { scale: new Map(row.versions.map((v) => [v, row.scale!])) } : {}),
    ...(row.nameIsLabel ? { nameIsLabel: true } : {}),
    ...(row.returnsDeletedObject ? { returnsDeletedObject: true } : {}),
    ...(row.fieldSelectors ? { fieldSelectors: row.fieldSelectors } : {}),
    ...(key === 'events.events.k8s.io' ? { view: eventsV1View } : {}),
    ...(hooks ?? row.hooks ?? HOOKS[key] ? { hooks: hooks ?? row.hooks ?? HOOKS[key] } : {}),
  };
}

/**
 * Registers the built-in kinds the test server serves (builtin-kinds-table.ts). `crdHooks` validate and
 * complete CustomResourceDefinitions (the server passes its CRD registrar's hooks).
 */
export function registerBuiltinResources(registry: ResourceRegistry, options: { crdHooks?: KindHooks } = {}): void {
  for (const row of BUILTIN_KINDS) {
    registry.add(servedResourceOf(row, row.kind === 'CustomResourceDefinition' ? options.crdHooks : undefined));
  }
}
