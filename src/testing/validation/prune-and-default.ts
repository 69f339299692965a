import { isObject, propertySchema, type JsonObject, type SchemaNode } from './schema-node.js';

/**
 * Pruning and defaulting, in the order the API server applies them when it decodes a custom resource:
 * nulls of non-nullable fields are dropped (a default then fills them), unknown fields are dropped unless
 * the schema preserves them, and `default`s fill absent properties of objects that exist.
 */

const ROOT_KEPT = new Set(['apiVersion', 'kind', 'metadata']);

/** Removes fields the schema does not declare; returns the removed paths (dotted), for logging or warnings. */
export function pruneUnknownFields(object: JsonObject, schema: SchemaNode): string[] {
  const removed: string[] = [];
  pruneObject(object, schema, '', removed, true);
  return removed;
}

function preserves(schema: SchemaNode): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
}

function pruneObject(object: JsonObject, schema: SchemaNode, path: string, removed: string[], isRoot: boolean): void {
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(object)) {
    if ((isRoot || embedded) && ROOT_KEPT.has(key)) {
      if (isRoot && key === 'metadata') continue; // the server owns root metadata
      const child = schema.properties?.[key];
      if (child && key !== 'metadata') pruneValue(object, key, child, path, removed);
      continue;
    }
    const child = propertySchema(schema, key);
    if (child === undefined) {
      if (!preserves(schema)) {
        delete object[key];
        removed.push(path === '' ? key : `${path}.${key}`);
      }
      continue;
    }
    pruneValue(object, key, child, path, removed);
  }
}

function pruneValue(parent: JsonObject, key: string, schema: SchemaNode, path: string, removed: string[]): void {
  const value = parent[key];
  const childPath = path === '' ? key : `${path}.${key}`;
  if (value === null && schema.nullable !== true) {
    delete parent[key];
    return;
  }
  pruneNested(value, schema, childPath, removed);
}

function pruneNested(value: unknown, schema: SchemaNode, path: string, removed: string[]): void {
  if (isObject(value)) {
    pruneObject(value, schema, path, removed, false);
    return;
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => pruneNested(item, schema.items!, `${path}[${index}]`, removed));
  }
}

/** Fills `default`s into the object (recursively into objects that exist, and into defaults just set). */
export function applySchemaDefaults(object: JsonObject, schema: SchemaNode): void {
  defaultObject(object, schema, true);
}

function defaultObject(object: JsonObject, schema: SchemaNode, isRoot: boolean): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (isRoot && key === 'metadata') continue;
    const current = object[key];
    if ((current === undefined || (current === null && child.nullable !== true)) && child.default !== undefined) {
      object[key] = structuredClone(child.default);
    }
  }
  for (const [key, value] of Object.entries(object)) {
    if (isRoot && key === 'metadata') continue;
    const child = propertySchema(schema, key);
    if (child) defaultValue(value, child);
  }
}

function defaultValue(value: unknown, schema: SchemaNode): void {
  if (isObject(value)) defaultObject(value, schema, false);
  else if (Array.isArray(value) && schema.items) for (const item of value) defaultValue(item, schema.items);
}
