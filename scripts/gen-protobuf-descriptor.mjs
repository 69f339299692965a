#!/usr/bin/env node
// Writes src/runtime/client/protobuf/descriptor.json: for each built-in kind's list, how its protobuf fields map
// onto the JSON the API server would send for the same object. Read from the Go API types' struct tags (`json:` for
// the name and omitempty, `protobuf:` for the field number), their Go types (pointer or value, slice, map, the
// types with their own JSON form) and the declaration order (Go's JSON writes fields in that order).
// Regenerate after a Kubernetes upgrade:
//   node scripts/gen-protobuf-descriptor.mjs [/path/to/kubernetes/src]   (default /root/realk8s/src)
// The tree needs vendor/k8s.io/api and vendor/k8s.io/apimachinery (or staging/src/k8s.io/...).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2] ?? '/root/realk8s/src';
const k8sRoot = [join(source, 'vendor/k8s.io'), join(source, 'staging/src/k8s.io')].find((d) => existsSync(join(d, 'api')));
if (!k8sRoot) {
  console.error(`${source}: neither vendor/k8s.io/api nor staging/src/k8s.io/api exists; pass a Kubernetes source tree`);
  process.exit(1);
}
const out = fileURLToPath(new URL('../src/runtime/client/protobuf/descriptor.json', import.meta.url));

/** Group/versions whose kinds get a descriptor: every kind with a <Kind>List type in them. */
const GROUP_VERSIONS = [
  'core/v1', 'apps/v1', 'batch/v1', 'coordination/v1', 'rbac/v1', 'networking/v1', 'policy/v1', 'discovery/v1',
  'autoscaling/v1', 'autoscaling/v2', 'events/v1', 'storage/v1', 'scheduling/v1', 'node/v1', 'certificates/v1',
  'admissionregistration/v1', 'flowcontrol/v1',
];

/** Types with their own JSON form (a MarshalJSON method) or their own protobuf codec: decoded by the runtime itself. */
const SPECIAL = {
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': 'microtime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': 'duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': 'raw',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'raw',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'intorstring',
};
/**
 * Objects embedded in another kind whose TypeMeta the API server sets when it converts to the served version, so
 * the JSON answer has kind/apiVersion that no protobuf field carries (TypeMeta is never on the wire).
 */
const STAMPED_TYPE_META = {
  'api.apps.v1.StatefulSetSpec.volumeClaimTemplates': { kind: 'PersistentVolumeClaim', apiVersion: 'v1' },
};
const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'int', 'uint32', 'uint64', 'float64', 'float32', 'byte']);

/** Parsed Go packages: import path → { types: name → { kind: 'struct', fields } | { kind: 'alias', type, imports } } */
const packages = new Map();

function dirOf(importPath) {
  const rel = importPath.replace(/^k8s\.io\//, '');
  return join(k8sRoot, rel);
}

function loadPackage(importPath) {
  if (packages.has(importPath)) return packages.get(importPath);
  const pkg = { importPath, types: new Map(), groupName: undefined };
  packages.set(importPath, pkg);
  const dir = dirOf(importPath);
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.startsWith('zz_generated') || file === 'generated.pb.go' || file.includes('swagger_doc')) continue;
    parseFile(pkg, readFileSync(join(dir, file), 'utf8'));
  }
  return pkg;
}

function parseImports(text) {
  const imports = new Map();
  const block = text.match(/^import \(([\s\S]*?)^\)/m)?.[1] ?? text.match(/^import (.*)$/m)?.[1] ?? '';
  for (const line of block.split('\n')) {
    const m = line.trim().match(/^(?:(\w+)\s+)?"([^"]+)"/);
    if (!m) continue;
    imports.set(m[1] ?? m[2].split('/').pop(), m[2]);
  }
  return imports;
}

function parseFile(pkg, source) {
  // Line comments go first (they hold "/*" in paths such as 'pods/*'); block comments (a few structs hold
  // commented-out fields) are blanked line for line.
  const text = source.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const imports = parseImports(text);
  const group = text.match(/^const GroupName = "([^"]*)"/m);
  if (group) pkg.groupName = group[1];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const struct = lines[i].match(/^type (\w+) struct \{\s*$/);
    if (struct) {
      const fields = [];
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const line = lines[i].trim();
        if (!line || line.startsWith('//')) continue;
        const tick = line.indexOf('`');
        const decl = (tick >= 0 ? line.slice(0, tick) : line.replace(/\/\/.*$/, '')).trim();
        const tags = tick >= 0 ? line.slice(tick + 1, line.lastIndexOf('`')) : '';
        const parts = decl.split(/\s+/);
        const tag = (name) => tags.match(new RegExp(`(?:^|\\s)${name}:"([^"]*)"`))?.[1];
        fields.push(parts.length === 1 ? { embedded: true, name: parts[0].replace(/^\*/, '').split('.').pop(), type: parts[0], json: tag('json'), protobuf: tag('protobuf') } : { name: parts[0], type: parts.slice(1).join(''), json: tag('json'), protobuf: tag('protobuf') });
      }
      pkg.types.set(struct[1], { kind: 'struct', fields, imports });
      continue;
    }
    const alias = lines[i].match(/^type (\w+) (=\s*)?([\w.\[\]*]+)\s*(\/\/.*)?$/);
    if (alias) pkg.types.set(alias[1], { kind: 'alias', type: alias[3], imports });
  }
}

