import { applyPatch, PatchError, type PatchType } from '../patch/index.js';
import type { ScalePaths } from './builtin-kinds-table.js';
import { groupResourceOf, type Obj, type ServedResource } from './registry.js';
import { scopeTarget, type ApiState, type Scope, type WriteOptions } from './state.js';
import { errors, StatusError } from './status.js';
import type { Writer } from './writes.js';

/** The scale subresource (autoscaling/v1 Scale) of Deployments, StatefulSets, ReplicaSets and scalable CRDs. */

/** A CRD's `subresources.scale` per served version. */
export function crdScalePaths(versions: Obj[]): Map<string, ScalePaths> | undefined {
  const out = new Map<string, ScalePaths>();
  for (const v of versions) {
    const scale = v.subresources?.scale as Obj | undefined;
    if (!scale || typeof scale.specReplicasPath !== 'string' || typeof scale.statusReplicasPath !== 'string') continue;
    out.set(v.name as string, {
      specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath,
      ...(typeof scale.labelSelectorPath === 'string' ? { labelSelectorPath: scale.labelSelectorPath } : {}),
    });
  }
  return out.size > 0 ? out : undefined;
}

const UNSET_REPLICAS = -2147483648;

function pathParts(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function readAt(object: Obj, path: string): unknown {
  let at: unknown = object;
  for (const key of pathParts(path)) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Obj)[key];
  }
  return at;
}

function writeAt(object: Obj, path: string, value: unknown): void {
  const keys = pathParts(path);
  let at = object;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object' || Array.isArray(at[key])) at[key] = {};
    at = at[key] as Obj;
  }
  at[keys[keys.length - 1]!] = value;
}

/** A LabelSelector object in the string form the real server puts in Scale.status.selector. */
export function formatLabelSelector(selector: unknown): string {
  if (typeof selector === 'string') return selector;
  if (selector === null || typeof selector !== 'object') return '';
  const s = selector as Obj;
  const terms: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries((s.matchLabels ?? {}) as Obj)) terms.push({ key, text: `${key}=${String(value)}` });
  for (const e of (Array.isArray(s.matchExpressions) ? s.matchExpressions : []) as Obj[]) {
    const key = String(e.key);
    const values = [...((e.values ?? []) as unknown[]).map(String)].sort();
    const text = e.operator === 'In' ? `${key} in (${values.join(',')})`
      : e.operator === 'NotIn' ? `${key} notin (${values.join(',')})`
      : e.operator === 'Exists' ? key
      : e.operator === 'DoesNotExist' ? `!${key}` : `${key} ${String(e.operator)} (${values.join(',')})`;
    terms.push({ key, text });
  }
  return terms.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((t) => t.text).join(',');
}

function integerAt(object: Obj, path: string): number | undefined {
  const value = readAt(object, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The Scale the real server derives from an object (spec.replicas and status.selector are omitempty: 0 and '' are left out). */
export function scaleOf(object: Obj, paths: ScalePaths): Obj {
  const meta = object.metadata as Obj;
  const specReplicas = integerAt(object, paths.specReplicasPath) ?? 0;
  const selector = paths.labelSelectorPath ? formatLabelSelector(readAt(object, paths.labelSelectorPath)) : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name, ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}), uid: meta.uid,
      resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp,
    },
    spec: specReplicas === 0 ? {} : { replicas: specReplicas },
    status: { replicas: integerAt(object, paths.statusReplicasPath) ?? 0, ...(selector === '' ? {} : { selector }) },
  };
}

/** Serves GET, PUT and PATCH on `.../{name}/scale`. */
export class ScaleEndpoint {
  constructor(private readonly state: ApiState, private readonly writer: Writer) {}

  get(scope: Scope, name: string): Obj {
    const object = this.mustGet(scope, name);
    const paths = this.pathsOf(scope);
    if (scope.resource.custom && integerAt(object, paths.specReplicasPath) === undefined) {
      throw errors.internal(`the spec replicas field ${JSON.stringify(paths.specReplicasPath)} does not exist`);
    }
    return scaleOf(object, paths);
  }

