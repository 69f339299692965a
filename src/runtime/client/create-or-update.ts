import type { KubernetesObject } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { OperatorTsError, ValidationError } from '../../errors.js';
import type { ResourceType } from '../resource.js';
import type { Client } from './client.js';
import { createMergePatch, toJson } from './merge-patch.js';
import { objectKeyOf, type ObjectKey } from './object-key.js';

/**
 * What createOrUpdate/createOrPatch did, spelled as controllerutil.OperationResult's values:
 * 'unchanged' (nothing written), 'created', 'updated' (object, and for createOrUpdate its status too if the
 * kind has no status subresource), 'updatedStatus' (object and status patched), 'updatedStatusOnly'.
 */
export type OperationResult = 'unchanged' | 'created' | 'updated' | 'updatedStatus' | 'updatedStatusOnly';

/** Changes the object in place to the desired state; called with the current object, or the given one if absent. */
export type MutateFn<T> = (obj: T) => void | Promise<void>;

/** Where createOrUpdate/createOrPatch read the current object from. */
export interface ObjectGetter {
  get<T extends KubernetesObject>(rt: ResourceType<T>, key: ObjectKey): Promise<T | undefined>;
}

export interface CreateOrUpdateOptions {
  /**
   * Where the current object is read. Default: the client, i.e. the shared cache, as controllerutil reads
   * through the manager's client. A stale read costs one 409 Conflict, retried by the controller; pass
   * `client.apiReader` to read from the API server instead.
   */
  reader?: ObjectGetter;
}

/** The mutate function changed the object's name or namespace, which would write a different object. */
export class MutateKeyChangedError extends OperatorTsError {
  constructor(kind: string, before: ObjectKey, after: ObjectKey) {
    super('EMUTATEKEY', `the mutate function of createOrUpdate changed the ${kind}'s key from ${formatKey(before)} to ${formatKey(after)}; it must not change name or namespace`, {
      hint: 'set metadata.name and metadata.namespace before the call and leave them alone in mutate; to write another object, call createOrUpdate for it',
    });
  }
}

/**
 * controllerutil.CreateOrUpdate: reads the object named by `obj`'s namespace and name; if it is absent,
 * calls `mutate(obj)` and creates it; otherwise copies the current object into `obj`, calls `mutate(obj)`
 * and updates it only when the whole object changed (deep equality), with the resourceVersion that was
 * read, so a concurrent change surfaces as a 409 ConflictError for the controller to retry. `obj` is
 * left holding what the server answered (or the current object when nothing was written).
 */
export async function createOrUpdate<T extends KubernetesObject>(
  client: Client,
  rt: ResourceType<T>,
  obj: T,
  mutate: MutateFn<T>,
  opts: CreateOrUpdateOptions = {},
): Promise<OperationResult> {
  const mutated = await mutateOrCreate(client, rt, obj, mutate, opts);
  if (mutated === undefined) return 'created';
  if (isDeepStrictEqual(mutated.before, toJson(obj))) return 'unchanged';
  replaceContents(obj, await client.update(rt, obj));
  return 'updated';
}

/**
 * controllerutil.CreateOrPatch: as createOrUpdate, but writes a JSON merge patch of what mutate changed
 * outside `.status` (no resourceVersion precondition, as controller-runtime's MergeFrom) and, when
 * `.status` changed, a second merge patch to the status subresource. Returns 'updated', 'updatedStatus'
 * (both) or 'updatedStatusOnly'. On create, the status mutate set is not written (the server drops it).
 */
export async function createOrPatch<T extends KubernetesObject>(
  client: Client,
  rt: ResourceType<T>,
  obj: T,
  mutate: MutateFn<T>,
  opts: CreateOrUpdateOptions = {},
): Promise<OperationResult> {
  const mutated = await mutateOrCreate(client, rt, obj, mutate, opts);
  if (mutated === undefined) return 'created';
  const { key } = mutated;
  const { status: beforeStatus, ...before } = mutated.before;
  const { status: afterStatus, ...after } = toJson(obj) as Record<string, unknown>;

  let result: OperationResult = 'unchanged';
  const patch = createMergePatch(before, after);
  if (Object.keys(patch).length > 0) {
    replaceContents(obj, await client.patch<T>(rt, key.namespace ?? '', key.name, patch));
    result = 'updated';
  }
  if (!isDeepStrictEqual(beforeStatus, afterStatus)) {
    const statusPatch = isRecord(beforeStatus) && isRecord(afterStatus) ? createMergePatch(beforeStatus, afterStatus) : (afterStatus ?? null);
    replaceContents(obj, await client.patch<T>(rt, key.namespace ?? '', key.name, { status: statusPatch }, { status: true }));
    result = result === 'updated' ? 'updatedStatus' : 'updatedStatusOnly';
  }
  return result;
}

/**
 * The read-then-mutate step both share: when the object is absent, mutates and creates it (undefined);
 * otherwise copies the current object into `obj`, mutates it and returns the key and the object as read.
 */
async function mutateOrCreate<T extends KubernetesObject>(
  client: Client,
  rt: ResourceType<T>,
  obj: T,
  mutate: MutateFn<T>,
  opts: CreateOrUpdateOptions,
): Promise<{ key: ObjectKey; before: Record<string, unknown> } | undefined> {
  const key = requireKey(rt, obj);
  const current = await (opts.reader ?? client).get(rt, key);
  if (current === undefined) {
    await runMutate(rt, key, obj, mutate);
    replaceContents(obj, await client.create(rt, obj));
    return undefined;
  }
  replaceContents(obj, current);
  const before = toJson(current) as Record<string, unknown>;
  await runMutate(rt, key, obj, mutate);
  return { key, before };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function requireKey(rt: ResourceType<KubernetesObject>, obj: KubernetesObject): ObjectKey {
  if (obj === null || typeof obj !== 'object') {
    throw new ValidationError(`createOrUpdate needs a ${rt.kind} object, got ${JSON.stringify(obj)}`, { hint: "pass e.g. { metadata: { name: 'my-object', namespace: 'ns' } }" });
  }
  const key = objectKeyOf(obj);
  if (!key.name) {
    throw new ValidationError(`createOrUpdate needs the ${rt.kind}'s metadata.name to find it, but it is empty`, {
      hint: 'set metadata.name (generateName cannot be used: the object must be found again on the next reconcile)',
    });
  }
  if (rt.namespaced && !key.namespace) {
    throw new ValidationError(`${rt.kind} "${key.name}" is namespaced but has no metadata.namespace`, { hint: 'set metadata.namespace, usually to the owner\'s namespace' });
  }
  return rt.namespaced ? key : { name: key.name };
}

async function runMutate<T extends KubernetesObject>(rt: ResourceType<T>, key: ObjectKey, obj: T, mutate: MutateFn<T>): Promise<void> {
  await mutate(obj);
  const after = objectKeyOf(obj);
  if (after.name !== key.name || (rt.namespaced && after.namespace !== key.namespace)) throw new MutateKeyChangedError(rt.kind, key, after);
}

/** Makes `target` hold exactly `source`'s members, so the caller's reference sees the new state (as Go fills obj). */
function replaceContents(target: object, source: object): void {
  for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, structuredClone(source));
}

function formatKey(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}
