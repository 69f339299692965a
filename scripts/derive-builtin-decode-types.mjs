#!/usr/bin/env node
/*
 * Writes src/testing/server/builtin/decode-types.json: for every built-in kind the embedded server serves (the rows
 * of src/testing/server/builtin-kinds-table.ts), the JSON types of its fields, as the real kube-apiserver's Go
 * structs decode them. Sources, both Kubernetes v1.32.13 (the release the kinds table is pinned to):
 * - the field JSON types: the OpenAPI v3 documents the kube-apiserver serves under /openapi/v3;
 * - the Go type names its json errors print where OpenAPI has no name for them (`v1.RestartPolicy`,
 *   `[]v1.FinalizerName`, `v1.ResourceList`): the Go structs under staging/src/k8s.io of openshift/kubernetes as
 *   vendored by openshift/microshift at d4b43f374a5bc0e0f44c07ff773061e27c7f2a08.
 *
 *   node --import tsx scripts/derive-builtin-decode-types.mjs [openapi-v3-dir] [kubernetes-source-dir]
 *   (defaults /root/realk8s/openapi/v3 and /root/realk8s/src/deps/github.com/openshift/kubernetes)
 *
 * Field type codes (the decoder in src/testing/server/builtin/decode-types.ts reads them):
 *   string, bool, int32, int64, int, float64, byte (base64 string), time (metav1.Time/MicroTime: a JSON string),
 *   quantity (resource.Quantity: string or number), intstr (IntOrString), any (no type: RawExtension, JSON, FieldsV1),
 *   @Name (a struct definition), []T (a slice of T), {}T (a map of string to T).
 * A code may end in `|GoType` where the Go type name differs from the one the code implies.
 * Each definition keeps only its Go type name (package.Type, as Go's json errors print it) and its properties.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_KINDS } from '../src/testing/server/builtin-kinds-table.ts';

const dir = process.argv[2] ?? '/root/realk8s/openapi/v3';
const goSource = process.argv[3] ?? '/root/realk8s/src/deps/github.com/openshift/kubernetes';
const out = new URL('../src/testing/server/builtin/decode-types.json', import.meta.url);
const PREFIX = 'io.k8s.';

/** Every schema of every document, by definition name (the same name means the same Go type in every document). */
const schemas = new Map();
const kindDefs = new Map();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    schemas.set(name, schema);
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (!name.startsWith(PREFIX) || name.includes('.apis.meta.v1.')) continue;
      kindDefs.set(`${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version}/${gvk.kind}`, name);
    }
  }
}

const refName = (ref) => ref.replace('#/components/schemas/', '');

/** A definition that decodes as a scalar or as anything gets its code inlined wherever it is referenced. */
function definitionCode(name) {
  const schema = schemas.get(name);
  if (!schema) throw new Error(`definition ${name} is referenced but not present in ${dir}`);
  if (schema.format === 'int-or-string') return 'intstr';
  if (name.endsWith('.api.resource.Quantity')) return 'quantity';
  if (schema.format === 'date-time') return 'time';
  if (schema.type === 'string') return schema.format === 'byte' ? 'byte' : 'string';
  if (schema.properties) return `@${name.slice(PREFIX.length)}`;
  if (schema.type === 'object' && schema.additionalProperties) return `{}${propertyCode(schema.additionalProperties)}`;
  return 'any';
}

function propertyCode(schema) {
  if (schema.$ref) return definitionCode(refName(schema.$ref));
  if (schema.allOf?.length === 1 && schema.allOf[0].$ref) return definitionCode(refName(schema.allOf[0].$ref));
  if (schema['x-kubernetes-preserve-unknown-fields']) return 'any';
  switch (schema.type) {
    case 'string': return schema.format === 'byte' ? 'byte' : schema.format === 'date-time' ? 'time' : 'string';
    case 'boolean': return 'bool';
    case 'integer': return schema.format === 'int32' || schema.format === 'int64' ? schema.format : 'int';
    case 'number': return 'float64';
    case 'array': return `[]${propertyCode(schema.items ?? {})}`;
    case 'object': return schema.additionalProperties && typeof schema.additionalProperties === 'object' ? `{}${propertyCode(schema.additionalProperties)}` : 'any';
    default: return 'any';
  }
}

/** `io.k8s.api.core.v1.PodSpec` is Go's `v1.PodSpec` (the last package path element and the type). */
const goName = (name) => name.split('.').slice(-2).join('.');

