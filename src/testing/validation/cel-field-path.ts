import { isObject, type SchemaNode } from './schema-node.js';

/**
 * Checks a rule's `fieldPath` against the schema the rule sits on, as the server does when the CRD is
 * written: `.name` and `['name']` steps, each naming a declared property or a key of an
 * additionalProperties map; lists cannot be stepped into. Returns why the path is not valid, or undefined.
 */
export function fieldPathProblem(schema: SchemaNode, fieldPath: string): string | undefined {
  if (fieldPath.trim() === '') return 'fieldPath must be non-empty if specified';
  if (/[\n\r]/.test(fieldPath)) return 'fieldPath must not contain line breaks';
  const tokens = fieldPath.match(/'(?:[^'\\]|\\.)*'|[.[\]]|[^.[\]']+/g) ?? [];
  let node: SchemaNode | undefined = schema;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let name: string | undefined;
    if (token === '.') name = tokens[++i];
    else if (token === '[') {
      const quoted = tokens[++i];
      if (quoted === undefined || !/^'.*'$/.test(quoted) || tokens[++i] !== ']') return 'fieldPath must be a valid path';
      name = quoted.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (name === undefined || node === undefined) return 'fieldPath must be a valid path';
    if (node.properties !== undefined) node = node.properties[name];
    else if (isObject(node.additionalProperties)) node = node.additionalProperties as SchemaNode;
    else return 'fieldPath must be a valid path';
    if (node === undefined) return 'fieldPath must be a valid path';
  }
  return undefined;
}
