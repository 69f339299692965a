import { parsePatchBody } from '../patch/parse-patch-body.js';
import { applyPatch, PatchError, recordUpdateOwnership, supportsStrategicMerge, type PatchType } from '../patch/index.js';
import { isDeleting, removalBlocked, storeRemove, storeWrite } from './commit.js';
import { generationInput } from './generation.js';
import { requireApplyDecodable, requireDecodable, requirePatchedDecodable } from './builtin/decode-check.js';
import { finalizerNameProblems, requestedFinalizers, withSpecFinalizers } from './builtin/namespace-finalize.js';
import { generatedName, jsonEqual, metadataProblems, nameProblems, newUid, timestamp } from './object-meta.js';
import { apiVersionOf, groupResourceOf, tracksGeneration, type Obj } from './registry.js';
import { scopeTarget, type ApiState, type Scope, type WriteOptions } from './state.js';
import { errors, qualifiedResource, StatusError, type StatusCause } from './status.js';

/** `owned`: the body was just decoded for this request, so the write may keep it instead of a copy. */
function asObject(body: unknown, what: string, owned = false): Obj {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest(`the request body must be a JSON object (a ${what}), got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
  }
  return (owned ? body : structuredClone(body)) as Obj;
}

/** How a create treats its body. */
export interface CreateHow {
  /** Record the writer in managedFields (false: the caller has already recorded ownership). Default true. */
  recordManager?: boolean;
  /** The body is a fresh object no one else holds (decoded from the request): stored without a copy. Default false. */
  owned?: boolean;
  /**
   * The write is in a version other than the storage version (a CRD with a conversion webhook): admitted,
   * defaulted and validated in the request's version, then converted at a `store` pause before it is written.
   */
  converted?: boolean;
}

/** How an update treats its body. */
export interface UpdateHow extends Pick<CreateHow, 'recordManager' | 'converted'> {
  /** With `converted`: the stored object in the request's version, which the update starts from. */
  current?: Obj;
}

/** The body's apiVersion/kind must name the endpoint it was sent to; missing ones are filled in. */
export function checkTypeMeta(scope: Scope, object: Obj): void {
  const expected = apiVersionOf(scope.resource.group, scope.resource.versions.includes(scope.version) ? scope.version : scope.resource.versions[0]!);
  if (object.apiVersion !== undefined && object.apiVersion !== '' && object.apiVersion !== expected) {
    const sameGroup = scope.resource.versions.some((v) => apiVersionOf(scope.resource.group, v) === object.apiVersion);
    if (!sameGroup) throw errors.badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (object.kind !== undefined && object.kind !== '' && object.kind !== scope.resource.kind) {
    throw errors.badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${scope.resource.kind})`);
  }
  object.apiVersion = expected;
  object.kind = scope.resource.kind;
  if (object.metadata === undefined || object.metadata === null) object.metadata = {};
  if (typeof object.metadata !== 'object' || Array.isArray(object.metadata)) throw errors.badRequest('metadata must be an object');
}

/**
 * Where a write waits for admission webhooks: `mutate` is resumed with the object to continue with (the
 * mutating webhooks' result), `validate` with nothing; `store` (a converted write only) with the object in the
 * storage version. Writes without webhooks run straight through.
 */
export interface AdmissionPause {
  phase: 'mutate' | 'validate' | 'store';
  object: Obj;
  old?: Obj;
}

/** A write as steps that pause for admission; `runWithoutAdmission` or an admission driver runs them. */
export type WriteSteps<T> = Generator<AdmissionPause, T, Obj | undefined>;

/** Runs a write's steps with no webhooks: every pause resumes at once with the object unchanged. */
export function runWithoutAdmission<T>(steps: WriteSteps<T>): T {
  let next = steps.next();
  while (!next.done) next = steps.next(next.value.object);
  return next.value;
}

