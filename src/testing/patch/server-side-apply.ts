import { PatchError, type PatchErrorCause } from './errors.js';
import { FieldSet, fieldsOf, formatPath, isItemPath, removeAt, valueAt, type FieldPath } from './field-set.js';
import { cloneJson, deepEqual, isPlainObject, type JsonObject } from './json-values.js';
import { readManagedFields, managedTime, sameEntry, writeManagedFields, type ManagedEntry } from './managed-fields.js';
import { mergeKeyOf, resolveListStrategy, type ListTypeLookup } from './merge-keys.js';
import { describe } from './merge-patch.js';

/**
 * Server-side apply, sized for a controller that applies its child objects with a field manager.
 *
 * What it does: creates the object when absent; otherwise merges the applied intent into the live object
 * (objects field by field, keyed lists item by item, `finalizers` as a set, other lists replaced whole),
 * removes fields this manager applied before but no longer sets (unless another manager also owns them),
 * records ownership in metadata.managedFields (operation Apply, FieldsV1), and answers 409 Conflict when a
 * field owned by another manager would change value, unless `force` (which takes the field over).
 *
 * Simplified compared with the real server: list semantics come from the built-in field-name table in
 * merge-keys.ts unless the caller passes `listTypes` (listTypesFromSchema(crdSchema) for custom resources); no version conversion of managed fields; null in the intent means "not set"; apiVersion/kind/name come from the intent unchecked (the
 * server compares them with the URL).
 */
export interface ServerSideApplyInput {
  current: object | undefined;
  intent: unknown;
  fieldManager: string | undefined;
  force?: boolean;
  now?: Date;
  /** List semantics of the kind (listTypesFromSchema for custom resources); default: the built-in table. */
  listTypes?: ListTypeLookup;
}

/** Metadata the server owns; an applier's values for them are ignored (resourceVersion is checked instead). */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

export function serverSideApply(input: ServerSideApplyInput): object {
  const manager = input.fieldManager;
  if (manager === undefined || manager.trim() === '') {
    throw new PatchError(422, 'fieldManager: Required value: is required for apply patch', {
      hint: 'Add ?fieldManager=<your-controller-name> to the request (kubectl: --server-side --field-manager=NAME).',
    });
  }
  const intent = checkIntent(input.intent);
  const now = input.now ?? new Date();
  const applied = fieldsOf(intent, input.listTypes);

  if (input.current === undefined) {
    const created = cloneJson(intent);
    delete (created.metadata as JsonObject).resourceVersion;
    writeManagedFields(created, [{ manager, operation: 'Apply', apiVersion: intent.apiVersion as string, time: managedTime(now), fields: applied }]);
    return created;
  }

  const current = input.current as JsonObject;
  checkResourceVersion(current, intent);
  const entries = readManagedFields(current);
  const mine = entries.find((entry) => sameEntry(entry, manager, 'Apply'));
  const others = entries.filter((entry) => entry !== mine);

  const conflicts = findConflicts(current, intent, applied, others);
  if (conflicts.length > 0 && !input.force) throw conflictError(conflicts);
  for (const { path, entry } of conflicts) entry.fields.delete(path);

  const result = mergeIntent(current, intent, [], input.listTypes) as JsonObject;
  const dropped = mine ? mine.fields.minus(applied) : new FieldSet();
  // Shallowest first: a removed list item takes its fields with it.
  for (const path of [...dropped].sort((a, b) => a.length - b.length)) {
    if (others.some((entry) => entry.fields.hasUnder(path)) || isMergeKeyField(path)) continue;
    removeAt(result, path);
    pruneEmptiedParents(result, path, [...others.map((entry) => entry.fields), applied]);
  }

  const nextEntries: ManagedEntry[] = [
    ...others,
    { manager, operation: 'Apply', apiVersion: intent.apiVersion as string, time: managedTime(now), fields: applied },
  ];
  if (mine) nextEntries.splice(entries.indexOf(mine), 0, nextEntries.pop()!);
  writeManagedFields(result, nextEntries);
  return result;
}

/** The key fields of a list item stay as long as the item does (they identify it). */
function isMergeKeyField(path: FieldPath): boolean {
  const parent = path[path.length - 2];
  if (parent === undefined || !parent.startsWith('k:')) return false;
  try {
    const key = JSON.parse(parent.slice(2)) as unknown;
    return isPlainObject(key) && Object.prototype.hasOwnProperty.call(key, path[path.length - 1]!.slice(2));
  } catch {
    return false;
  }
}

