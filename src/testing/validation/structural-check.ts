import { SchemaCompileError } from './errors.js';
import { isObject, type SchemaNode } from './schema-node.js';

/**
 * The subset of the API server's structural-schema rules that decide whether we can validate, prune and
 * default correctly: every node says its type (or is int-or-string / preserves unknown fields), arrays
 * have items, list-type and map-keys make sense. Calls `visit` for each node with its schema path.
 */
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const LIST_TYPES = new Set(['atomic', 'set', 'map']);

export function checkStructural(schema: unknown, path: string, visit: (node: SchemaNode, path: string) => void, inLogic = false): void {
  if (!isObject(schema)) throw new SchemaCompileError(path, `must be a schema object, got ${JSON.stringify(schema)}`);
  const node = schema as SchemaNode;
  if (node.type !== undefined && (typeof node.type !== 'string' || !TYPES.has(node.type))) {
    throw new SchemaCompileError(`${path}.type`, `unsupported type ${JSON.stringify(node.type)}; use one of ${[...TYPES].join(', ')}`);
  }
  const typeless = node.type === undefined && node['x-kubernetes-int-or-string'] !== true && node['x-kubernetes-preserve-unknown-fields'] !== true;
  if (typeless && !inLogic) {
    throw new SchemaCompileError(`${path}.type`, 'Required value: must not be empty for specified object fields (the schema is not structural)', {
      hint: 'Give every property a type, or mark it x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields.',
    });
  }
  if (node.type === 'array' && node.items === undefined && !inLogic) {
    throw new SchemaCompileError(`${path}.items`, 'Required value: must be specified for arrays', { hint: 'Add items: {type: ...}.' });
  }
  const listType = node['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (typeof listType !== 'string' || !LIST_TYPES.has(listType)) {
      throw new SchemaCompileError(`${path}.x-kubernetes-list-type`, `Unsupported value: ${JSON.stringify(listType)}: supported values: "atomic", "set", "map"`);
    }
    if (node.type !== 'array') throw new SchemaCompileError(`${path}.x-kubernetes-list-type`, 'only allowed on arrays');
    if (listType === 'map') {
      const keys = node['x-kubernetes-list-map-keys'];
      if (!Array.isArray(keys) || keys.length === 0) {
        throw new SchemaCompileError(`${path}.x-kubernetes-list-map-keys`, 'Required value: must not be empty if x-kubernetes-list-type is map');
      }
      for (const key of keys) {
        if (node.items?.properties?.[key] === undefined) {
          throw new SchemaCompileError(`${path}.x-kubernetes-list-map-keys`, `key ${JSON.stringify(key)} must be a property of the items`);
        }
      }
    }
  }
  visit(node, path);
  for (const [name, child] of Object.entries(node.properties ?? {})) checkStructural(child, `${path}.properties[${name}]`, visit, inLogic);
  if (isObject(node.additionalProperties)) checkStructural(node.additionalProperties, `${path}.additionalProperties`, visit, inLogic);
  if (node.items !== undefined) checkStructural(node.items, `${path}.items`, visit, inLogic);
  for (const logic of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[logic];
    if (branches === undefined) continue;
    if (!Array.isArray(branches)) throw new SchemaCompileError(`${path}.${logic}`, 'must be a list of schemas');
    branches.forEach((branch, index) => checkStructural(branch, `${path}.${logic}[${index}]`, () => undefined, true));
  }
  if (node.not !== undefined) checkStructural(node.not, `${path}.not`, () => undefined, true);
}