/** The descriptor being built: message name → fields, in Go declaration order. */
const messages = {};

/** Resolves a Go type expression seen in `pkg` (with the file's `imports`) to a descriptor type. */
function resolveType(expr, pkg, imports, where) {
  if (expr === '[]byte') return { t: 'bytes' };
  if (expr.startsWith('*')) return { ...resolveType(expr.slice(1), pkg, imports, where), pointer: true };
  if (expr.startsWith('[]')) return { t: 'list', of: resolveType(expr.slice(2), pkg, imports, where) };
  if (expr.startsWith('map[')) {
    let depth = 0;
    let end = 3;
    for (; end < expr.length; end++) {
      if (expr[end] === '[') depth++;
      else if (expr[end] === ']' && --depth === 0) break;
    }
    return { t: 'map', key: resolveType(expr.slice(4, end), pkg, imports, where), of: resolveType(expr.slice(end + 1), pkg, imports, where) };
  }
  if (SCALARS.has(expr)) return { t: expr === 'int' ? 'int64' : expr === 'float32' ? 'float64' : expr };
  const dot = expr.indexOf('.');
  const importPath = dot < 0 ? pkg.importPath : imports.get(expr.slice(0, dot));
  if (!importPath) throw new Error(`${where}: cannot resolve ${expr}`);
  const name = dot < 0 ? expr : expr.slice(dot + 1);
  const full = `${importPath}.${name}`;
  if (SPECIAL[full]) return { t: SPECIAL[full] };
  const target = loadPackage(importPath);
  const decl = target.types.get(name);
  if (!decl) throw new Error(`${where}: no type ${full}`);
  if (decl.kind === 'alias') {
    // A named type keeps its underlying JSON form (no API type here has its own MarshalJSON beyond SPECIAL).
    return resolveType(decl.type, target, decl.imports, full);
  }
  const message = messageName(full);
  if (!(message in messages)) buildMessage(message, decl, target);
  return { t: 'message', ref: message };
}

function messageName(full) {
  return full.replace(/^k8s\.io\//, '').replace(/\//g, '.');
}

function buildMessage(message, decl, pkg) {
  messages[message] = null; // reserved while its fields are resolved (recursive types)
  const fields = [];
  for (const f of decl.fields) {
    const json = f.json ?? '';
    if (json === '-') continue;
    const [jsonName, ...options] = json.split(',');
    const inline = options.includes('inline') || (f.embedded && !jsonName);
    if (!f.protobuf) {
      // Not on the wire. Only TypeMeta (inline, every field omitempty) and omitempty fields are allowed: with no
      // value they write nothing in JSON either.
      if (f.embedded && f.name === 'TypeMeta') continue;
      if (options.includes('omitempty') && (f.type.startsWith('*') || f.type.startsWith('[]') || f.type.startsWith('map[') || ['string', 'bool', 'int32', 'int64'].includes(f.type))) continue;
      throw new Error(`${message}.${f.name}: no protobuf tag and would appear in JSON`);
    }
    const [wire, number] = f.protobuf.split(',');
    const type = resolveType(f.type, pkg, decl.imports, `${message}.${f.name}`);
    const field = { n: Number(number), json: inline ? '' : jsonName || f.name, ...type };
    if (options.includes('omitempty')) field.omitempty = true;
    if (inline) field.inline = true;
    const stamp = STAMPED_TYPE_META[`${message}.${field.json}`];
    if (stamp) field.typeMeta = stamp;
    // The cardinality in the tag is not trusted (ServiceAccountTokenProjection.audience says "rep" on a string):
    // the generated codec follows the Go type, and so does this descriptor.
    if (wire === 'fixed64' && type.t !== 'float64') throw new Error(`${message}.${f.name}: fixed64 ${f.type}`);
    fields.push(compact(field));
  }
  messages[message] = fields;
}

/** Short keys keep the committed file small: [number, jsonName, type, flags, ref-or-element]. */
function compact(f) {
  return f;
}

const kinds = {};
for (const gv of GROUP_VERSIONS) {
  const importPath = `k8s.io/api/${gv}`;
  const pkg = loadPackage(importPath);
  const [group, version] = gv.split('/');
  const groupName = group === 'core' ? '' : pkg.groupName ?? group;
  const apiVersion = groupName ? `${groupName}/${version}` : version;
  for (const [name, decl] of pkg.types) {
    if (decl.kind !== 'struct' || !name.endsWith('List')) continue;
    const kind = name.slice(0, -4);
    const items = decl.fields.find((f) => f.name === 'Items');
    const meta = decl.fields.find((f) => f.name === 'ListMeta' || f.type === 'metav1.ListMeta');
    if (!items || !meta || items.type !== `[]${kind}` || !pkg.types.has(kind)) continue;
    kinds[`${apiVersion}/${kind}`] = resolveType(name, pkg, decl.imports, name).ref;
  }
}
const descriptor = { source: 'k8s.io/api and k8s.io/apimachinery Go types (scripts/gen-protobuf-descriptor.mjs)', kinds, messages };
writeFileSync(out, `${JSON.stringify(descriptor)}\n`);
console.log(`wrote ${out}: ${Object.keys(kinds).length} kinds, ${Object.keys(messages).length} messages`);
