import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace, expectApiError, rawRequest } from './helpers.js';
import { installCrd, removeCrd, widgetCrd } from './crd-fixture.js';

describe('generic clients, preconditions and namespaces', () => {
  let target: ConformanceTarget;
  let objects: KubernetesObjectApi;
  let core: CoreV1Api;
  let ns: string;
  const w = widgetCrd();
  before(async () => {
    target = await startTarget();
    objects = KubernetesObjectApi.makeApiClient(target.kubeConfig);
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    ns = await createNamespace(target.kubeConfig, 'objapi');
    await installCrd(target, w.crd);
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await removeCrd(target.kubeConfig, w.crd.metadata.name);
    await target.stop();
  });

  it('KubernetesObjectApi creates, reads, patches, lists and deletes built-in objects through discovery', async () => {
    const spec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: ns }, data: { a: '1' } };
    await objects.create(spec);
    const read = await objects.read<KubernetesObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: ns } });
    assert.deepEqual(read.data, { a: '1' });
    const patched = await objects.patch<KubernetesObject & { data?: Record<string, string> }>(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: ns }, data: { b: '2' } } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    assert.deepEqual(patched.data, { a: '1', b: '2' });
    const list = await objects.list('v1', 'ConfigMap', ns, undefined, undefined, undefined, 'metadata.name=generic');
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['generic']);
    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: ns } });
    await expectApiError(core.readNamespacedConfigMap({ name: 'generic', namespace: ns }), 404, 'NotFound');
  });

  it('KubernetesObjectApi handles custom resources, including server-side apply', async () => {
    const widget = { apiVersion: w.apiVersion, kind: 'Widget', metadata: { name: 'gw', namespace: ns }, spec: { size: 2 } } as KubernetesObject;
    const applied = await objects.patch<any>(widget, undefined, undefined, 'conformance', true, PatchStrategy.ServerSideApply);
    assert.equal(applied.spec.size, 2);
    assert.equal(applied.spec.replicas, 1, 'defaults applied on apply-create');
    const read = await objects.read<any>({ apiVersion: w.apiVersion, kind: 'Widget', metadata: { name: 'gw', namespace: ns } });
    assert.equal(read.metadata.managedFields[0].manager, 'conformance');
    await objects.delete(widget);
  });

  it('an update without resourceVersion is unconditional', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'uncond' }, data: { a: '1' } } });
    const replaced = await core.replaceNamespacedConfigMap({ name: 'uncond', namespace: ns, body: { metadata: { name: 'uncond' }, data: { a: '2' } } });
    assert.equal(replaced.data!.a, '2');
  });

  it('delete preconditions on uid and resourceVersion answer 409 Conflict when they do not match', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'precond' } } });
    const del = (preconditions: object) =>
      rawRequest(target, {
        method: 'DELETE',
        path: `/api/v1/namespaces/${ns}/configmaps/precond`,
        contentType: 'application/json',
        body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions }),
      });
    const wrongUid = await del({ uid: '00000000-0000-0000-0000-000000000000' });
    assert.equal(wrongUid.status, 409, wrongUid.text);
    // Status and reason only: a real server's message carries storage details (keys, error codes).
    assert.equal(wrongUid.json.reason, 'Conflict');
    const wrongRv = await del({ resourceVersion: '1' });
    assert.equal(wrongRv.status, 409, wrongRv.text);
    assert.equal(wrongRv.json.reason, 'Conflict');
    const ok = await del({ uid: created.metadata!.uid, resourceVersion: created.metadata!.resourceVersion });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a new namespace is Active and lists like the others', async () => {
    const read = await core.readNamespace({ name: ns });
    assert.equal(read.status?.phase, 'Active');
    const list = await core.listNamespace({ labelSelector: 'operator-ts/conformance=true' });
    assert.ok(list.items.some((n) => n.metadata!.name === ns));
  });
});
