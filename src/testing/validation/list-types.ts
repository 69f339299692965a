import type { FieldError } from './field-error.js';
import { goErrorValue } from './go-value-format.js';
import { isObject, joinFieldPath, propertySchema, type SchemaNode } from './schema-node.js';

/**
 * Uniqueness the API server enforces for `x-kubernetes-list-type: set` (items unique) and `map` (items
 * unique by their `x-kubernetes-list-map-keys`), reported as `path[i]: Duplicate value: ...`.
 */
export function checkListTypes(value: unknown, schema: SchemaNode, path: string, errors: FieldError[]): void {
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
      const seen = new Set<string>();
      value.forEach((item, index) => {
        const key = canonicalJson(item);
        if (seen.has(key)) errors.push({ path: joinFieldPath(path, index), message: `Duplicate value: ${goErrorValue(item)}`, type: 'FieldValueDuplicate', value: item });
        seen.add(key);
      });
    } else if (listType === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, index) => {
        if (!isObject(item)) return;
        const tuple: Record<string, unknown> = {};
        for (const key of keys) tuple[key] = item[key];
        const id = canonicalJson(tuple);
        if (seen.has(id)) errors.push({ path: joinFieldPath(path, index), message: `Duplicate value: ${goErrorValue(tuple)}`, type: 'FieldValueDuplicate', value: tuple });
        seen.add(id);
      });
    }
    if (schema.items) value.forEach((item, index) => checkListTypes(item, schema.items!, joinFieldPath(path, index), errors));
    return;
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = path === '' && key === 'metadata' ? undefined : propertySchema(schema, key);
      if (childSchema) checkListTypes(child, childSchema, joinFieldPath(path, key), errors);
    }
  }
}

/** JSON with object keys sorted, so equal values have equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
