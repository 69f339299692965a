/** The slice of a CRD's structural OpenAPI v3 schema that validation, pruning and defaulting read. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  format?: string;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
  [keyword: string]: unknown;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of a property of an object node: a declared property, else additionalProperties. */
export function propertySchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  const declared = schema.properties?.[key];
  if (declared) return declared;
  return isObject(schema.additionalProperties) ? (schema.additionalProperties as SchemaNode) : undefined;
}

/** A field path as the API server prints it: `spec.items[0].name`, map keys in brackets when they hold dots. */
export function joinFieldPath(parent: string, segment: string | number): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(segment)) return `${parent}[${segment}]`;
  return parent === '' ? segment : `${parent}.${segment}`;
}

/** How a value is named in "Invalid value" messages: JSON for scalars, the type name for objects and lists. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return '"array"';
  if (isObject(value)) return '"object"';
  return JSON.stringify(value);
}
