import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrdVersion, CustomResourceDefinition } from '../../src/manifests/crd.js';
import {
  DERIVED_API_MANIFESTS, SOURCE_TEMPLATES, instantiate, loadDerivedApiManifests, templateDigest, withVersion, type DerivedApiManifests,
} from '../../src/scaffold/api-manifests.js';
import { diskManifestPlanner, fastManifestPlanner, planFromDerived } from '../../src/scaffold/manifest-planner.js';
import { parseProjectFile, renderProjectFile } from '../../src/project/project-file.js';
import { ensureBuilt, repoRoot, runCli } from '../cli/cli-harness.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'operator-ts-api-manifests-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const values = { kind: 'Goose', plural: 'geese', fullGroup: 'zoo.example.com', version: 'v1beta1', namespaced: false, storage: true };

describe('instantiate', () => {
  it('fills every placeholder, the scope and the storage flag', () => {
    const template = {
      name: '{{plural}}.{{fullGroup}}', names: { kind: '{{kind}}', listKind: '{{kind}}List', singular: '{{singular}}' },
      scope: '{{scope}}', versions: [{ name: '{{version}}', storage: '{{storage}}', served: true }], untouched: '{{other}}',
    };
    assert.deepEqual(instantiate(template, values), {
      name: 'geese.zoo.example.com', names: { kind: 'Goose', listKind: 'GooseList', singular: 'goose' },
      scope: 'Cluster', versions: [{ name: 'v1beta1', storage: true, served: true }], untouched: '{{other}}',
    });
    assert.equal(instantiate('{{scope}}', { ...values, namespaced: true }), 'Namespaced');
    assert.equal(instantiate('{{storage}}', { ...values, storage: false }), false);
  });
});

describe('withVersion', () => {
  it('ranks versions as Kubernetes does: GA, then beta, then alpha', () => {
    const entry = (name: string): CrdVersion => ({ name, served: true, storage: false, schema: { openAPIV3Schema: {} } });
    const crd = { spec: { versions: [entry('v1alpha1')] } } as unknown as CustomResourceDefinition;
    const two = withVersion(crd, entry('v1'));
    const three = withVersion(two, entry('v1beta2'));
    assert.deepEqual(three.spec.versions.map((v) => v.name), ['v1', 'v1beta2', 'v1alpha1']);
    assert.deepEqual(crd.spec.versions.map((v) => v.name), ['v1alpha1'], 'the input is not changed');
  });
});

describe('loadDerivedApiManifests', () => {
  function fakeInstall(name: string, typesText: string): string {
    const root = join(work, name);
    for (const t of SOURCE_TEMPLATES) {
      mkdirSync(join(root, 'templates', t, '..'), { recursive: true });
      writeFileSync(join(root, 'templates', t), `template ${t}`);
    }
    const templates = Object.fromEntries(SOURCE_TEMPLATES.map((t) => [t, templateDigest(`template ${t}`)]));
    mkdirSync(join(root, DERIVED_API_MANIFESTS, '..'), { recursive: true });
    writeFileSync(join(root, DERIVED_API_MANIFESTS), JSON.stringify({ templates, crd: {}, rbac: [] }));
    writeFileSync(join(root, 'templates', SOURCE_TEMPLATES[0]), typesText);
    return root;
  }

  it('loads the manifests derived from the templates installed next to them', () => {
    assert.deepEqual(loadDerivedApiManifests(fakeInstall('same', `template ${SOURCE_TEMPLATES[0]}`))?.rbac, []);
  });

  it('ignores them when a template changed since the build, or when there are none', () => {
    assert.equal(loadDerivedApiManifests(fakeInstall('edited', 'an edited template')), undefined);
    assert.equal(loadDerivedApiManifests(join(work, 'nothing-here')), undefined);
  });
});

describe('planFromDerived leaves the cases it cannot be sure of to the generator', () => {
  const derived: DerivedApiManifests = { templates: {}, crd: { spec: { versions: [{ name: '{{version}}' }] } }, rbac: [] };
  let project: string;
  before(() => {
    ensureBuilt();
    project = join(work, 'project');
    mkdirSync(project);
    assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'demo', '--skip-install'], project).code, 0);
    assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], project).code, 0);
  });

  it('types that already exist (create api --force)', () => {
    const planned = [
      { path: 'PROJECT', contents: readFileSync(join(project, 'PROJECT')) },
      { path: 'src/api/v1alpha1/memcached.types.ts', contents: Buffer.from('// @storageversion\n') },
    ];
    assert.equal(planFromDerived(project, planned, derived), undefined);
  });

  it('a file under src/api that is not a types file', () => {
    const planned = [
      { path: 'PROJECT', contents: readFileSync(join(project, 'PROJECT')) },
      { path: 'src/api/v1alpha1/shared.ts', contents: Buffer.from('export type X = string;\n') },
    ];
    assert.equal(planFromDerived(project, planned, derived), undefined);
  });

  it('a new version whose types file PROJECT does not list', () => {
    const planned = [
      { path: 'PROJECT', contents: readFileSync(join(project, 'PROJECT')) },
      { path: 'src/api/v1/memcached.types.ts', contents: Buffer.from('\n') },
    ];
    assert.equal(planFromDerived(project, planned, derived), undefined);
  });
});

