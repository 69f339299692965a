import { PatchError } from './errors.js';
import { cloneJson, deepEqual, isPlainObject, type JsonObject } from './json-values.js';
import { describe } from './merge-patch.js';
import { listStrategyFor, mergeKeyOf, type ListStrategy } from './merge-keys.js';

/**
 * Strategic merge patch for the built-in kinds' common cases: a JSON merge patch in which lists with a
 * known merge key merge item by item (see merge-keys.ts), `finalizers` merge as a set, and the directives
 * `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured. Every other list is replaced, like an atomic list.
 */
export function applyStrategicMergePatch(current: object, patch: unknown): object {
  if (!isPlainObject(patch)) {
    throw new PatchError(400, `a strategic merge patch must be a JSON object, got ${describe(patch)}`, {
      hint: 'Send an object such as {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"x:2"}]}}}}.',
    });
  }
  const merged = mergeObject(current as JsonObject, patch);
  if (merged === DELETE) throw new PatchError(422, 'a strategic merge patch cannot delete the whole object', { hint: 'Use DELETE instead.' });
  return merged;
}

const DELETE = Symbol('delete');

function directiveError(message: string): PatchError {
  return new PatchError(400, message, { hint: 'Valid directives: $patch: merge|replace|delete, $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>.' });
}

function mergeObject(original: unknown, patch: JsonObject): JsonObject | typeof DELETE {
  const directive = patch.$patch;
  if (directive !== undefined && directive !== 'merge' && directive !== 'replace' && directive !== 'delete') {
    throw directiveError(`unknown $patch directive ${JSON.stringify(directive)}`);
  }
  if (directive === 'delete') return DELETE;
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;

  const result: JsonObject = isPlainObject(original) ? { ...original } : {};
  const retainKeys = patch.$retainKeys;
  if (retainKeys !== undefined) {
    if (!Array.isArray(retainKeys) || !retainKeys.every((k) => typeof k === 'string')) throw directiveError('$retainKeys must be a list of field names');
    for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  }
  const orders: Array<[string, unknown]> = [];
  const removals: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      removals.push([key.slice('$deleteFromPrimitiveList/'.length), value]);
      continue;
    }
    if (key.startsWith('$')) throw directiveError(`unknown directive key ${JSON.stringify(key)}`);
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeField(result[key], value, key);
    if (merged === DELETE) delete result[key];
    else result[key] = merged;
  }
  for (const [field, values] of removals) {
    if (!Array.isArray(values)) throw directiveError(`$deleteFromPrimitiveList/${field} must be a list`);
    if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((item) => !values.some((v) => deepEqual(v, item)));
  }
  for (const [field, order] of orders) {
    if (!Array.isArray(order)) throw directiveError(`$setElementOrder/${field} must be a list`);
    if (Array.isArray(result[field])) result[field] = reorder(result[field] as unknown[], order, listStrategyFor(field, order));
  }
  return result;
}

function mergeField(original: unknown, patch: unknown, fieldName: string): unknown {
  if (Array.isArray(patch)) {
    const originalItems = Array.isArray(original) ? original : [];
    const strategy = listStrategyFor(fieldName, [...patch, ...originalItems]);
    if (strategy?.kind === 'map') return mergeKeyedList(originalItems, patch, strategy.keys, fieldName);
    if (strategy?.kind === 'set') return [...originalItems, ...patch.filter((item) => !originalItems.some((o) => deepEqual(o, item)))];
    return stripDirectives(patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace')));
  }
  if (isPlainObject(patch)) return mergeObject(original, patch);
  return cloneJson(patch);
}

function mergeKeyedList(original: unknown[], patch: unknown[], keys: readonly string[], fieldName: string): unknown[] {
  const replaceAll = patch.some((item) => isPlainObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1);
  const items = patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1));
  const result = replaceAll ? [] : original.map((item) => item);
  for (const item of items) {
    const key = mergeKeyOf(item, keys);
    if (key === undefined) {
      throw new PatchError(400, `${fieldName}: list item ${JSON.stringify(item)} does not contain declared merge key: ${keys[0]}`, {
        hint: `Every item of ${fieldName} in a strategic merge patch must carry "${keys[0]}".`,
      });
    }
    const index = result.findIndex((existing) => deepEqual(mergeKeyOf(existing, keys), key));
    const patchItem = item as JsonObject;
    if (patchItem.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const merged = mergeObject(index >= 0 ? result[index] : undefined, patchItem);
    if (merged === DELETE) continue;
    if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

/** Orders the items named in `order` as listed; items the order does not name keep their relative order after them. */
function reorder(items: unknown[], order: unknown[], strategy: ListStrategy | undefined): unknown[] {
  const matches = (item: unknown, entry: unknown): boolean =>
    strategy?.kind === 'map' ? deepEqual(mergeKeyOf(item, strategy.keys), mergeKeyOf(entry, strategy.keys)) : deepEqual(item, entry);
  const ordered: unknown[] = [];
  for (const entry of order) {
    const found = items.find((item) => matches(item, entry) && !ordered.includes(item));
    if (found !== undefined) ordered.push(found);
  }
  return [...ordered, ...items.filter((item) => !ordered.includes(item))];
}

/** Removes directive keys and null values from a value that replaces rather than merges. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return cloneJson(value);
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$') || child === null) continue;
    result[key] = stripDirectives(child);
  }
  return result;
}
