import { listTypesFromSchema, type ListTypeLookup } from '../patch/index.js';
import { SchemaCompileError } from '../validation/errors.js';
import { statusCauses } from '../validation/field-error.js';
import type { CompiledSchema } from '../validation/index.js';
import { crdSchemaCompiler } from './crd-validation-loader.js';
import type { StoredEvent } from './event-log.js';
import { CRD_CLEANUP_FINALIZER, CRD_GROUP_RESOURCE } from './lifecycle-controllers.js';
import { timestamp } from './object-meta.js';
import { isDns1123Label, isDns1123Subdomain } from '../../kubernetes-names.js';
import { compareKubeVersions, groupResourceOf, type KindHooks, type Obj, type PrinterColumn, type ServedResource } from './registry.js';
import type { ApiState } from './state.js';
import { crdScalePaths } from './scale.js';
import type { StatusCause } from './status.js';

const FALLBACK_KIND = 'CustomResourceDefinition';

function cause(field: string, message: string, reason = 'FieldValueInvalid'): StatusCause {
  return { reason, field, message };
}

/** Names with the defaults the real server fills in (singular, listKind). */
function acceptedNames(spec: Obj): Obj {
  const names = { ...(spec.names as Obj) };
  if (typeof names.kind === 'string') {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  return names;
}

/**
 * Turns CustomResourceDefinitions into served resources: validates the CRD (names, versions, schemas
 * compiled through the validation module), completes its status (NamesAccepted, Established,
 * storedVersions) and keeps the registry in step with the stored CRDs.
 */
export class CrdRegistrar {
  private readonly schemaCache = new Map<string, CompiledSchema>();
  private readonly unsubscribe: () => void;

  constructor(private readonly state: ApiState, private readonly onRemoved: (groupResource: string) => void) {
    this.unsubscribe = state.store.log.subscribe(CRD_GROUP_RESOURCE, (event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  readonly hooks: KindHooks = {
    prepare: (crd, old) => this.complete(crd, old),
    validate: (crd, old) => this.problems(crd, old),
  };

  private onEvent(event: StoredEvent): void {
    const name = event.object.metadata.name as string;
    if (event.type === 'DELETED') {
      const [plural, ...group] = name.split('.');
      this.state.registry.remove(group.join('.'), plural!);
      this.onRemoved(name);
      return;
    }
    this.state.registry.add(this.toServedResource(event.object));
  }

  private complete(crd: Obj, old: Obj | undefined): void {
    const spec = crd.spec;
    if (!spec || typeof spec !== 'object') return;
    spec.conversion ??= { strategy: 'None' };
    spec.names = acceptedNames(spec);
    if (!old) {
      const finalizers: string[] = crd.metadata.finalizers ?? [];
      if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
    }
    const versions: Obj[] = Array.isArray(spec.versions) ? spec.versions : [];
    const storage = versions.find((v) => v?.storage === true)?.name;
    const stored = new Set<string>(old?.status?.storedVersions ?? []);
    if (typeof storage === 'string') stored.add(storage);
    const now = timestamp();
    const condition = (type: string, reason: string, message: string) => {
      const previous = (old?.status?.conditions as Obj[] | undefined)?.find((c) => c.type === type && c.status === 'True');
      return { type, status: 'True', lastTransitionTime: previous?.lastTransitionTime ?? now, reason, message };
    };
    const conditions = [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ];
    if (crd.metadata.deletionTimestamp) {
      conditions.push({ type: 'Terminating', status: 'True', lastTransitionTime: now, reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    }
    crd.status = { conditions, acceptedNames: { ...spec.names }, storedVersions: [...stored] };
  }

  private problems(crd: Obj, old: Obj | undefined): StatusCause[] {
    const spec = crd.spec as Obj | undefined;
    if (!spec || typeof spec !== 'object') return [cause('spec', 'Required value', 'FieldValueRequired')];
    const out: StatusCause[] = [];
    const group = spec.group;
    const names = (spec.names ?? {}) as Obj;
    if (typeof group !== 'string' || group === '') out.push(cause('spec.group', 'Required value', 'FieldValueRequired'));
    else if (!isDns1123Subdomain(group) || !group.includes('.')) out.push(cause('spec.group', `Invalid value: "${group}": should be a domain with at least one dot`));
    for (const key of ['plural', 'singular'] as const) {
      if (names[key] !== undefined && !isDns1123Label(String(names[key]))) out.push(cause(`spec.names.${key}`, `Invalid value: "${names[key]}": a lowercase RFC 1123 label is required`));
    }
    if (typeof names.plural !== 'string' || names.plural === '') out.push(cause('spec.names.plural', 'Required value', 'FieldValueRequired'));
    if (typeof names.kind !== 'string' || names.kind === '') out.push(cause('spec.names.kind', 'Required value', 'FieldValueRequired'));
    if (typeof names.plural === 'string' && typeof group === 'string' && crd.metadata.name !== `${names.plural}.${group}`) {
      out.push(cause('metadata.name', `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`));
    }
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') out.push(cause('spec.scope', `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`, 'FieldValueNotSupported'));
    if (old && old.spec?.scope !== spec.scope) out.push(cause('spec.scope', 'Invalid value: field is immutable'));
    const existing = typeof names.plural === 'string' && typeof group === 'string' ? this.state.registry.get(groupResourceOf({ group, plural: names.plural })) : undefined;
    if (existing && !existing.custom) out.push(cause('spec.names.plural', `Invalid value: "${names.plural}": ${groupResourceOf(existing)} is a built-in resource of this server`));
    const versions = spec.versions;
    if (!Array.isArray(versions) || versions.length === 0) {
      out.push(cause('spec.versions', 'Invalid value: must have at least one version'));
      return out;
    }
    const seen = new Set<string>();
    let storageCount = 0;
    versions.forEach((v: Obj, i: number) => {
      const at = `spec.versions[${i}]`;
      if (typeof v?.name !== 'string' || !isDns1123Label(v.name)) out.push(cause(`${at}.name`, `Invalid value: ${JSON.stringify(v?.name)}: must be a DNS-1035 label such as v1 or v1alpha1`));
      else if (seen.has(v.name)) out.push(cause(`${at}.name`, `Duplicate value: "${v.name}"`, 'FieldValueDuplicate'));
      else seen.add(v.name);
      if (v?.storage === true) storageCount++;
      const schema = v?.schema?.openAPIV3Schema;
      if (schema === undefined) {
        out.push(cause(`${at}.schema.openAPIV3Schema`, 'Required value: schemas are required', 'FieldValueRequired'));
        return;
      }
      try {
        this.compile(schema, String(names.kind ?? FALLBACK_KIND));
      } catch (err) {
        if (!(err instanceof SchemaCompileError)) throw err;
        out.push(cause(`${at}.schema.openAPIV3Schema`, `Invalid value: ${err.message}`));
      }
    });
    if (storageCount !== 1) out.push(cause('spec.versions', `Invalid value: must have exactly one version marked as storage version (found ${storageCount})`));
    if (!versions.some((v: Obj) => v?.served === true)) out.push(cause('spec.versions', 'Invalid value: must have at least one served version'));
    return out;
  }

  private compile(schema: object, kind: string): CompiledSchema {
    const key = `${kind}\u0000${JSON.stringify(schema)}`;
    let compiled = this.schemaCache.get(key);
    if (!compiled) {
      compiled = crdSchemaCompiler()(schema, { kind });
      this.schemaCache.set(key, compiled);
    }
    return compiled;
  }

  private toServedResource(crd: Obj): ServedResource {
    const spec = crd.spec as Obj;
    const names = acceptedNames(spec);
    const versions = (spec.versions as Obj[]).filter((v) => v.served === true);
    const schemas = new Map<string, CompiledSchema>();
    const printerColumns = new Map<string, PrinterColumn[]>();
    const listTypes = new Map<string, ListTypeLookup>();
    for (const v of versions) {
      if (v.schema?.openAPIV3Schema) {
        schemas.set(v.name, this.compile(v.schema.openAPIV3Schema, names.kind));
        listTypes.set(v.name, listTypesFromSchema(v.schema.openAPIV3Schema));
      }
      if (Array.isArray(v.additionalPrinterColumns)) printerColumns.set(v.name, v.additionalPrinterColumns);
    }
    const hooks: KindHooks = {
      decode: (obj, version) => schemas.get(version)?.applyDefaults(obj),
      prepare: (obj, _old, version) => schemas.get(version)?.applyDefaults(obj),
      validate: (obj, old, version) => statusCauses(schemas.get(version)?.validate(obj, old) ?? []),
      unknownFields: (obj, version) => schemas.get(version)?.prune(structuredClone(obj)) ?? [],
      listTypes: (version) => listTypes.get(version),
    };
    return {
      group: spec.group,
      versions: versions.map((v) => v.name as string).sort(compareKubeVersions),
      kind: names.kind,
      listKind: names.listKind,
      plural: names.plural,
      singular: names.singular,
      namespaced: spec.scope === 'Namespaced',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      statusSubresource: versions.some((v) => v.subresources?.status !== undefined),
      custom: true,
      printerColumns,
      hooks,
      scale: crdScalePaths(versions),
      // The storage version may be one that is no longer served.
      storedAs: { group: spec.group, version: String((spec.versions as Obj[]).find((v) => v.storage === true)?.name ?? versions[0]?.name), kind: names.kind },
    };
  }
}