/** Patch types a resource does not take, and apply without a fieldManager: refused before anything is read. */
export function refuseUnservedPatch(scope: Scope, type: PatchType, opts: WriteOptions): void {
  const resource = scope.resource;
  if (type === 'strategic' && !supportsStrategicMerge({ group: resource.group, isCustomResource: resource.custom })) {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (strategic merge patch is not supported for custom resources)`);
  }
  if (type === 'apply' && !opts.fieldManagerGiven) {
    throw errors.invalid({ group: 'meta.k8s.io', plural: 'patchoptions', kind: 'PatchOptions', name: '' }, [
      { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
}

/**
 * Built-in kinds whose v1.32 strategy refuses an update without metadata.resourceVersion (custom resources do too);
 * the others take such a PUT as an update of the current object.
 */
const CONDITIONAL_UPDATES_ONLY = new Set([
  'leases.coordination.k8s.io', 'poddisruptionbudgets.policy',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io',
]);

const MISSING_RESOURCE_VERSION = 'Invalid value: 0x0: must be specified for an update';

function requiresResourceVersion(resource: Scope['resource']): boolean {
  return resource.custom || CONDITIONAL_UPDATES_ONLY.has(groupResourceOf(resource));
}

function invalid(scope: Scope, name: string | undefined, causes: StatusCause[]): StatusError {
  return errors.invalid({ ...scopeTarget(scope, name) }, causes);
}

/** Create, update and patch: the write paths of the generic resource handler. */
export class Writer {
  constructor(private readonly state: ApiState) {}

  create(scope: Scope, body: unknown, opts: WriteOptions, how: CreateHow = {}): Obj {
    return runWithoutAdmission(this.createSteps(scope, body, opts, how));
  }

  *createSteps(scope: Scope, body: unknown, opts: WriteOptions, how: CreateHow = {}): WriteSteps<Obj> {
    let object = asObject(body, scope.resource.kind, how.owned);
    requireDecodable(scope, object);
    checkTypeMeta(scope, object);
    let meta = object.metadata as Obj;
    const resource = scope.resource;
    if (resource.namespaced && scope.namespace !== undefined && (meta.namespace === undefined || meta.namespace === '')) meta.namespace = scope.namespace;
    this.decode(scope, object, opts, true);
    // Mutating webhooks see the object before the server names it (generateName is still unresolved).
    const mutated = yield { phase: 'mutate', object };
    if (mutated !== undefined && mutated !== object) {
      object = asObject(mutated, scope.resource.kind, true);
      checkTypeMeta(scope, object);
      meta = object.metadata as Obj;
    }
    if (resource.namespaced) {
      if (scope.namespace === undefined) throw errors.methodNotAllowed(`${resource.plural} is namespaced: create it under /namespaces/{namespace}/${resource.plural}`);
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== scope.namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = scope.namespace;
      this.requireLiveNamespace(scope, meta.name ?? meta.generateName ?? '');
    } else {
      delete meta.namespace;
    }
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      meta.name = this.uniqueGeneratedName(scope, meta.generateName);
    }
    if (typeof meta.name !== 'string' || meta.name === '') {
      throw invalid(scope, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    const problems = nameProblems(meta.name, resource.nameIsLabel === true);
    if (problems.length > 0) {
      throw invalid(scope, meta.name, problems.map((p) => ({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${meta.name}": ${p}` })));
    }
    if (this.state.store.get(groupResourceOf(resource), meta.namespace, meta.name)) throw errors.alreadyExists(scopeTarget(scope, meta.name));
    this.refuseWhileCrdTerminating(scope);

    meta.uid = newUid();
    meta.creationTimestamp = timestamp();
    if (tracksGeneration(resource)) meta.generation = 1;
    else delete meta.generation;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (resource.statusSubresource) delete object.status;
    this.prepareAndValidate(scope, object, undefined);
    const stored = how.recordManager === false ? object : this.withManager(scope, object, undefined, opts);
    yield { phase: 'validate', object: stored };
    const written = how.converted ? asObject(yield { phase: 'store', object: stored }, resource.kind, true) : stored;
    // Another write may have taken the name while the webhooks were answering.
    if (this.state.store.get(groupResourceOf(resource), meta.namespace, meta.name)) throw errors.alreadyExists(scopeTarget(scope, meta.name));
    if (opts.dryRun) return written;
    return storeWrite(this.state, resource, written, undefined);
  }

  /** PUT on the object or on its /status. */
  update(scope: Scope, name: string, body: unknown, opts: WriteOptions): Obj {
    return runWithoutAdmission(this.updateSteps(scope, name, body, opts));
  }

  /** `how.recordManager: false`: the body's managedFields already record this write (default true). */
  *updateSteps(scope: Scope, name: string, body: unknown, opts: WriteOptions, how: UpdateHow = {}): WriteSteps<Obj> {
    const object = asObject(body, scope.resource.kind);
    requireDecodable(scope, object);
    checkTypeMeta(scope, object);
    const stored = this.mustGet(scope, name);
    const current = how.converted && how.current ? how.current : stored;
    const meta = object.metadata as Obj;
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    this.requireNamespace(scope);
    const unconditional = meta.resourceVersion === undefined || meta.resourceVersion === '';
    if (!unconditional && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, name));
    }
    return yield* this.replace(scope, current, object, opts, how.recordManager !== false, unconditional && requiresResourceVersion(scope.resource), how.converted ? stored : undefined);
  }

  patch(scope: Scope, name: string, type: PatchType, body: string, opts: WriteOptions): Obj {
    return runWithoutAdmission(this.patchSteps(scope, name, type, body, opts));
  }

  *patchSteps(scope: Scope, name: string, type: PatchType, body: string, opts: WriteOptions): WriteSteps<Obj> {
    const resource = scope.resource;
    refuseUnservedPatch(scope, type, opts);
    const current = this.state.store.get(groupResourceOf(resource), scope.namespace, name);
    if (!current && (type !== 'apply' || opts.subresource === 'status')) throw errors.notFound(scopeTarget(scope, name));
    let patched: Obj;
    try {
      // The real server types an apply configuration before it merges it: a mismatch beats any conflict.
      if (type === 'apply') requireApplyDecodable(scope, name, parsePatchBody('apply', body));
      patched = applyPatch({
        type, current: current ? this.state.present(resource, scope.version, current) : undefined, patch: body,
        fieldManager: type === 'apply' ? opts.fieldManager : undefined, force: opts.force,
        ...(resource.hooks?.listTypes?.(scope.version) ? { listTypes: resource.hooks.listTypes(scope.version) } : {}),
      }) as Obj;
    } catch (err) {
      if (err instanceof PatchError) throw patchFailure(scope, name, err);
      throw err;
    }
    if (type !== 'apply') requirePatchedDecodable(scope, patched);
    if (!current) {
      const meta = (patched.metadata ?? {}) as Obj;
      if (meta.name !== undefined && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
      patched.metadata = { ...meta, name };
      return yield* this.createSteps(scope, patched, opts, { recordManager: false });
    }
    checkTypeMeta(scope, patched);
    const meta = patched.metadata as Obj;
    if (meta.name !== name) throw errors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    this.requireNamespace(scope);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, name));
    }
    return yield* this.replace(scope, current, patched, opts, type !== 'apply');
  }

  /**
   * Turns `candidate` into the next stored state of `current`, keeping what clients may not change.
   * `refuseUnconditional`: a PUT without resourceVersion of a kind that needs one, refused once the mutating
   * webhooks ran (as there). `storedCurrent`: a converted write, `current` being the stored object in the
   * request's version.
   */
  private *replace(scope: Scope, current: Obj, candidate: Obj, opts: WriteOptions, recordManager: boolean, refuseUnconditional = false, storedCurrent?: Obj): WriteSteps<Obj> {
    const resource = scope.resource;
    let next: Obj;
    if (opts.subresource === 'status') {
      // /status ignores everything but status.
      next = { ...structuredClone(current), status: candidate.status };
    } else if (opts.subresource === 'finalize') {
      next = candidate;
      next.status = structuredClone(current.status);
    } else {
      next = candidate;
      if (resource.statusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
    }
    let meta = next.metadata as Obj;
    const old = current.metadata as Obj;
    meta.name = old.name;
    if (resource.namespaced) meta.namespace = old.namespace;
    else delete meta.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.resourceVersion = old.resourceVersion;
    if (old.deletionTimestamp !== undefined) {
      meta.deletionTimestamp = old.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
      const before = new Set<string>(old.finalizers ?? []);
      const added = (meta.finalizers ?? []).filter((f: string) => !before.has(f));
      if (added.length > 0) {
        throw invalid(scope, old.name, [{
          reason: 'FieldValueForbidden', field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        }]);
      }
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    delete meta.selfLink;
    this.decode(scope, next, opts);
    const mutated = yield { phase: 'mutate', object: next, old: current };
    if (mutated !== undefined && mutated !== next) {
      next = asObject(mutated, resource.kind, true);
      checkTypeMeta(scope, next);
      meta = next.metadata as Obj;
      Object.assign(meta, { name: old.name, uid: old.uid, creationTimestamp: old.creationTimestamp, resourceVersion: old.resourceVersion });
      if (resource.namespaced) meta.namespace = old.namespace;
    }
    if (refuseUnconditional) {
      // The real server names the resource (not the kind) here, in the message and in details.kind.
      throw new StatusError(422, 'Invalid', `${qualifiedResource(scopeTarget(scope, old.name))} "${old.name}" is invalid: metadata.resourceVersion: ${MISSING_RESOURCE_VERSION}`, {
        name: old.name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural,
        causes: [{ reason: 'FieldValueInvalid', message: MISSING_RESOURCE_VERSION, field: 'metadata.resourceVersion' }],
      });
    }
    const finalizers = opts.subresource === 'finalize' ? requestedFinalizers(candidate) : undefined;
    if (finalizers) {
      const causes = finalizerNameProblems(finalizers);
      if (causes.length > 0) throw invalid(scope, old.name, causes);
    }
    this.prepareAndValidate(scope, next, current, opts.subresource);
    if (finalizers) withSpecFinalizers(next, finalizers);
    if (!tracksGeneration(resource)) delete meta.generation;
    else {
      meta.generation = jsonEqual(generationInput(resource, next), generationInput(resource, current))
        ? old.generation ?? 1
        : (old.generation ?? 1) + 1;
    }
    const stored = recordManager ? this.withManager(scope, next, current, opts) : next;
    yield { phase: 'validate', object: stored, old: current };
    // Webhooks answer asynchronously: a write that landed meanwhile makes this one a conflict, as in etcd.
    if (this.state.store.get(groupResourceOf(resource), scope.namespace, old.name)?.metadata.resourceVersion !== old.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, old.name));
    }
    if (jsonEqual(withoutVolatile(stored), withoutVolatile(current))) return current; // a no-op write changes nothing, not even the resourceVersion
    const converted = storedCurrent ? asObject(yield { phase: 'store', object: stored, old: current }, resource.kind, true) : stored;
    // The conversion webhook answers asynchronously too.
    if (storedCurrent && this.state.store.get(groupResourceOf(resource), scope.namespace, old.name)?.metadata.resourceVersion !== old.resourceVersion) {
      throw errors.conflict(scopeTarget(scope, old.name));
    }
    if (opts.dryRun) return converted;
    const written = storeWrite(this.state, resource, converted, storedCurrent ?? current);
    if (isDeleting(written) && !removalBlocked(written)) return storeRemove(this.state, resource, written);
    return written;
  }

  private prepareAndValidate(scope: Scope, object: Obj, old: Obj | undefined, subresource?: string): void {
    const hooks = scope.resource.hooks;
    hooks?.prepare?.(object, old, scope.version);
    const causes = [...metadataProblems(object.metadata as Obj), ...(hooks?.validate?.(object, old, scope.version) ?? [])];
    if (causes.length > 0) throw invalid(scope, object.metadata?.name, causes);
    // Admission plugins such as LimitRanger look at writes of the object itself, not of its subresources.
    const refused = subresource === undefined ? hooks?.admit?.(object, old, scope.version) : undefined;
    if (refused !== undefined) throw errors.forbidden(scopeTarget(scope, object.metadata?.name), refused);
    if (scope.resource.view) replaceContents(object, scope.resource.view.toStored(object));
  }

  /**
   * What the real server does while it decodes a request body, before any webhook sees it: fieldValidation=Strict
   * refuses unknown fields, then a custom resource is pruned and defaulted with the request version's schema, a
   * built-in kind defaulted (on create also by the admission plugins that come before the webhooks).
   * (A /status write is checked on its status only: the rest comes from the stored object.)
   */
  decode(scope: Scope, object: Obj, opts: WriteOptions, creating = false): void {
    if (opts.subresource !== 'status') this.refuseUnknownFields(scope, object, opts);
    scope.resource.hooks?.decode?.(object, scope.version, creating);
  }

  /** fieldValidation=Strict: the real server answers 400 for fields the schema would prune. */
  private refuseUnknownFields(scope: Scope, object: Obj, opts: WriteOptions): void {
    if (opts.fieldValidation !== 'Strict') return;
    const unknown = scope.resource.hooks?.unknownFields?.(object, scope.version) ?? [];
    if (unknown.length === 0) return;
    throw errors.badRequest(`${scope.resource.kind} in version "${scope.version}" cannot be handled as a ${scope.resource.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      'Remove the fields the CRD schema does not declare, or send fieldValidation=Ignore to have them dropped.');
  }

  /** `next` is always the write's own object (a copy of the body or freshly built), so it is updated in place. */
  private withManager(scope: Scope, next: Obj, previous: Obj | undefined, opts: WriteOptions): Obj {
    const listTypes = scope.resource.hooks?.listTypes?.(scope.version);
    return recordUpdateOwnership({ previous, next, manager: opts.fieldManager, subresource: opts.subresource, inPlace: true, ...(listTypes ? { listTypes } : {}) }) as Obj;
  }

  private mustGet(scope: Scope, name: string): Obj {
    const found = this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name);
    if (!found) throw errors.notFound(scopeTarget(scope, name));
    return found;
  }

  /**
   * The real server's NamespaceLifecycle admission: a write to an object whose namespace is gone (left behind
   * when `finalize` removed the namespace before its content) is 404 for the namespace; deletes and reads pass.
   */
  private requireNamespace(scope: Scope): Obj | undefined {
    if (!scope.resource.namespaced || scope.namespace === undefined) return undefined;
    const ns = this.state.store.get('namespaces', undefined, scope.namespace);
    if (!ns) throw errors.notFound({ group: '', plural: 'namespaces', name: scope.namespace });
    return ns;
  }

  private requireLiveNamespace(scope: Scope, name: string): void {
    const ns = this.requireNamespace(scope)!;
    if (isDeleting(ns)) {
      throw errors.forbidden(scopeTarget(scope, name), `unable to create new content in namespace ${scope.namespace} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${scope.namespace} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }

  private refuseWhileCrdTerminating(scope: Scope): void {
    if (!scope.resource.custom) return;
    const crd = this.state.store.get('customresourcedefinitions.apiextensions.k8s.io', undefined, groupResourceOf(scope.resource));
    if (crd && isDeleting(crd)) {
      throw errors.methodNotAllowed(`create not allowed while custom resource definition ${groupResourceOf(scope.resource)} is terminating`);
    }
  }

  private uniqueGeneratedName(scope: Scope, prefix: string): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = generatedName(prefix);
      if (!this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name)) return name;
    }
    throw errors.alreadyExists(scopeTarget(scope, `${prefix}*`));
  }
}