/** Removing a field can leave its parent map empty (labels: {}); drop such parents unless someone owns them as such. */
function pruneEmptiedParents(object: JsonObject, removed: FieldPath, owners: FieldSet[]): void {
  for (let depth = removed.length - 1; depth > 0; depth--) {
    const parentPath = removed.slice(0, depth);
    if (!parentPath[parentPath.length - 1]!.startsWith('f:')) return;
    const parent = valueAt(object, parentPath);
    if (!parent.found || !isPlainObject(parent.value) || Object.keys(parent.value).length > 0) return;
    if (owners.some((fields) => fields.hasUnder(parentPath))) return;
    removeAt(object, parentPath);
  }
}

function checkIntent(raw: unknown): JsonObject {
  if (!isPlainObject(raw)) {
    throw new PatchError(400, `an apply patch must be a YAML or JSON object, got ${describe(raw)}`, {
      hint: 'Send the full intended object: apiVersion, kind, metadata.name and the fields you manage.',
    });
  }
  if (typeof raw.apiVersion !== 'string' || raw.apiVersion === '' || typeof raw.kind !== 'string' || raw.kind === '') {
    throw new PatchError(400, 'an apply patch must set apiVersion and kind', {
      hint: 'Server-side apply takes the whole intent object, e.g. apiVersion: v1, kind: ConfigMap, metadata: {name: x}.',
    });
  }
  const intent = stripNulls(raw) as JsonObject;
  const metadata = isPlainObject(intent.metadata) ? intent.metadata : {};
  const resourceVersion = metadata.resourceVersion;
  for (const key of SERVER_METADATA) delete metadata[key];
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  intent.metadata = metadata;
  return intent;
}

function checkResourceVersion(current: JsonObject, intent: JsonObject): void {
  const wanted = (intent.metadata as JsonObject).resourceVersion;
  delete (intent.metadata as JsonObject).resourceVersion;
  const actual = isPlainObject(current.metadata) ? current.metadata.resourceVersion : undefined;
  if (wanted !== undefined && wanted !== actual) {
    throw new PatchError(409, `Operation cannot be fulfilled: the object has been modified (applied resourceVersion ${JSON.stringify(wanted)}, current ${JSON.stringify(actual)}); please apply your changes to the latest version and try again`, {
      hint: 'Leave metadata.resourceVersion out of apply intents, or read the object again.',
    });
  }
}

interface Conflict {
  path: FieldPath;
  entry: ManagedEntry;
}

function findConflicts(current: JsonObject, intent: JsonObject, applied: FieldSet, others: ManagedEntry[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const path of applied) {
    if (isItemPath(path)) continue; // owning a list item together is fine; its fields are compared one by one
    const before = valueAt(current, path);
    if (!before.found || deepEqual(before.value, valueAt(intent, path).value)) continue;
    for (const entry of others) if (entry.fields.has(path)) conflicts.push({ path, entry });
  }
  return conflicts;
}

function conflictError(conflicts: Conflict[]): PatchError {
  const causes: PatchErrorCause[] = conflicts.map(({ path, entry }) => ({
    type: 'FieldManagerConflict',
    message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion ?? 'v1'}` : ''}`,
    field: formatPath(path),
  }));
  const lines = causes.map((cause) => `- ${cause.message}: ${cause.field}`).join('\n');
  const noun = conflicts.length === 1 ? 'conflict' : 'conflicts';
  return new PatchError(409, `Apply failed with ${conflicts.length} ${noun}:\n${lines}`, {
    causes,
    hint: 'Stop setting these fields, or apply with force=true (kubectl: --force-conflicts) to take them over.',
  });
}

/** Merges the intent into the live value: objects by field, keyed lists by key, sets by value, the rest replaced. */
function mergeIntent(live: unknown, intent: unknown, names: readonly string[], listTypes: ListTypeLookup | undefined): unknown {
  if (isPlainObject(intent)) {
    const result: JsonObject = isPlainObject(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(intent)) result[key] = mergeIntent(result[key], value, [...names, key], listTypes);
    return result;
  }
  if (Array.isArray(intent)) {
    const liveItems = Array.isArray(live) ? live : [];
    const strategy = resolveListStrategy(listTypes, names, [...intent, ...liveItems]);
    if (strategy?.kind === 'set') return [...liveItems, ...intent.filter((item) => !liveItems.some((l) => deepEqual(l, item)))];
    if (strategy?.kind === 'map' && intent.every((item) => mergeKeyOf(item, strategy.keys) !== undefined)) {
      const result = [...liveItems];
      for (const item of intent) {
        const key = mergeKeyOf(item, strategy.keys);
        const index = result.findIndex((existing) => deepEqual(mergeKeyOf(existing, strategy.keys), key));
        if (index >= 0) result[index] = mergeIntent(result[index], item, names, listTypes);
        else result.push(cloneJson(item));
      }
      return result;
    }
  }
  return cloneJson(intent);
}

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (!isPlainObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) result[key] = stripNulls(child);
  return result;
}
