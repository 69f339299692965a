import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, expectApiError, kubectl, kubectlOk, rawRequest } from './helpers.js';
import { installCrd, removeCrd, widgetCrd, type WidgetCrd } from './crd-fixture.js';

describe('patch types and dryRun', () => {
  let target: ConformanceTarget;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let ns: string;
  let w: WidgetCrd;
  before(async () => {
    target = await startTarget();
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    apps = target.kubeConfig.makeApiClient(AppsV1Api);
    ns = await createNamespace(target.kubeConfig, 'patch');
    w = widgetCrd();
    await installCrd(target, w.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, w.crd.metadata.name);
    await target.stop();
  });

  const cmPath = (name = '') => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
  const patch = (name: string, contentType: string, body: unknown, query = '') =>
    rawRequest(target, { method: 'PATCH', path: `${cmPath(name)}${query}`, contentType, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('merge patch merges maps and deletes with null', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'merge' }, data: { a: '1', b: '2' } } });
    const out = await core.patchNamespacedConfigMap({ name: 'merge', namespace: ns, body: { data: { a: 'one', b: null, c: '3' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    assert.deepEqual(out.data, { a: 'one', c: '3' });
  });

  it('JSON patch applies operations and a failing test is 422', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'json' }, data: { a: '1' } } });
    const out = await core.patchNamespacedConfigMap(
      { name: 'json', namespace: ns, body: [{ op: 'test', path: '/data/a', value: '1' }, { op: 'add', path: '/data/b', value: '2' }, { op: 'remove', path: '/data/a' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.deepEqual(out.data, { b: '2' });
    const failed = await patch('json', PatchStrategy.JsonPatch, [{ op: 'test', path: '/data/b', value: 'nope' }]);
    assert.equal(failed.status, 422);
    assertStatus(failed.json, 422, 'Invalid');
    const unchanged = await core.readNamespacedConfigMap({ name: 'json', namespace: ns });
    assert.deepEqual(unchanged.data, { b: '2' });
  });

  it('strategic merge patch merges containers by name on a Deployment', async () => {
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'smp' },
        spec: {
          selector: { matchLabels: { app: 'smp' } },
          template: { metadata: { labels: { app: 'smp' } }, spec: { containers: [{ name: 'app', image: 'app:1' }, { name: 'side', image: 'side:1' }] } },
        },
      },
    });
    const out = await apps.patchNamespacedDeployment(
      { name: 'smp', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(out.spec!.template.spec!.containers.map((c) => `${c.name}=${c.image}`), ['app=app:2', 'side=side:1']);
    const deleted = await apps.patchNamespacedDeployment(
      { name: 'smp', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(deleted.spec!.template.spec!.containers.map((c) => c.name), ['app']);
  });

  it('refuses strategic merge patch on a custom resource with 415', async () => {
    const custom = target.kubeConfig.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ group: w.group, version: 'v1', namespace: ns, plural: 'widgets', body: { apiVersion: w.apiVersion, kind: 'Widget', metadata: { name: 'p' }, spec: { size: 1 } } });
    const res = await rawRequest(target, {
      method: 'PATCH',
      path: `/apis/${w.group}/v1/namespaces/${ns}/widgets/p`,
      contentType: PatchStrategy.StrategicMergePatch,
      body: JSON.stringify({ spec: { size: 2 } }),
    });
    assert.equal(res.status, 415);
    assertStatus(res.json, 415, 'UnsupportedMediaType');
    const merged = await rawRequest(target, { method: 'PATCH', path: `/apis/${w.group}/v1/namespaces/${ns}/widgets/p`, contentType: PatchStrategy.MergePatch, body: JSON.stringify({ spec: { size: 2 } }) });
    assert.equal(merged.status, 200);
    assert.equal(merged.json.spec.size, 2);
    const invalid = await rawRequest(target, { method: 'PATCH', path: `/apis/${w.group}/v1/namespaces/${ns}/widgets/p`, contentType: PatchStrategy.MergePatch, body: JSON.stringify({ spec: { size: 99 } }) });
    assertStatus(invalid.json, 422, 'Invalid', /spec\.size/);
  });

  it('server-side apply creates, updates, conflicts with another manager and forces', async () => {
    const intent = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data });
    const created = await patch('ssa', PatchStrategy.ServerSideApply, intent({ a: '1', b: '1' }), '?fieldManager=ctrl-a');
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.data, { a: '1', b: '1' });
    const entry = created.json.metadata.managedFields.find((e: any) => e.manager === 'ctrl-a');
    assert.equal(entry.operation, 'Apply');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1['f:data'], { 'f:a': {}, 'f:b': {} });

    const dropped = await patch('ssa', PatchStrategy.ServerSideApply, intent({ a: '1' }), '?fieldManager=ctrl-a');
    assert.equal(dropped.status, 200);
    assert.deepEqual(dropped.json.data, { a: '1' }, 'a field the manager stopped applying is removed');

    const conflict = await patch('ssa', PatchStrategy.ServerSideApply, intent({ a: '2' }), '?fieldManager=ctrl-b');
    assert.equal(conflict.status, 409);
    assertStatus(conflict.json, 409, 'Conflict', /conflict with "ctrl-a"/);
    assert.ok(Array.isArray(conflict.json.details?.causes), `conflict Status lacks details.causes: ${conflict.text}`);
    assert.ok(conflict.json.details.causes.some((c: any) => c.reason === 'FieldManagerConflict' && c.field === '.data.a'));

    const forced = await patch('ssa', PatchStrategy.ServerSideApply, intent({ a: '2' }), '?fieldManager=ctrl-b&force=true');
    assert.equal(forced.status, 200);
    assert.equal(forced.json.data.a, '2');
  });

  it('server-side apply needs a field manager', async () => {
    const res = await patch('ssa-nomanager', PatchStrategy.ServerSideApply, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-nomanager' } }));
    // The real server validates PatchOptions first: 422 Invalid, "fieldManager: Required value".
    assert.equal(res.status, 422);
    assertStatus(res.json, 422, 'Invalid', /fieldManager: Required value/);
  });

  it('refuses an unknown patch content type with 415', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'ctype' } } });
    const res = await patch('ctype', 'application/xml', '<x/>');
    assert.equal(res.status, 415);
    assertStatus(res.json, 415, 'UnsupportedMediaType');
  });

  it('kubectl patch and kubectl apply --server-side work', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'kpatch' }, data: { a: '1' } } });
    await kubectlOk(target, ['patch', 'configmap', 'kpatch', '-n', ns, '--type', 'merge', '-p', '{"data":{"b":"2"}}']);
    await kubectlOk(target, ['patch', 'configmap', 'kpatch', '-n', ns, '--type', 'json', '-p', '[{"op":"remove","path":"/data/a"}]']);
    await kubectlOk(target, ['patch', 'configmap', 'kpatch', '-n', ns, '-p', '{"metadata":{"labels":{"s":"t"}}}']);
    const read = await core.readNamespacedConfigMap({ name: 'kpatch', namespace: ns });
    assert.deepEqual(read.data, { b: '2' });
    assert.deepEqual(read.metadata!.labels, { s: 't' });
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kssa\n  namespace: ${ns}\ndata:\n  x: "1"\n`;
    await kubectlOk(target, ['apply', '--server-side', '--field-manager', 'conf', '-f', '-'], manifest);
    const conflicting = await kubectl(target, ['apply', '--server-side', '--field-manager', 'other', '-f', '-'], manifest.replace('"1"', '"2"'));
    assert.notEqual(conflicting.code, 0);
    assert.match(conflicting.stderr, /conflict/i);
    await kubectlOk(target, ['apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', '-'], manifest.replace('"1"', '"2"'));
    const applied = await core.readNamespacedConfigMap({ name: 'kssa', namespace: ns });
    assert.equal(applied.data!.x, '2');
  });

  it('dryRun=All validates and answers without storing', async () => {
    const dry = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'dry' }, data: { a: '1' } }, dryRun: 'All' });
    assert.equal(dry.metadata!.name, 'dry');
    await expectApiError(core.readNamespacedConfigMap({ name: 'dry', namespace: ns }), 404, 'NotFound');
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'dry2' }, data: { a: '1' } } });
    const patched = await patch('dry2', PatchStrategy.MergePatch, { data: { a: '2' } }, '?dryRun=All');
    assert.equal(patched.json.data.a, '2');
    const deleted = await rawRequest(target, { method: 'DELETE', path: `${cmPath('dry2')}?dryRun=All` });
    assert.equal(deleted.status, 200);
    const still = await core.readNamespacedConfigMap({ name: 'dry2', namespace: ns });
    assert.equal(still.data!.a, '1');
    await expectApiError(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'Invalid_Name' } }, dryRun: 'All' }), 422, 'Invalid');
  });
});
