import { type InterfaceDeclaration, type SourceFile } from 'ts-morph';
import { ManifestError, type SourceLocation } from './errors.js';
import { locationOf } from './location.js';
import { defaultPlural } from '../project/layout.js';
import { parseRootTags, type RootTagValues } from './root-tags.js';
import type { JSONSchemaProps } from './schema.js';
import { applySchemaTags } from './schema-tags.js';
import type { SchemaConverter } from './type-schema.js';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION, objectMetaSchema } from './well-known.js';

/** One API version of one kind, read from a root interface. */
export interface RootType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  tags: RootTagValues;
  schema: JSONSchemaProps;
  location: SourceLocation;
}

const VERSION = /^v\d+((alpha|beta)\d+)?$/;
const STANDARD_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Finds every root type (an exported interface whose `apiVersion` and `kind` are string literals)
 * in the API files and builds its schema. Root-type tags on any other interface are an error, since
 * they would otherwise be ignored without a word.
 */
export function readRootTypes(files: SourceFile[], converter: SchemaConverter, projectDir: string): RootType[] {
  const roots: RootType[] = [];
  for (const file of files) {
    for (const decl of file.getInterfaces()) {
      const literals = rootLiterals(decl);
      const doc = converter.doc(decl, decl.getName());
      if (!literals) {
        const stray = doc.rootTags.find((t) => t.name !== 'deprecated');
        if (stray) {
          throw new ManifestError(`@${stray.name} is a root-type tag, but '${decl.getName()}' has no string-literal apiVersion and kind`, {
            location: locationOf(decl, projectDir, decl.getName(), stray.line),
            hint: "Declare e.g. apiVersion: 'cache.example.com/v1alpha1'; kind: 'Memcached'; or move the tag to the root type.",
          });
        }
        continue;
      }
      if (!decl.isExported()) continue;
      roots.push(readRoot(decl, literals, converter, projectDir));
    }
  }
  return roots;
}

function rootLiterals(decl: InterfaceDeclaration): { apiVersion: string; kind: string } | undefined {
  const literal = (name: string): string | undefined => {
    const prop = decl.getProperty(name);
    const type = prop?.getType();
    return type?.isStringLiteral() ? (type.getLiteralValue() as string) : undefined;
  };
  const apiVersion = literal('apiVersion');
  const kind = literal('kind');
  return apiVersion !== undefined && kind !== undefined ? { apiVersion, kind } : undefined;
}

function readRoot(decl: InterfaceDeclaration, lit: { apiVersion: string; kind: string }, converter: SchemaConverter, projectDir: string): RootType {
  const name = decl.getName();
  const location = locationOf(decl, projectDir, name);
  const fail = (message: string, hint: string): never => {
    throw new ManifestError(message, { location, hint });
  };
  const slash = lit.apiVersion.indexOf('/');
  if (slash < 0) fail(`apiVersion '${lit.apiVersion}' has no group; custom resources need 'group/version'`, "Write e.g. apiVersion: 'cache.example.com/v1alpha1'.");
  const group = lit.apiVersion.slice(0, slash);
  const version = lit.apiVersion.slice(slash + 1);
  if (!group.includes('.')) fail(`group '${group}' must contain a dot (CRD names are <plural>.<group>)`, "Use the full group, e.g. 'cache.example.com'.");
  if (!VERSION.test(version)) fail(`version '${version}' must look like v1, v1beta1 or v1alpha1`, 'Fix the apiVersion literal.');
  if (!/^[A-Z][A-Za-z0-9]*$/.test(lit.kind)) fail(`kind '${lit.kind}' must be PascalCase letters and digits`, "Write e.g. kind: 'Memcached'.");

  const doc = converter.doc(decl, name);
  const tags = parseRootTags(doc.rootTags, (tag) => locationOf(decl, projectDir, name, tag.line));
  const schema = rootSchema(decl, lit.kind, converter);
  if (doc.description !== undefined) schema.description = doc.description;
  applySchemaTags(schema, doc.schemaTags, { locate: (tag) => locationOf(decl, projectDir, name, tag.line) });
  if (tags.status && !schema.properties?.status) fail(`@subresource status is set but '${name}' has no status field`, 'Add `status?: <Kind>Status` or drop the tag.');

  return {
    group, version, kind: lit.kind,
    plural: tags.plural ?? defaultPlural(lit.kind),
    scope: tags.scope ?? 'Namespaced',
    tags, schema, location,
  };
}

function rootSchema(decl: InterfaceDeclaration, kind: string, converter: SchemaConverter): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: { description: API_VERSION_DESCRIPTION, type: 'string' },
    kind: { description: KIND_DESCRIPTION, type: 'string' },
    metadata: objectMetaSchema(),
  };
  const required: string[] = [];
  for (const symbol of decl.getType().getProperties()) {
    if (STANDARD_FIELDS.has(symbol.getName())) continue;
    const p = converter.propertySchema(symbol, kind, decl);
    properties[p.name] = p.schema;
    if (!p.optional) required.push(p.name);
  }
  const schema: JSONSchemaProps = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  return schema;
}
