import { ALL_VERBS, BUILTIN_KINDS, type BuiltinKindRow } from './builtin-kinds-table.js';
import { coreEventHooks, eventsV1View } from './event-views.js';
import type { KindHooks, Obj, ResourceRegistry, ServedResource } from './registry.js';
import type { StatusCause } from './status.js';
import { combineHooks, createBuiltinKindHooks, type BuiltinHookContext } from './builtin/kind-hooks.js';



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

/** Hand-written per-kind hooks, by `group/Kind` (core kinds as `core/Kind`), combined with the built-in defaulting and validation. */
const HAND_WRITTEN: Record<string, KindHooks> = {
  'core/Namespace': namespaceHooks,
  'core/Secret': secretHooks,
  'core/Event': coreEventHooks,
};

function hooksOf(row: BuiltinKindRow, builtin: Record<string, KindHooks>): KindHooks | undefined {
  const id = `${row.group === '' ? 'core' : row.group}/${row.kind}`;
  return combineHooks(HAND_WRITTEN[id], builtin[id]);
}

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
    ...(row.finalize ? { finalizeSubresource: true } : {}),
    ...(row.storedAs ? { storedAs: row.storedAs } : {}),
    ...(row.virtual ? { virtual: true } : {}),
    ...(row.tokenRequest ? { tokenRequest: true } : {}),
    ...(key === 'events.events.k8s.io' ? { view: eventsV1View } : {}),
    ...(hooks ?? row.hooks ? { hooks: hooks ?? row.hooks } : {}),
  };
}

/**
 * Registers the built-in kinds the test server serves (builtin-kinds-table.ts). `crdHooks` validate and
 * complete CustomResourceDefinitions (the server passes its CRD registrar's hooks).
 */
export function registerBuiltinResources(registry: ResourceRegistry, options: { crdHooks?: KindHooks; context?: BuiltinHookContext } = {}): void {
  const builtin = createBuiltinKindHooks(options.context);
  for (const row of BUILTIN_KINDS) {
    registry.add(servedResourceOf(row, row.kind === 'CustomResourceDefinition' ? options.crdHooks : hooksOf(row, builtin)));
  }
}
