import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorTsError, ValidationError } from '../../src/errors.js';
import { ApiExistsError, planCreateApi, type ApiPlanInput } from '../../src/scaffold/api-plan.js';
import { FileConflictError, UsageError } from '../../src/scaffold/errors.js';
import { ProjectFileError } from '../../src/project/errors.js';
import { MemoryView, assertNoConflicts, formatPlan } from '../../src/scaffold/plan.js';
import { parseProjectFile } from '../../src/project/project-file.js';
import { fakeManifests, filesOf, info, initialisedProject } from './scaffold-fixtures.js';

function input(files: Record<string, Buffer | string>, over: Partial<ApiPlanInput> = {}): ApiPlanInput {
  return {
    view: new MemoryView(files), group: 'cache', version: 'v1alpha1', kind: 'Memcached', namespaced: true,
    resource: true, controller: true, force: false, year: 2026, info, manifests: fakeManifests(), ...over,
  };
}

describe('planCreateApi', () => {
  it('plans the API files, the wiring at markers, PROJECT and the generated manifests', async () => {
    const seen: string[][] = [];
    const { plan, context } = await planCreateApi(input(initialisedProject(), { manifests: fakeManifests(seen) }), '/p');
    assertNoConflicts(plan);
    const actions = Object.fromEntries(plan.entries.map((e) => [e.path, e.action]));
    assert.equal(actions['src/api/v1alpha1/memcached.types.ts'], 'create');
    assert.equal(actions['src/controllers/memcached.controller.ts'], 'create');
    assert.equal(actions['test/memcached.controller.test.ts'], 'create');
    assert.equal(actions['config/samples/cache_v1alpha1_memcached.yaml'], 'create');
    assert.equal(actions['config/rbac/memcached_admin_role.yaml'], 'create');
    assert.equal(actions['config/crd/bases/crd-for-memcached.yaml'], 'create');
    for (const p of ['PROJECT', 'src/main.ts', 'config/default/kustomization.yaml', 'config/rbac/kustomization.yaml']) assert.equal(actions[p], 'update', p);
    assert.equal(context.crdFile, 'cache.example.com_memcacheds.yaml');
    assert.ok(seen[0]!.includes('src/api/v1alpha1/memcached.types.ts'), 'the manifests planner sees the planned types file');

    const files = filesOf(plan, initialisedProject());
    assert.match(files['src/main.ts']!.toString(), /import \{ setupMemcachedController \} from '\.\/controllers\/memcached\.controller\.js';/);
    assert.match(files['src/main.ts']!.toString(), /setupMemcachedController\(manager\);/);
    assert.match(files['config/crd/kustomization.yaml']!.toString(), /- bases\/cache\.example\.com_memcacheds\.yaml/);
    assert.match(files['config/default/kustomization.yaml']!.toString(), /^- \.\.\/crd$/m);
    const project = parseProjectFile(files['PROJECT']!.toString());
    assert.deepEqual(project.resources, [{
      group: 'cache', domain: 'example.com', version: 'v1alpha1', kind: 'Memcached', plural: 'memcacheds',
      path: 'src/api/v1alpha1/memcached.types.ts', api: { crdVersion: 'v1', namespaced: true }, controller: true,
    }]);
  });

  it('a second API shares the kustomizations and inserts its own lines once', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    const { plan } = await planCreateApi(input(first, { group: 'cache', kind: 'Policy', version: 'v1', namespaced: false }), '/p');
    assertNoConflicts(plan);
    const files = filesOf(plan, first);
    const crdKustomization = files['config/crd/kustomization.yaml']!.toString();
    assert.match(crdKustomization, /- bases\/cache\.example\.com_memcacheds\.yaml\n- bases\/cache\.example\.com_policies\.yaml/);
    assert.equal(files['src/main.ts']!.toString().split('setupMemcachedController(manager);').length, 2);
    assert.equal(parseProjectFile(files['PROJECT']!.toString()).resources[1]!.api!.namespaced, false);
  });

  it('refuses the same GVK twice unless forced', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    await assert.rejects(planCreateApi(input(first), '/p'), (error: unknown) => {
      assert.ok(error instanceof ApiExistsError);
      assert.match(error.message, /^API resource already exists/);
      return true;
    });
    const { plan } = await planCreateApi(input(first, { force: true }), '/p');
    assertNoConflicts(plan);
    assert.equal(parseProjectFile(filesOf(plan, first)['PROJECT']!.toString()).resources.length, 1);
  });

  it('reports files of a new API that already exist as conflicts', async () => {
    const files = { ...initialisedProject(), 'src/controllers/memcached.controller.ts': 'mine\n' };
    const { plan } = await planCreateApi(input(files), '/p');
    assert.throws(() => assertNoConflicts(plan), FileConflictError);
    assert.ok(formatPlan(plan).includes('CONFLICT src/controllers/memcached.controller.ts (exists)'));
  });

  it('honours --no-controller and --no-resource', async () => {
    const { plan } = await planCreateApi(input(initialisedProject(), { controller: false }), '/p');
    assert.equal(plan.entries.some((e) => e.path.includes('controller')), false);
    assert.equal(plan.entries.some((e) => e.path === 'src/main.ts'), false);
    const typesOnly = filesOf((await planCreateApi(input(initialisedProject(), { controller: false }), '/p')).plan, initialisedProject());
    const noResource = await planCreateApi(input(typesOnly, { resource: false, force: true }), '/p');
    assert.equal(noResource.plan.entries.some((e) => e.path.includes('src/api/') && e.action !== 'skip'), false);
    assert.ok(noResource.plan.entries.some((e) => e.path === 'src/controllers/memcached.controller.ts' && e.action === 'create'));
    await assert.rejects(planCreateApi(input(initialisedProject(), { resource: false, controller: false }), '/p'), UsageError);
  });

  it('fails outside a project, on a corrupt PROJECT, and on invalid names, before rendering', async () => {
    await assert.rejects(planCreateApi(input({}), '/p'), (error: unknown) => error instanceof ProjectFileError && /init first/.test(error.hint!));
    await assert.rejects(planCreateApi(input({ ...initialisedProject(), PROJECT: 'version: "9"\n' }), '/p'), /only version '3'/);
    for (const bad of [{ kind: 'memcached' }, { group: 'Cache' }, { version: 'v1.0' }, { plural: 'Memcacheds' }]) {
      await assert.rejects(planCreateApi(input(initialisedProject(), bad), '/p'), ValidationError);
    }
  });

  it('adds a second version of a kind to the same CRD; only the first is the storage version', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    const { plan, context } = await planCreateApi(input(first, { version: 'v1', controller: false }), '/p');
    assertNoConflicts(plan);
    assert.equal(context.storageVersion, false);
    const files = filesOf(plan, first);
    assert.match(files['src/api/v1alpha1/memcached.types.ts']!.toString(), /@storageversion/);
    assert.doesNotMatch(files['src/api/v1/memcached.types.ts']!.toString(), /@storageversion/);
    const actions = Object.fromEntries(plan.entries.map((e) => [e.path, e.action]));
    assert.equal(actions['config/rbac/memcached_admin_role.yaml'], 'skip', 'the per-kind roles are shared by every version');
    assert.deepEqual(parseProjectFile(files['PROJECT']!.toString()).resources.map((r) => r.version), ['v1alpha1', 'v1']);
  });

  it('refuses a second version of a kind with another scope or plural', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    await assert.rejects(planCreateApi(input(first, { version: 'v1', controller: false, namespaced: false }), '/p'), /every version of a kind shares one scope/);
    await assert.rejects(planCreateApi(input(first, { version: 'v1', controller: false, plural: 'memcacheds2' }), '/p'), /every version of a kind shares one plural/);
  });

  it('rejects a plural already used by another kind of the same group', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    await assert.rejects(planCreateApi(input(first, { kind: 'Cache', plural: 'memcacheds' }), '/p'), /plural 'memcacheds' is already used by Memcached/);
  });

  it('refuses a controller for a kind whose types do not exist (it would import a missing file)', async () => {
    await assert.rejects(planCreateApi(input(initialisedProject(), { resource: false }), '/p'), (error: unknown) => {
      assert.ok(error instanceof OperatorTsError);
      assert.equal(error.code, 'ENOTYPES');
      assert.match(error.message, /Memcached \(cache\.example\.com\/v1alpha1\) has no API types in this project: the controller would import src\/api\/v1alpha1\/memcached\.types\.ts, which does not exist\./);
      assert.match(error.hint!, /operator-ts create api --group cache --version v1alpha1 --kind Memcached --resource --no-controller/);
      return true;
    });
  });

  it('with --force and a new plural, deletes the old CRD and its kustomization entry in the same plan', async () => {
    const first = {
      ...filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject()),
      'config/crd/bases/cache.example.com_memcacheds.yaml': Buffer.from('old crd\n'),
    };
    const { plan } = await planCreateApi(input(first, { plural: 'memcachedz', force: true }), '/p');
    assertNoConflicts(plan);
    const lines = formatPlan(plan);
    assert.ok(lines.includes('DELETE config/crd/bases/cache.example.com_memcacheds.yaml (generated earlier, no longer produced)'), lines.join('\n'));
    const files = filesOf(plan, first);
    const kustomization = files['config/crd/kustomization.yaml']!.toString();
    assert.match(kustomization, /^- bases\/cache\.example\.com_memcachedz\.yaml$/m);
    assert.doesNotMatch(kustomization, /memcacheds\.yaml/);
    assert.equal(files['config/crd/bases/cache.example.com_memcacheds.yaml'], undefined);
    assert.ok(lines.includes('REPLACE src/controllers/memcached.controller.ts (--force: your changes to this file are overwritten)'), 'user code replaced by --force is said in the plan');
  });

  it('refuses a second controller for another version of a kind unless forced, and then says it replaces it', async () => {
    const first = filesOf((await planCreateApi(input(initialisedProject()), '/p')).plan, initialisedProject());
    await assert.rejects(planCreateApi(input(first, { version: 'v1' }), '/p'), (error: unknown) => {
      assert.ok(error instanceof OperatorTsError);
      assert.equal(error.code, 'ECONTROLLEREXISTS');
      assert.match(error.message, /Memcached already has a controller \(src\/controllers\/memcached\.controller\.ts, scaffolded with v1alpha1\)/);
      assert.match(error.hint!, /--no-controller/);
      return true;
    });
    const forced = formatPlan((await planCreateApi(input(first, { version: 'v1', force: true }), '/p')).plan);
    assert.ok(forced.includes('REPLACE src/controllers/memcached.controller.ts (--force: your changes to this file are overwritten)'));
    assert.ok(forced.includes('REPLACE test/memcached.controller.test.ts (--force: your changes to this file are overwritten)'));
  });

  it('refuses a group that already ends with the domain, suggesting the intended group', async () => {
    await assert.rejects(planCreateApi(input(initialisedProject(), { group: 'cache.example.com' }), '/p'), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /group 'cache\.example\.com' already ends with the project domain 'example\.com', so the API group would be 'cache\.example\.com\.example\.com'/);
      assert.equal(error.hint, 'for example: --group cache');
      return true;
    });
    await assert.rejects(planCreateApi(input(initialisedProject(), { group: 'example.com' }), '/p'), /already ends with the project domain/);
  });

  it('refuses a CRD name over 253 characters even when group and plural are valid alone', async () => {
    const group = Array.from({ length: 3 }, () => 'g'.repeat(60)).join('.');
    await assert.rejects(planCreateApi(input(initialisedProject(), { group, plural: 'p'.repeat(63) }), '/p'), /the CRD name '.*' .* must be a DNS-1123 subdomain of at most 253/);
  });

  it('fails clearly when a marker was removed by the user', async () => {
    const files = { ...initialisedProject(), 'src/main.ts': 'console.log(1);\n' };
    await assert.rejects(planCreateApi(input(files), '/p'), /src\/main\.ts has no line containing the marker/);
  });
});