function replaceContents(target: Obj, source: Obj): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

/** The object less what a no-op write may still change; a new owner in managedFields is a change (times are not). */
function withoutVolatile(object: Obj): Obj {
  const { resourceVersion: _rv, managedFields, ...meta } = object.metadata as Obj;
  const owners = Array.isArray(managedFields) ? managedFields.map(({ time: _time, ...entry }: Obj) => entry) : undefined;
  return { ...object, metadata: { ...meta, managedFields: owners } };
}

/** A PatchError as the Status the real server answers. */
export function patchFailure(scope: Scope, name: string, err: PatchError): StatusError {
  const causes = err.causes.map((c) => ({ reason: c.type, message: c.message, ...(c.field ? { field: c.field } : {}) }));
  if (err.status === 409) {
    const status = errors.conflict(scopeTarget(scope, name), err.message);
    return new StatusError(409, 'Conflict', status.message, { ...status.details, causes }, err.hint);
  }
  if (err.status === 422) return errors.invalid(scopeTarget(scope, name), causes.length > 0 ? causes : [{ reason: 'FieldValueInvalid', message: err.message }]);
  if (err.status === 404) return errors.notFound(scopeTarget(scope, name));
  if (err.status === 415) return errors.unsupportedMediaType(err.message);
  return new StatusError(400, 'BadRequest', err.message, causes.length > 0 ? { causes } : undefined, err.hint);
}