describe('fastManifestPlanner', () => {
  it('asks the generator when the derived manifests are malformed', async () => {
    const dir = join(work, 'malformed');
    mkdirSync(dir);
    assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'demo', '--skip-install'], dir).code, 0);
    const project = parseProjectFile(readFileSync(join(dir, 'PROJECT'), 'utf8'));
    const memcached = {
      group: 'cache', domain: 'example.com', version: 'v1alpha1', kind: 'Memcached', plural: 'memcacheds',
      path: 'src/api/v1alpha1/memcached.types.ts', api: { crdVersion: 'v1' as const, namespaced: true }, controller: true,
    };
    const planned = [
      { path: 'PROJECT', contents: Buffer.from(renderProjectFile({ ...project, resources: [memcached] })) },
      { path: 'src/api/v1alpha1/memcached.types.ts', contents: Buffer.from('/** @storageversion */\n') },
      { path: 'src/controllers/memcached.controller.ts', contents: Buffer.from('export const rbac = [];\n') },
    ];
    const malformed = { templates: {}, crd: {}, rbac: null } as unknown as DerivedApiManifests;
    assert.throws(() => planFromDerived(dir, planned, malformed), TypeError);
    let generatorRan = false;
    const files = await fastManifestPlanner(dir, malformed, async () => {
      generatorRan = true;
      return [{ path: 'config/rbac/role.yaml', contents: 'from the generator' }];
    })(planned);
    assert.ok(generatorRan);
    assert.deepEqual(files, [{ path: 'config/rbac/role.yaml', contents: 'from the generator' }]);
  });
});