/** The Go package directory of a definition: io.k8s.api.core.v1 is staging/src/k8s.io/api/core/v1. */
function packageDir(name) {
  const pkg = name.slice(PREFIX.length).split('.').slice(0, -1);
  const [root, ...rest] = pkg;
  const base = root === 'apimachinery' || root === 'api' || root === 'kube-aggregator' || root === 'apiextensions-apiserver' ? root : undefined;
  return base ? join(goSource, 'staging/src/k8s.io', base, ...rest) : undefined;
}

const GO_BUILTIN = new Set(['string', 'bool', 'byte', 'int', 'int32', 'int64', 'uint', 'uint32', 'uint64', 'float32', 'float64']);

/** Go struct fields of a package, by struct name and json name: their type as reflect prints it. */
const goPackages = new Map();
function goStructs(dirPath) {
  if (goPackages.has(dirPath)) return goPackages.get(dirPath);
  const structs = new Map();
  let files = [];
  try {
    files = readdirSync(dirPath).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.endsWith('.pb.go'));
  } catch {
    // A package without Go source here: its definitions keep the names OpenAPI implies.
  }
  const own = dirPath.split('/').pop();
  for (const file of files) {
    const text = readFileSync(join(dirPath, file), 'utf8');
    const aliases = new Map();
    for (const m of text.matchAll(/^\s*(?:(\w+)\s+)?"([^"]+)"\s*$/gm)) aliases.set(m[1] ?? m[2].split('/').pop(), m[2].split('/').pop());
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const f of m[2].matchAll(/^\s*\w+\s+(\S+)\s+`json:"([^",]+)/gm)) {
        const type = f[1].replace(/^\*/, '').replace(/\[\]byte/g, '[]uint8').replace(/([\w.]+)/g, (id) => {
          if (id.includes('.')) {
            const [alias, rest] = id.split('.');
            return `${aliases.get(alias) ?? alias}.${rest}`;
          }
          return GO_BUILTIN.has(id) || id === 'map' || id === 'uint8' ? id : `${own}.${id}`;
        });
        fields.set(f[2], type);
      }
      structs.set(m[1], fields);
    }
  }
  goPackages.set(dirPath, structs);
  return structs;
}

/** The Go type name a code implies, as the decoder derives it; codes whose errors print a fixed type are skipped. */
function impliedGoType(code) {
  if (code.startsWith('[]')) { const inner = impliedGoType(code.slice(2)); return inner && `[]${inner}`; }
  if (code.startsWith('{}')) {
    if (code === '{}quantity') return 'v1.ResourceList';
    const inner = impliedGoType(code.slice(2));
    return inner && `map[string]${inner}`;
  }
  if (code.startsWith('@')) return goName(code.slice(1));
  if (code === 'byte') return '[]uint8';
  return ['string', 'bool', 'int32', 'int64', 'int', 'float64'].includes(code) ? code : undefined;
}

/** The code with the Go struct's own type name appended where it is not the implied one. */
function withGoType(definition, field, code) {
  const implied = impliedGoType(code);
  if (!implied) return code;
  const dirPath = packageDir(definition);
  const actual = dirPath ? goStructs(dirPath).get(definition.split('.').pop())?.get(field) : undefined;
  return actual && actual !== implied ? `${code}|${actual}` : code;
}

const defs = {};
const kinds = {};
const pending = [];
for (const row of BUILTIN_KINDS) {
  for (const version of row.versions) {
    const key = `${row.group === '' ? '' : `${row.group}/`}${version}/${row.kind}`;
    const name = kindDefs.get(key);
    if (!name) throw new Error(`no OpenAPI definition for ${key}`);
    kinds[key] = name.slice(PREFIX.length);
    pending.push(name);
  }
}
while (pending.length > 0) {
  const name = pending.pop();
  const short = name.slice(PREFIX.length);
  if (defs[short]) continue;
  const props = {};
  for (const [field, schema] of Object.entries(schemas.get(name).properties ?? {})) {
    const code = propertyCode(schema);
    props[field] = withGoType(name, field, code);
    const ref = /@(.+)$/.exec(code);
    if (ref) pending.push(PREFIX + ref[1]);
  }
  defs[short] = { go: goName(name), props };
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const data = { source: 'kube-apiserver v1.32.13 /openapi/v3', kinds: sorted(kinds), defs: sorted(defs) };
writeFileSync(out, `${JSON.stringify(data)}\n`);
console.log(`${Object.keys(kinds).length} kinds, ${Object.keys(defs).length} definitions -> ${out.pathname}`);
