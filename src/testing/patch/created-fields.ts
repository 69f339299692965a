import { OWNABLE_METADATA, type FieldSet } from './field-set.js';
import { isPlainObject, type JsonObject } from './json-values.js';
import { mergeKeyOf, resolveListStrategy, type ListTypeLookup } from './merge-keys.js';

/**
 * The fieldsV1 a create records for its manager, built in one walk of the new object: every path
 * fieldsOf() yields, plus the containers that appear (all but the kind's zero-value nodes), with `"."`
 * first in an owned node that has children. It equals what recordUpdateOwnership writes for a create
 * with no managedFields in the body, without building the path set and re-reading it into a tree
 * (most of a create's cost). Undefined when the object sets no ownable field.
 */
export function createdFieldsV1(object: JsonObject, listTypes: ListTypeLookup | undefined, zero: FieldSet): JsonObject | undefined {
  const root: JsonObject = {};
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (key === 'apiVersion' || key === 'kind' || value === null || value === undefined) continue;
    if (key === 'metadata' && isPlainObject(value)) {
      for (const metaKey of Object.keys(value)) {
        const metaValue = value[metaKey];
        if (!OWNABLE_METADATA.has(metaKey) || metaValue === null || metaValue === undefined) continue;
        const metadataNode = (root['f:metadata'] ??= {}) as JsonObject;
        walk(metaValue, ['metadata', metaKey], ['f:metadata', `f:${metaKey}`], metadataNode, listTypes, zero);
      }
      continue;
    }
    walk(value, [key], [`f:${key}`], root, listTypes, zero);
  }
  return Object.keys(root).length === 0 ? undefined : root;
}

/** Adds `value` at `path` (whose last segment names it inside `parent`), as collect() in field-set.ts walks it. */
function walk(value: unknown, names: readonly string[], path: string[], parent: JsonObject, listTypes: ListTypeLookup | undefined, zero: FieldSet): void {
  const segment = path[path.length - 1]!;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== null && value[key] !== undefined);
    const node = child(parent, segment, keys.length === 0 || !zero.has(path));
    for (const key of keys) {
      const field = value[key];
      // A scalar is a leaf whatever its path: no path arrays to build for most fields.
      if (typeof field !== 'object') node[`f:${key}`] ??= {};
      else walk(field, [...names, key], [...path, `f:${key}`], node, listTypes, zero);
    }
    settle(node);
    return;
  }
  if (Array.isArray(value)) {
    const strategy = resolveListStrategy(listTypes, names, value);
    if (strategy?.kind === 'set' && value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
      const node = child(parent, segment, value.length === 0 || !zero.has(path));
      for (const item of value) node[`v:${JSON.stringify(item)}`] ??= {};
      settle(node);
      return;
    }
    if (strategy?.kind === 'map' && value.length > 0 && value.every((item) => mergeKeyOf(item, strategy.keys) !== undefined)) {
      const node = child(parent, segment, !zero.has(path));
      for (const item of value) {
        const itemPath = [...path, `k:${JSON.stringify(mergeKeyOf(item, strategy.keys))}`];
        const itemNode = child(node, itemPath[itemPath.length - 1]!, true);
        for (const key of Object.keys(item as JsonObject)) {
          const field = (item as JsonObject)[key];
          if (field === null || field === undefined) continue;
          if (typeof field !== 'object') itemNode[`f:${key}`] ??= {};
          else walk(field, [...names, key], [...itemPath, `f:${key}`], itemNode, listTypes, zero);
        }
        settle(itemNode);
      }
      settle(node);
      return;
    }
  }
  parent[segment] ??= {};
}

/** The node under `segment`, created on first use; an owned one starts with `"."` so it serializes first. */
function child(parent: JsonObject, segment: string, owned: boolean): JsonObject {
  const node = (parent[segment] ??= {}) as JsonObject;
  if (owned && !('.' in node)) {
    if (Object.keys(node).length === 0) node['.'] = {};
    else {
      // Met again (a duplicate list key) after being created unowned: "." still goes first.
      const children = Object.entries(node);
      for (const [key] of children) delete node[key];
      node['.'] = {};
      for (const [key, value] of children) node[key] = value;
    }
  }
  return node;
}

/** An owned node left without children is a plain leaf, `{}`, as in the server's fieldsV1. */
function settle(node: JsonObject): void {
  if ('.' in node && Object.keys(node).length === 1) delete node['.'];
}
