#!/usr/bin/env node
// Part of `npm run build` (after tsc): derives the CRD and controller rules `create api` writes for a new API from the
// current api templates, through the real template engine and the real manifests generator, and writes them with
// placeholders to dist/derived/api-manifests.json (see src/scaffold/api-manifests.ts). Fails the build unless filling
// them in reproduces the generator's output byte for byte, for the sentinel names and for a second, unrelated API.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
const { renderTemplates } = await load('scaffold/template-registry.js');
const { buildApiContext } = await load('scaffold/context.js');
const { planManifests, ROLE_PATH } = await load('manifests/index.js');
const { readControllerRbac } = await load('manifests/rbac.js');
const { clusterRole, mergeRules } = await load('manifests/rbac-rules.js');
const { GENERATED_BY_ANNOTATION } = await load('manifests/crd.js');
const { toYamlDocument } = await load('manifests/yaml-output.js');
const { apiTypesPath, controllerPath, crdFilePath } = await load('project/layout.js');
const api = await load('scaffold/api-manifests.js');

// Names no template text can contain by accident; the second API (below) would expose one that did.
const SENTINELS = { domain: 'zqxdomainq.io', group: 'zqxgroupq', version: 'v7alpha93', kind: 'Zqxkindq', plural: 'zqxpluralq' };
const PLACEHOLDERS = [
  ['{{fullGroup}}', `${SENTINELS.group}.${SENTINELS.domain}`],
  ['{{plural}}', SENTINELS.plural],
  ['{{kind}}', SENTINELS.kind],
  ['{{singular}}', SENTINELS.kind.toLowerCase()],
  ['{{version}}', SENTINELS.version],
];

function fail(message) {
  console.error(`derive-api-manifests: ${message}`);
  process.exit(1);
}

/** Renders the types (and the controller) of one API with the real engine; every other context value varies too. */
function render(api, other) {
  const context = buildApiContext({
    project: { version: '3', domain: api.domain, layout: 'typescript/v1', projectName: other.projectName, cliVersion: other.version, leaderElectionId: `${other.projectName}.${api.domain}`, resources: [] },
    group: api.group, version: api.version, kind: api.kind, plural: api.plural, namespaced: api.namespaced,
    resource: true, controller: true, year: other.year, storageVersion: api.storage,
    info: { root, name: 'operator-ts', version: other.version, clientNodeRange: '^1.0.0' },
    dependency: { spec: `^${other.version}`, vendored: false }, owner: other.owner,
  });
  const files = renderTemplates({ set: 'api', context, templatesDir: join(root, 'templates') });
  const pick = (path) => files.find((f) => f.path === path)?.contents ?? fail(`the api templates render no ${path}`);
  return { types: pick(apiTypesPath(api)), controller: pick(controllerPath(api.kind)) };
}

function toTemplate(value, where) {
  if (typeof value === 'string') return PLACEHOLDERS.reduce((s, [placeholder, sentinel]) => s.split(sentinel).join(placeholder), value);
  if (Array.isArray(value)) return value.map((v, i) => toTemplate(v, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      if (PLACEHOLDERS.some(([, sentinel]) => k.includes(sentinel))) fail(`the key ${where}.${k} holds a name; only values can be derived`);
      return [k, toTemplate(v, `${where}.${k}`)];
    }));
  }
  return value;
}

const sentinelApi = { ...SENTINELS, namespaced: true, storage: true };
const other = { domain: 'example.org', group: 'ops', kind: 'Backup', plural: 'backupz', namespaced: false };
const backupV1 = { ...other, version: 'v1', storage: true };
const backupV2 = { ...other, version: 'v2alpha1', storage: false };
const contextA = { projectName: 'zqxprojectq', version: '0.0.0-zqx', year: 2001, owner: 'Zqx Owner' };
const contextB = { projectName: 'backup-operator', version: '9.9.9', year: 2099, owner: '' };

const work = mkdtempSync(join(tmpdir(), 'operator-ts-derive-'));
try {
  const put = (path, contents) => {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), contents);
  };
  const a = render(sentinelApi, contextA);
  put(apiTypesPath(sentinelApi), a.types);
  put(controllerPath(sentinelApi.kind), a.controller);
  const b1 = render(backupV1, contextB);
  put(apiTypesPath(backupV1), b1.types);
  put(controllerPath(other.kind), b1.controller);
  put(apiTypesPath(backupV2), render(backupV2, contextB).types);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');

  const generated = new Map((await planManifests({ projectDir: work })).map((f) => [f.path, f.contents]));
  const crdPath = crdFilePath(sentinelApi);
  const crdA = generated.get(crdPath) ?? fail(`the generator wrote no ${crdPath}`);
  const crd = toTemplate(parse(crdA), 'crd');
  if (crd.spec.scope !== 'Namespaced' || crd.spec.versions.length !== 1 || crd.spec.versions[0].storage !== true) {
    fail(`unexpected CRD shape: scope ${crd.spec.scope}, ${crd.spec.versions.length} version(s)`);
  }
  crd.spec.scope = '{{scope}}';
  crd.spec.versions[0].storage = '{{storage}}';
  const rbac = toTemplate(readControllerRbac([join(work, controllerPath(sentinelApi.kind))], work), 'rbac');
  const templates = Object.fromEntries(api.SOURCE_TEMPLATES.map((t) => [t, api.templateDigest(readFileSync(join(root, 'templates', t)))]));
  const derived = { templates, crd, rbac };
  const body = JSON.stringify({ crd, rbac }).toLowerCase();
  for (const sentinel of ['zqx', ...Object.values(SENTINELS)]) {
    if (body.includes(sentinel.toLowerCase())) fail(`the sentinel '${sentinel}' is left in the derived manifests`);
  }

  // The checks: the filled-in templates must be exactly what the generator wrote.
  const values = (x) => ({ kind: x.kind, plural: x.plural, fullGroup: `${x.group}.${x.domain}`, version: x.version, namespaced: x.namespaced, storage: x.storage });
  const same = (what, ours, theirs) => {
    if (ours !== theirs) fail(`${what} differs from the generator's output:\n--- generator\n${theirs}\n--- derived\n${ours}`);
  };
  same(crdPath, toYamlDocument(api.crdFor(derived, values(sentinelApi))), crdA);
  // A second version goes through the same path as create api: parse the one-version CRD, add the entry.
  const v1Only = parse(toYamlDocument(api.crdFor(derived, values(backupV1))));
  const twoVersions = api.withVersion(v1Only, api.crdFor(derived, values(backupV2)).spec.versions[0]);
  same(crdFilePath(backupV1), toYamlDocument(twoVersions), generated.get(crdFilePath(backupV1)));
  const rules = mergeRules([...api.rulesFor(derived, values(sentinelApi)), ...api.rulesFor(derived, values(backupV1))]);
  same(ROLE_PATH, toYamlDocument(clusterRole(rules, GENERATED_BY_ANNOTATION)), generated.get(ROLE_PATH));

  mkdirSync(join(root, 'dist', 'derived'), { recursive: true });
  writeFileSync(join(root, api.DERIVED_API_MANIFESTS), `${JSON.stringify(derived, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