describe('create api does not load TypeScript', () => {
  it('plans a new kind and a new version with the fast planner, and neither ts-morph nor typescript is loaded', () => {
    ensureBuilt();
    const dir = join(work, 'no-typescript');
    mkdirSync(dir);
    assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'demo', '--skip-install'], dir).code, 0);
    assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], dir).code, 0);
    const dist = (path: string): string => JSON.stringify(new URL(`file://${join(repoRoot, 'dist', path)}`).href);
    // The same planner is run on a second version, then the generator itself: the check must see the latter load.
    const script = `
      import { createRequire } from 'node:module';
      const { planCreateApi } = await import(${dist('scaffold/api-plan.js')});
      const { fastManifestPlanner, diskManifestPlanner } = await import(${dist('scaffold/manifest-planner.js')});
      const { DiskView } = await import(${dist('scaffold/plan.js')});
      const { packageInfo } = await import(${dist('scaffold/package-info.js')});
      const dir = ${JSON.stringify(dir)};
      const input = (version, kind, manifests) => ({
        view: new DiskView(dir), group: 'cache', version, kind, namespaced: true, resource: true, controller: version === 'v1alpha1',
        force: false, year: 2026, info: packageInfo(), manifests,
      });
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules[\\\\/](typescript|ts-morph)[\\\\/]/.test(p)).length;
      const a = await planCreateApi(input('v1alpha1', 'Backup', fastManifestPlanner(dir)), dir);
      const b = await planCreateApi(input('v1', 'Memcached', fastManifestPlanner(dir)), dir);
      const fast = loaded();
      await planCreateApi(input('v1alpha1', 'Backup', diskManifestPlanner(dir)), dir);
      const crd = (plan) => plan.entries.find((e) => e.path.startsWith('config/crd/bases/'))?.contents.toString();
      console.log(JSON.stringify({ fast, generator: loaded(), a: crd(a.plan), b: crd(b.plan) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { fast: number; generator: number; a?: string; b?: string };
    assert.match(result.a ?? '', /name: backups\.cache\.example\.com\n/);
    assert.match(result.b ?? '', /name: v1\n[^]*name: v1alpha1\n/);
    assert.equal(result.fast, 0, 'create api loaded ts-morph or typescript');
    assert.ok(result.generator > 0, 'the check cannot see the generator load TypeScript');
  });
});

/** The operations export as the validator template writes it. */
const DEFAULT_VALIDATOR = "export const memcachedValidatorOperations = ['CREATE', 'UPDATE'] as const satisfies readonly AdmissionOperation[];\n";

describe('webhook manifests: the fast planner agrees with the generator', () => {
  it('adds config/webhook/manifests.yaml and the CRD conversion from PROJECT alone, and takes the conversion off again', async () => {
    ensureBuilt();
    const dir = join(work, 'webhooks');
    mkdirSync(dir);
    assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'demo', '--skip-install'], dir).code, 0);
    assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached'], dir).code, 0);
    assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--no-controller'], dir).code, 0);
    const project = parseProjectFile(readFileSync(join(dir, 'PROJECT'), 'utf8'));
    const hub = { defaulting: true, validation: true, conversion: true, spoke: ['v1alpha1'], webhookVersion: 'v1' as const };
    const withHub = { ...project, resources: project.resources.map((r) => (r.version === 'v1' ? { ...r, webhooks: hub } : r)) };
    const plannedTree = (config: typeof project) => [
      { path: 'PROJECT', contents: Buffer.from(renderProjectFile(config)) },
      { path: 'src/webhooks/memcached.webhook.ts', contents: Buffer.from('export {};\n') },
      { path: 'src/webhooks/v1/memcached.validator.ts', contents: Buffer.from(DEFAULT_VALIDATOR) },
    ];
    const derived = loadDerivedApiManifests(repoRoot);
    assert.ok(derived, 'the build derived the api manifests');
    const fast = planFromDerived(dir, plannedTree(withHub), derived);
    assert.ok(fast, 'no need for the generator');
    assert.deepEqual(fast.map((f) => f.path), ['config/crd/bases/cache.example.com_memcacheds.yaml', 'config/webhook/manifests.yaml']);
    const generated = await diskManifestPlanner(dir)(plannedTree(withHub));
    for (const file of fast) assert.equal(file.contents, generated.find((g) => g.path === file.path)?.contents, `${file.path} as the generator writes it`);
    assert.match(fast[0]!.contents, /conversion:\n {4}strategy: Webhook\n/);

    writeFileSync(join(dir, fast[0]!.path), fast[0]!.contents);
    const without = planFromDerived(dir, plannedTree(project), derived);
    assert.deepEqual(without?.map((f) => f.path), ['config/crd/bases/cache.example.com_memcacheds.yaml']);
    assert.equal(without![0]!.contents, (await diskManifestPlanner(dir)(plannedTree(project))).find((g) => g.path === without![0]!.path)?.contents);
  });
});

describe('webhook manifests: the validating webhook\'s operations', () => {
  it('create webhook writes what generate manifests writes, and the fast planner is sure only of a validator it writes fresh', async () => {
    ensureBuilt();
    const dir = join(work, 'operations');
    mkdirSync(dir);
    assert.equal(runCli(['init', '--domain', 'example.com', '--project-name', 'demo', '--skip-install'], dir).code, 0);
    assert.equal(runCli(['create', 'api', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached'], dir).code, 0);
    const before = readFileSync(join(dir, 'PROJECT'), 'utf8');
    const created = runCli(['create', 'webhook', '--group', 'cache', '--version', 'v1', '--kind', 'Memcached', '--programmatic-validation'], dir);
    assert.equal(created.code, 0, created.stderr);
    const validatorPath = 'src/webhooks/v1/memcached.validator.ts';
    const validator = readFileSync(join(dir, validatorPath), 'utf8');
    const written = readFileSync(join(dir, 'config/webhook/manifests.yaml'), 'utf8');
    assert.match(written, /operations:\n {4}- CREATE\n {4}- UPDATE\n/);
    const generated = runCli(['generate', 'manifests'], dir);
    assert.equal(generated.code, 0, generated.stderr);
    assert.equal(readFileSync(join(dir, 'config/webhook/manifests.yaml'), 'utf8'), written, 'generate manifests agrees with create webhook');

    // The same plan, replayed against the project as it was before create webhook: the fast planner answers.
    const derived = loadDerivedApiManifests(repoRoot);
    assert.ok(derived, 'the build derived the api manifests');
    const after = readFileSync(join(dir, 'PROJECT'), 'utf8');
    writeFileSync(join(dir, 'PROJECT'), before);
    rmSync(join(dir, validatorPath));
    const tree = (text: string) => [{ path: 'PROJECT', contents: Buffer.from(after) }, { path: validatorPath, contents: Buffer.from(text) }];
    const fast = planFromDerived(dir, tree(validator), derived);
    assert.deepEqual(fast, [{ path: 'config/webhook/manifests.yaml', contents: written }]);
    // A planned validator that lists other operations, or one already on disk (--force), is left to the generator.
    assert.equal(planFromDerived(dir, tree(validator.replace("['CREATE', 'UPDATE']", "['CREATE', 'UPDATE', 'DELETE']")), derived), undefined);
    const withDelete = await diskManifestPlanner(dir)(tree(validator.replace("['CREATE', 'UPDATE']", "['CREATE', 'UPDATE', 'DELETE']")));
    assert.match(withDelete.find((f) => f.path === 'config/webhook/manifests.yaml')!.contents, /- UPDATE\n {4}- DELETE\n/);
    writeFileSync(join(dir, validatorPath), validator);
    assert.equal(planFromDerived(dir, tree(validator), derived), undefined);
    assert.equal(planFromDerived(dir, [{ path: 'PROJECT', contents: Buffer.from(after) }], derived), undefined, 'create api in a project with a validator');
  });
});
