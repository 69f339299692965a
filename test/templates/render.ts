/**
 * Renders templates/init and templates/api into memory the way scaffold-contract.md describes, without
 * the CLI engine: Handlebars (strict, noEscape) on `.hbs` files and path segments, `_x` → `.x`, the api
 * set's resource/ and controller/ subtrees by flag, and the marker insertions `create api` makes.
 * Used by the template tests, and as a script to write a whole sample project for manual checks:
 *
 *   node --import tsx test/templates/render.ts <out-dir> [--runtime <package.json spec>] [--vendor]
 *
 * `--vendor` packs this checkout (`npm pack`, needs `npm run build` first) into <out-dir>/vendor and
 * references it with `file:vendor/...`, as the CLI does when it runs from a source checkout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { leaderElectionId } from '../../src/scaffold/fnv.js';
import { insertAtMarker } from '../../src/scaffold/insertions.js';
import { pluralize } from '../../src/scaffold/names.js';


export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const templatesRoot = join(repoRoot, 'templates');

export type Context = Record<string, unknown>;

export interface InitOptions {
  projectName?: string;
  domain?: string;
  owner?: string;
  license?: 'apache2' | 'mit' | 'none';
  operatorTsDependency?: string;
  vendored?: boolean;
}

export interface ApiOptions {
  group: string;
  version: string;
  kind: string;
  plural?: string;
  namespaced?: boolean;
  resource?: boolean;
  controller?: boolean;
}

export function initContext(options: InitOptions = {}): Context {
  const projectName = options.projectName ?? 'memcached-operator';
  const domain = options.domain ?? 'example.com';
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const vendored = options.vendored ?? false;
  return {
    domain,
    projectName,
    owner: options.owner ?? '',
    license: options.license ?? 'apache2',
    year: 2026,
    leaderElectionId: leaderElectionId(projectName, domain),
    operatorTsVersion: version,
    operatorTsDependency: options.operatorTsDependency ?? (vendored ? `file:vendor/operator-ts-${version}.tgz` : `^${version}`),
    vendored,
    clientNodeVersion: '^1.4.0',
    cliVersion: version,
    layout: 'typescript/v1',
  };
}

export function apiContext(init: Context, api: ApiOptions): Context {
  const lowerKind = api.kind.toLowerCase();
  const plural = api.plural ?? pluralize(lowerKind);
  const fullGroup = `${api.group}.${String(init.domain)}`;
  return {
    ...init,
    group: api.group,
    version: api.version,
    kind: api.kind,
    lowerKind,
    plural,
    fullGroup,
    apiVersion: `${fullGroup}/${api.version}`,
    namespaced: api.namespaced ?? true,
    resource: api.resource ?? true,
    controller: api.controller ?? true,
    storageVersion: true,
    crdFile: `${fullGroup}_${plural}.yaml`,
    sampleFile: `${api.group}_${api.version}_${lowerKind}.yaml`,
  };
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(join(dir, entry.name), rel) : [rel];
    });
}

function render(source: string, context: Context): string {
  return Handlebars.compile(source, { strict: true, noEscape: true })(context);
}

/** Renders one template set into a map of output path → contents. */
export function renderSet(set: 'init' | 'api', context: Context): Map<string, string> {
  const root = join(templatesRoot, set);
  const out = new Map<string, string>();
  for (const rel of listFiles(root)) {
    let segments = rel.split('/');
    if (set === 'api') {
      const [flag] = segments;
      if (flag !== 'resource' && flag !== 'controller') throw new Error(`templates/api/${rel} is outside resource/ and controller/`);
      if (context[flag] !== true) continue;
      segments = segments.slice(1);
    }
    const path = segments
      .map((segment) => {
        let name = segment.includes('{{') ? render(segment, context) : segment;
        if (name.endsWith('.hbs')) name = name.slice(0, -4);
        return name.startsWith('_') ? `.${name.slice(1)}` : name;
      })
      .join('/');
    const source = readFileSync(join(root, rel), 'utf8');
    out.set(path, rel.endsWith('.hbs') ? render(source, context) : source);
  }
  return out;
}

export const MARKERS = {
  imports: '// +operator-ts:scaffold:imports',
  controllers: '// +operator-ts:scaffold:controllers',
  crd: '# +operator-ts:scaffold:crdkustomizeresource',
  rbac: '# +operator-ts:scaffold:rbac',
  samples: '# +operator-ts:scaffold:manifestskustomizesamples',
} as const;

