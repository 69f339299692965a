import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { rawRequest, rejectsWithStatus, testEnv } from '../helpers.js';

const as = (type: string) => setHeaderOptions('Content-Type', type);

describe('PATCH routing to the four patch types', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  before(async () => {
    env = await testEnv();
    core = env.kubeConfig.makeApiClient(CoreV1Api);
    apps = env.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'sidecar', image: 'envoy:1' }] } },
        },
      },
    });
  });
  after(() => env.stop());

  it('strategic merge patch merges containers by name', async () => {
    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } } },
      as(PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(patched.spec!.template.spec!.containers.map((c) => `${c.name}=${c.image}`), ['web=nginx:2', 'sidecar=envoy:1']);
    assert.equal(patched.metadata!.generation, 2);
  });

  it('merge patch replaces lists as a whole', async () => {
    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'busybox' }] } } } } },
      as(PatchStrategy.MergePatch),
    );
    assert.deepEqual(patched.spec!.template.spec!.containers.map((c) => c.name), ['only']);
  });

  it('JSON patch applies operations, and a failing test op is 422', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'jp' }, data: { a: '1' } } });
    const patched = await core.patchNamespacedConfigMap({ name: 'jp', namespace: 'default', body: [{ op: 'add', path: '/data/b', value: '2' }, { op: 'remove', path: '/data/a' }] });
    assert.deepEqual(patched.data, { b: '2' });
    await rejectsWithStatus(core.patchNamespacedConfigMap({ name: 'jp', namespace: 'default', body: [{ op: 'test', path: '/data/b', value: 'x' }] }), 422, 'Invalid');
  });

  it('a patch carrying a stale resourceVersion is a 409 Conflict', async () => {
    await rejectsWithStatus(core.patchNamespacedConfigMap({ name: 'jp', namespace: 'default', body: { metadata: { resourceVersion: '1' }, data: { c: '3' } } }, as(PatchStrategy.MergePatch)), 409, 'Conflict');
  });

  it('server-side apply creates, tracks managers and reports conflicts unless forced', async () => {
    const apply = (manager: string, data: Record<string, string>, force = false) => core.patchNamespacedConfigMap(
      { name: 'ssa', namespace: 'default', fieldManager: manager, force, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data } },
      as(PatchStrategy.ServerSideApply),
    );
    const created = await apply('alpha', { a: '1', b: '1' });
    assert.equal(created.metadata!.managedFields![0]!.manager, 'alpha');
    const status = await rejectsWithStatus(apply('beta', { a: '2' }), 409, 'Conflict');
    assert.ok(status.details.causes.some((c: { field?: string }) => c.field?.includes('data.a')), JSON.stringify(status.details));
    const forced = await apply('beta', { a: '2' }, true);
    assert.equal(forced.data!.a, '2');
    const dropped = await apply('alpha', { a: '1' }, true);
    assert.equal(dropped.data!.b, undefined, 'a field its manager stopped applying is removed');
  });

  it('apply without fieldManager is refused with 422', async () => {
    const response = await rawRequest(env, 'PATCH', '/api/v1/namespaces/default/configmaps/ssa', { body: 'data: {a: b}', contentType: 'application/apply-patch+yaml' });
    assert.equal(response.code, 422);
    assert.equal(response.body.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const forced = await rawRequest(env, 'PATCH', '/api/v1/namespaces/default/configmaps/ssa?force=true', { body: '{"data":{"a":"b"}}', contentType: 'application/merge-patch+json' });
    assert.equal(forced.code, 422);
    assert.match(forced.body.message, /force: Forbidden: may not be specified for non-apply patch/);
  });

  it('dryRun patches answer the result without storing it', async () => {
    const before = await core.readNamespacedConfigMap({ name: 'jp', namespace: 'default' });
    const dry = await core.patchNamespacedConfigMap({ name: 'jp', namespace: 'default', dryRun: 'All', body: { data: { dry: 'yes' } } }, as(PatchStrategy.MergePatch));
    assert.equal(dry.data!.dry, 'yes');
    const after = await core.readNamespacedConfigMap({ name: 'jp', namespace: 'default' });
    assert.equal(after.data!.dry, undefined);
    assert.equal(after.metadata!.resourceVersion, before.metadata!.resourceVersion);
  });
});