  update(scope: Scope, name: string, body: unknown, opts: WriteOptions): Obj {
    const current = this.mustGet(scope, name);
    return this.store(scope, current, asScale(body), opts);
  }

  patch(scope: Scope, name: string, type: PatchType, body: string, opts: WriteOptions): Obj {
    const current = this.mustGet(scope, name);
    const paths = this.pathsOf(scope);
    const before = scaleOf(current, paths);
    // A custom resource without replicas yet: the patch has to set them (the real server marks them unset).
    const replicasMissing = scope.resource.custom && integerAt(current, paths.specReplicasPath) === undefined;
    if (replicasMissing) before.spec.replicas = UNSET_REPLICAS;
    let patched: Obj;
    try {
      patched = applyPatch({ type, current: before, patch: body, fieldManager: type === 'apply' ? opts.fieldManager : undefined, force: opts.force }) as Obj;
    } catch (err) {
      if (err instanceof PatchError) throw new StatusError(err.status === 422 ? 422 : 400, err.status === 422 ? 'Invalid' : 'BadRequest', err.message, undefined, err.hint);
      throw err;
    }
    if (replicasMissing && patched.spec?.replicas === UNSET_REPLICAS) {
      throw errors.badRequest(`the spec replicas field ${JSON.stringify(paths.specReplicasPath)} cannot be empty`);
    }
    return this.store(scope, current, asScale(patched), opts);
  }

  /** Moves the Scale's replicas into the object and writes it like an update of the object itself. */
  private store(scope: Scope, current: Obj, scale: Obj, opts: WriteOptions): Obj {
    const resource = scope.resource;
    const paths = this.pathsOf(scope);
    const meta = current.metadata as Obj;
    const replicas = scale.spec?.replicas ?? 0;
    const scaleTarget = this.scaleTarget(resource, meta.name as string);
    if (!Number.isInteger(replicas)) throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: spec.replicas must be an integer, got ${JSON.stringify(replicas)}`);
    if (!resource.custom) {
      if (scale.metadata?.uid && scale.metadata.uid !== meta.uid) {
        throw errors.conflict(scaleTarget, `Precondition failed: UID in precondition: ${scale.metadata.uid}, UID in object meta: ${meta.uid}`);
      }
      if (replicas < 0) {
        throw errors.invalid({ group: 'autoscaling', plural: 'scales', kind: 'Scale', name: meta.name }, [
          { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` },
        ]);
      }
    } else if (replicas < 0) {
      throw errors.invalid(scopeTarget(scope, meta.name), [
        { reason: 'FieldValueInvalid', field: paths.specReplicasPath, message: `Invalid value: ${replicas}: should be a non-negative integer` },
      ]);
    }
    const next = structuredClone(current);
    writeAt(next, paths.specReplicasPath, replicas);
    const rv = scale.metadata?.resourceVersion;
    (next.metadata as Obj).resourceVersion = typeof rv === 'string' && rv !== '' ? rv : meta.resourceVersion;
    const written = this.writer.update(scope, meta.name as string, this.state.present(resource, scope.version, next), opts);
    return scaleOf(written, paths);
  }

  private pathsOf(scope: Scope): ScalePaths {
    return scope.resource.scale!.get(scope.version)!;
  }

  /** Built-in kinds name the subresource in their NotFound (`deployments/scale.apps`); custom resources do not. */
  private scaleTarget(resource: ServedResource, name: string) {
    return resource.custom ? { group: resource.group, plural: resource.plural, name } : { group: resource.group, plural: `${resource.plural}/scale`, name };
  }

  private mustGet(scope: Scope, name: string): Obj {
    const found = this.state.store.get(groupResourceOf(scope.resource), scope.namespace, name);
    if (!found) throw errors.notFound(this.scaleTarget(scope.resource, name));
    return found;
  }
}

function asScale(body: unknown): Obj {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be a JSON object (an autoscaling/v1 Scale)');
  const scale = body as Obj;
  if (scale.kind !== undefined && scale.kind !== '' && scale.kind !== 'Scale') {
    throw errors.badRequest(`the kind in the data (${String(scale.kind)}) does not match the expected kind (Scale)`);
  }
  return scale;
}
