/**
 * Every tag the generator understands, by where it may appear. Matching is case-insensitive
 * (`@shortname` works), and any other tag in the user's own files is an error, so a typo such as
 * `@minumum` cannot silently drop a constraint.
 */
export const SCHEMA_TAGS = [
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format', 'integer', 'enum', 'default', 'nullable',
  'minItems', 'maxItems', 'uniqueItems', 'listType', 'listMapKey',
  'minProperties', 'maxProperties', 'mapType', 'validation',
] as const;

/** Tags that change how a TypeScript type is converted, so they are read before conversion. */
export const CONVERSION_TAGS = ['preserveUnknownFields', 'intOrString', 'embeddedResource'] as const;

/** Tags only meaningful on a root type (the interface with apiVersion and kind literals). */
export const ROOT_TAGS = [
  'plural', 'scope', 'subresource', 'storageversion', 'shortName', 'categories', 'printcolumn', 'deprecated',
] as const;

/** Ordinary documentation tags, allowed anywhere and ignored. (`@deprecated` is ignored on fields.) */
const DOC_TAGS = [
  'see', 'example', 'remarks', 'internal', 'link', 'since', 'todo', 'privateRemarks', 'beta', 'alpha',
  'public', 'inheritDoc', 'typeParam', 'param', 'returns', 'defaultValue', 'author', 'license', 'eslint',
];

export type SchemaTag = (typeof SCHEMA_TAGS)[number];
export type ConversionTag = (typeof CONVERSION_TAGS)[number];
export type RootTag = (typeof ROOT_TAGS)[number];

export type TagKind =
  | { kind: 'schema'; name: SchemaTag }
  | { kind: 'conversion'; name: ConversionTag }
  | { kind: 'root'; name: RootTag }
  | { kind: 'doc'; name: string };

const byLowerName = new Map<string, TagKind>();
for (const name of DOC_TAGS) byLowerName.set(name.toLowerCase(), { kind: 'doc', name });
for (const name of SCHEMA_TAGS) byLowerName.set(name.toLowerCase(), { kind: 'schema', name });
for (const name of CONVERSION_TAGS) byLowerName.set(name.toLowerCase(), { kind: 'conversion', name });
for (const name of ROOT_TAGS) byLowerName.set(name.toLowerCase(), { kind: 'root', name });

export function classifyTag(name: string): TagKind | undefined {
  return byLowerName.get(name.toLowerCase());
}

export function knownTagList(): string {
  return [...SCHEMA_TAGS, ...CONVERSION_TAGS, ...ROOT_TAGS].map((t) => `@${t}`).join(', ');
}
