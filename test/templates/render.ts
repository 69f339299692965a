/**
 * The template tests' view of a generated project: the real scaffold engine (planInit, planCreateApi and the
 * template registry) over an in-memory file system, so the tests check exactly what the CLI writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planCreateApi } from '../../src/scaffold/api-plan.js';
import { buildApiContext, buildInitContext, type ApiContext, type InitContext } from '../../src/scaffold/context.js';
import { planInit } from '../../src/scaffold/init-plan.js';
import { MARKERS as MARKER_DEFINITIONS, type MarkerName } from '../../src/scaffold/markers.js';
import { packageInfo } from '../../src/scaffold/package-info.js';
import { MemoryView, type Plan } from '../../src/scaffold/plan.js';
import { renderTemplates, type TemplateSet } from '../../src/scaffold/template-registry.js';
import { defaultPlural } from '../../src/project/layout.js';

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

/** Marker name → the marker line's text. */
export const MARKERS = Object.fromEntries(
  Object.entries(MARKER_DEFINITIONS).map(([name, definition]) => [name, definition.text]),
) as Record<MarkerName, string>;

const YEAR = 2026;

function dependency(options: InitOptions): { spec: string; vendored: boolean } {
  const { version } = packageInfo();
  const vendored = options.vendored ?? false;
  return { spec: options.operatorTsDependency ?? (vendored ? `file:vendor/operator-ts-${version}.tgz` : `^${version}`), vendored };
}

export function initContext(options: InitOptions = {}): InitContext {
  return buildInitContext({
    domain: options.domain ?? 'example.com',
    projectName: options.projectName ?? 'memcached-operator',
    owner: options.owner ?? '',
    license: options.license ?? 'apache2',
    year: YEAR,
    info: packageInfo(),
    dependency: dependency(options),
  });
}

export function apiContext(init: InitContext, api: ApiOptions): ApiContext {
  return buildApiContext({
    project: {
      version: '3', domain: init.domain, layout: init.layout, projectName: init.projectName, cliVersion: init.cliVersion,
      leaderElectionId: init.leaderElectionId, resources: [],
    },
    group: api.group,
    version: api.version,
    kind: api.kind,
    plural: api.plural ?? defaultPlural(api.kind),
    namespaced: api.namespaced ?? true,
    resource: api.resource ?? true,
    controller: api.controller ?? true,
    year: YEAR,
    info: packageInfo(),
    dependency: { spec: init.operatorTsDependency, vendored: init.vendored },
  });
}

/** Renders one template set with the registry into a map of output path → contents. */
export function renderSet(set: TemplateSet, context: Context): Map<string, string> {
  return new Map(renderTemplates({ set, context }).map((file) => [file.path, file.contents.toString('utf8')]));
}

function apply(files: Map<string, string>, plan: Plan): void {
  for (const entry of plan.entries) {
    if (entry.action === 'delete') files.delete(entry.path);
    else if (entry.action !== 'skip') files.set(entry.path, entry.contents.toString('utf8'));
  }
}

/** `init` followed by one `create api` per entry of `apis`, through the real plans, all in memory. */
export async function renderProject(init: InitOptions = {}, apis: ApiOptions[] = []): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const runtime = dependency(init);
  apply(files, planInit({
    view: new MemoryView(), domain: init.domain ?? 'example.com', projectName: init.projectName ?? 'memcached-operator',
    owner: init.owner ?? '', license: init.license ?? 'apache2', force: false, year: YEAR, info: packageInfo(), runtime,
  }, '/memory/project').plan);
  for (const api of apis) {
    const { plan } = await planCreateApi({
      view: new MemoryView(Object.fromEntries(files)),
      group: api.group,
      version: api.version,
      kind: api.kind,
      ...(api.plural === undefined ? {} : { plural: api.plural }),
      namespaced: api.namespaced ?? true,
      resource: api.resource ?? true,
      controller: api.controller ?? true,
      force: false,
      year: YEAR,
      info: packageInfo(),
      manifests: async () => [],
    }, '/memory/project');
    apply(files, plan);
  }
  return files;
}

/**
 * A stand-in CRD (every field preserved, status subresource) for checks that do not run the manifests generator;
 * the real CRD comes from `npm run manifests`.
 */
export function standInCrd(context: ApiContext): string {
  const { fullGroup, version, kind, lowerKind, plural, namespaced } = context;
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${plural}.${fullGroup}`,
    'spec:',
    `  group: ${fullGroup}`,
    '  names:',
    `    kind: ${kind}`,
    `    listKind: ${kind}List`,
    `    plural: ${plural}`,
    `    singular: ${lowerKind}`,
    `  scope: ${namespaced ? 'Namespaced' : 'Cluster'}`,
    '  versions:',
    `  - name: ${version}`,
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