function update(files: Map<string, string>, path: string, change: (text: string, path: string) => string): void {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} is missing from the rendered project`);
  files.set(path, change(text, path));
}

/** What `create api` does to an existing project: new files (kustomizations only if absent) and insertions. */
export function addApi(files: Map<string, string>, context: Context): void {
  for (const [path, contents] of renderSet('api', context)) {
    const createIfAbsent = path === 'config/crd/kustomization.yaml' || path === 'config/samples/kustomization.yaml';
    if (files.has(path) && !createIfAbsent) throw new Error(`${path} already exists`);
    if (!files.has(path)) files.set(path, contents);
  }
  const { kind, lowerKind } = context as { kind: string; lowerKind: string };
  if (context.controller === true) {
    update(files, 'src/main.ts', (t, path) => insertAtMarker(t, path, MARKERS.imports, [`import { setup${kind}Controller } from './controllers/${lowerKind}.controller.js';`]));
    update(files, 'src/main.ts', (t, path) => insertAtMarker(t, path, MARKERS.controllers, [`setup${kind}Controller(manager);`]));
  }
  if (context.resource === true) {
    update(files, 'config/crd/kustomization.yaml', (t, path) => insertAtMarker(t, path, MARKERS.crd, [`- bases/${String(context.crdFile)}`]));
    update(files, 'config/rbac/kustomization.yaml', (t, path) =>
      insertAtMarker(t, path, MARKERS.rbac, ['admin', 'editor', 'viewer'].map((role) => `- ${lowerKind}_${role}_role.yaml`)),
    );
    update(files, 'config/samples/kustomization.yaml', (t, path) => insertAtMarker(t, path, MARKERS.samples, [`- ${String(context.sampleFile)}`]));
    update(files, 'config/default/kustomization.yaml', (t) => t.replace(/^#- \.\.\/crd$/m, '- ../crd'));
  }
}

/** `init` followed by one `create api` per entry of `apis`, all in memory. */
export function renderProject(init: InitOptions = {}, apis: ApiOptions[] = []): Map<string, string> {
  const context = initContext(init);
  const files = renderSet('init', context);
  for (const api of apis) addApi(files, apiContext(context, api));
  return files;
}

/**
 * A stand-in CRD (every field preserved, status subresource) for checks that run before the manifests
 * generator is available. The real CRD comes from `npm run manifests`.
 */
export function standInCrd(context: Context): string {
  const { fullGroup, version, kind, lowerKind, plural, namespaced } = context as Record<string, string | boolean>;
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${String(plural)}.${String(fullGroup)}`,
    'spec:',
    `  group: ${String(fullGroup)}`,
    '  names:',
    `    kind: ${String(kind)}`,
    `    listKind: ${String(kind)}List`,
    `    plural: ${String(plural)}`,
    `    singular: ${String(lowerKind)}`,
    `  scope: ${namespaced === true ? 'Namespaced' : 'Cluster'}`,
    '  versions:',
    `  - name: ${String(version)}`,
    '    served: true',
    '    storage: true',
    '    subresources:',
    '      status: {}',
    '    schema:',
    '      openAPIV3Schema:',
    '        type: object',
    '        x-kubernetes-preserve-unknown-fields: true',
    '',
  ].join('\n');
}

export function writeProject(dir: string, files: Map<string, string>): void {
  for (const [path, contents] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

async function main(argv: string[]): Promise<void> {
  const out = argv[0];
  if (!out || out.startsWith('-')) throw new Error('usage: render.ts <out-dir> [--runtime <spec>] [--vendor]');
  const dir = resolve(out);
  const vendor = argv.includes('--vendor');
  const runtimeAt = argv.indexOf('--runtime');
  const init: InitOptions = { vendored: vendor };
  if (runtimeAt >= 0) init.operatorTsDependency = argv[runtimeAt + 1];
  if (vendor) {
    mkdirSync(join(dir, 'vendor'), { recursive: true });
    const packed = execFileSync('npm', ['pack', '--pack-destination', join(dir, 'vendor'), repoRoot], { encoding: 'utf8' }).trim().split('\n').pop();
    init.operatorTsDependency = `file:vendor/${String(packed)}`;
  }
  const apis: ApiOptions[] = [
    { group: 'cache', version: 'v1alpha1', kind: 'Memcached' },
    { group: 'ops', version: 'v1', kind: 'Backup', namespaced: false },
  ];
  const files = renderProject(init, apis);
  writeProject(dir, files);
  console.log(`wrote ${files.size} files to ${dir}`);
  try {
    // A variable specifier: the generator is written in parallel and may not exist yet.
    const generator = '../../src/manifests/index.js';
    const manifests = (await import(generator)) as {
      generateManifests(opts: { projectDir: string }): Promise<{ written: string[] }>;
    };
    const { written } = await manifests.generateManifests({ projectDir: dir });
    console.log(`manifests: wrote ${written.join(', ')}`);
  } catch (err) {
    console.warn(`manifests generator not available (${err instanceof Error ? err.message : String(err)}): writing stand-in CRDs`);
    const context = initContext(init);
    for (const api of apis) {
      const ctx = apiContext(context, api);
      writeProject(dir, new Map([[`config/crd/bases/${String(ctx.crdFile)}`, standInCrd(ctx)]]));
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
