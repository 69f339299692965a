import { createdFieldsV1 } from './created-fields.js';
import { FieldSet, fieldsOf, isItemPath, valueAt } from './field-set.js';
import { deepEqual, isPlainObject, type JsonObject } from './json-values.js';
import type { ListTypeLookup } from './merge-keys.js';
import { zeroValueNodes } from './zero-value-nodes.js';

/** One `metadata.managedFields` entry with its field set decoded. */
export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

export function readManagedFields(object: unknown): ManagedEntry[] {
  const metadata = isPlainObject(object) ? object.metadata : undefined;
  const raw = isPlainObject(metadata) ? metadata.managedFields : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isPlainObject).map((entry) => ({
    manager: typeof entry.manager === 'string' ? entry.manager : '',
    operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : undefined,
    time: typeof entry.time === 'string' ? entry.time : undefined,
    subresource: typeof entry.subresource === 'string' && entry.subresource !== '' ? entry.subresource : undefined,
    fields: FieldSet.fromFieldsV1(entry.fieldsV1),
  }));
}

/**
 * Writes entries back as managedFields, dropping the ones that own nothing, in the server's order:
 * by operation (Apply before Update), then time (whole seconds), manager, apiVersion and subresource.
 */
export function writeManagedFields(object: JsonObject, entries: ManagedEntry[]): void {
  const metadata = (isPlainObject(object.metadata) ? object.metadata : (object.metadata = {})) as JsonObject;
  const kept = entries.filter((entry) => entry.fields.size > 0).sort(compareEntries);
  if (kept.length === 0) {
    delete metadata.managedFields;
    return;
  }
  metadata.managedFields = kept.map((entry) => {
    const out: JsonObject = { manager: entry.manager, operation: entry.operation };
    if (entry.apiVersion !== undefined) out.apiVersion = entry.apiVersion;
    if (entry.time !== undefined) out.time = entry.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = entry.fields.toFieldsV1();
    if (entry.subresource !== undefined) out.subresource = entry.subresource;
    return out;
  });
}

function compareEntries(a: ManagedEntry, b: ManagedEntry): number {
  const seconds = (entry: ManagedEntry) => (entry.time === undefined ? 0 : Math.floor(Date.parse(entry.time) / 1000) || 0);
  const keys: Array<[string | number, string | number]> = [
    [a.operation, b.operation],
    [seconds(a), seconds(b)],
    [a.manager, b.manager],
    [a.apiVersion ?? '', b.apiVersion ?? ''],
    [a.subresource ?? '', b.subresource ?? ''],
  ];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

let lastSecond = NaN;
let lastText = '';

/** RFC 3339 with whole seconds, the precision managedFields times have on a real server. */
export function managedTime(now: Date): string {
  // Every write stamps one; formatting once per second keeps it out of a busy server's profile.
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = now.toISOString().replace(/\.\d+Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

export function sameEntry(entry: ManagedEntry, manager: string, operation: 'Apply' | 'Update', subresource?: string): boolean {
  return entry.manager === manager && entry.operation === operation && entry.subresource === subresource;
}

export interface RecordUpdateInput {
  /** The object before the write; undefined on create. */
  previous: object | undefined;
  /** The object about to be stored; its managedFields are replaced in the returned copy. */
  next: object;
  manager: string;
  subresource?: string;
  now?: Date;
  /** List semantics of the kind (listTypesFromSchema for custom resources); default: the built-in table. */
  listTypes?: ListTypeLookup;
  /** `next` is the caller's own fresh object: write managedFields into it instead of into a copy. */
  inPlace?: boolean;
}

/**
 * Ownership bookkeeping for a non-apply write (create, update, merge/JSON/strategic patch): every field the
 * write changed or added now belongs to `manager` with operation Update and is taken away from the others
 * (updates never conflict); fields the write removed are dropped from every entry. Containers the write
 * makes appear (a new `spec` map, a new labels map, a new keyed list) are owned too, which fieldsV1 shows
 * as `".": {}`. Returns a copy of `next`.
 */
export function recordUpdateOwnership(input: RecordUpdateInput): object {
  const next = (input.inPlace ? input.next : structuredClone(input.next)) as JsonObject;
  if (input.previous === undefined && !hasManagedFields(next)) {
    recordCreate(next, input);
    return next;
  }
  const entries = readManagedFields(input.previous ?? next);
  const nextNodes = new FieldSet();
  const nextFields = fieldsOf(next, input.listTypes, nextNodes);
  const zero = zeroValueNodes(next.apiVersion, next.kind);
  const changed = [...nextFields].filter((path) => {
    const before = valueAt(input.previous, path);
    if (!before.found) return true;
    // A keyed list item itself changes hands only when it appears; its fields are tracked one by one.
    return !isItemPath(path) && !deepEqual(before.value, valueAt(next, path).value);
  });
  const appeared = [...nextNodes].filter((path) => !zero.has(path) && !valueAt(input.previous, path).found);
  for (const entry of entries) {
    for (const path of [...entry.fields]) if (!nextFields.has(path) && !nextNodes.has(path)) entry.fields.delete(path);
    for (const path of changed) entry.fields.delete(path);
  }
  changed.push(...appeared);
  if (changed.length > 0) {
    let mine = entries.find((entry) => sameEntry(entry, input.manager, 'Update', input.subresource));
    if (!mine) {
      mine = { manager: input.manager, operation: 'Update', subresource: input.subresource, fields: new FieldSet() };
      entries.push(mine);
    }
    for (const path of changed) mine.fields.add(path);
    mine.apiVersion = typeof next.apiVersion === 'string' ? next.apiVersion : mine.apiVersion;
    mine.time = managedTime(input.now ?? new Date());
  }
  writeManagedFields(next, entries);
  return next;
}

function hasManagedFields(object: JsonObject): boolean {
  const metadata = object.metadata;
  return isPlainObject(metadata) && Array.isArray(metadata.managedFields) && metadata.managedFields.length > 0;
}

/** A create whose body names no owners: one Update entry owning everything the object sets, built in one walk. */
function recordCreate(next: JsonObject, input: RecordUpdateInput): void {
  const metadata = (isPlainObject(next.metadata) ? next.metadata : (next.metadata = {})) as JsonObject;
  const fieldsV1 = createdFieldsV1(next, input.listTypes, zeroValueNodes(next.apiVersion, next.kind));
  if (fieldsV1 === undefined) {
    delete metadata.managedFields;
    return;
  }
  const entry: JsonObject = { manager: input.manager, operation: 'Update' };
  if (typeof next.apiVersion === 'string') entry.apiVersion = next.apiVersion;
  entry.time = managedTime(input.now ?? new Date());
  entry.fieldsType = 'FieldsV1';
  entry.fieldsV1 = fieldsV1;
  if (input.subresource !== undefined) entry.subresource = input.subresource;
  metadata.managedFields = [entry];
}
