import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoordinationV1Api, CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { rejectsWithStatus, testEnv } from '../helpers.js';
import { eventually } from '../../../src/testing/eventually.js';

describe('object semantics through client-node', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  before(async () => {
    env = await testEnv();
    core = env.kubeConfig.makeApiClient(CoreV1Api);
  });
  after(() => env.stop());

  it('starts with default and kube-system namespaces, Active', async () => {
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata!.name);
    assert.ok(names.includes('default') && names.includes('kube-system'));
    assert.equal(list.items.find((n) => n.metadata!.name === 'default')!.status!.phase, 'Active');
  });

  it('creates with uid, creationTimestamp and a resourceVersion from one counter; ConfigMaps carry no generation', async () => {
    const a = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' }, data: { k: 'v' } } });
    const b = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'b' } } });
    assert.match(a.metadata!.uid!, /^[0-9a-f-]{36}$/);
    assert.equal(a.metadata!.generation, undefined, 'like the real server, ConfigMaps have no generation');
    assert.ok(a.metadata!.creationTimestamp);
    assert.ok(Number(b.metadata!.resourceVersion) > Number(a.metadata!.resourceVersion));
    const got = await core.readNamespacedConfigMap({ name: 'a', namespace: 'default' });
    assert.deepEqual(got.data, { k: 'v' });
    assert.equal(got.metadata!.resourceVersion, a.metadata!.resourceVersion);
  });

  it('answers 409 AlreadyExists, 404 NotFound and 409 Conflict for a stale resourceVersion', async () => {
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' } } }), 409, 'AlreadyExists', 'configmaps "a" already exists');
    await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'missing', namespace: 'default' }), 404, 'NotFound', 'configmaps "missing" not found');
    const current = await core.readNamespacedConfigMap({ name: 'a', namespace: 'default' });
    const updated = await core.replaceNamespacedConfigMap({ name: 'a', namespace: 'default', body: { ...current, data: { k: 'v2' } } });
    assert.notEqual(updated.metadata!.resourceVersion, current.metadata!.resourceVersion);
    await rejectsWithStatus(core.replaceNamespacedConfigMap({ name: 'a', namespace: 'default', body: { ...current, data: { k: 'v3' } } }), 409, 'Conflict', 'the object has been modified');
  });

  it('does not bump resourceVersion for a no-op update', async () => {
    const current = await core.readNamespacedConfigMap({ name: 'b', namespace: 'default' });
    const same = await core.replaceNamespacedConfigMap({ name: 'b', namespace: 'default', body: current });
    assert.equal(same.metadata!.resourceVersion, current.metadata!.resourceVersion);
  });

  it('generates names from generateName and validates names', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { generateName: 'gen-' } } });
    assert.match(created.metadata!.name!, /^gen-[a-z0-9]{5}$/);
    const status = await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }), 422, 'Invalid', 'metadata.name: Invalid value: "Bad_Name"');
    assert.equal(status.details.causes[0].field, 'metadata.name');
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: {} } }), 422, 'Invalid', 'name or generateName is required');
  });

  it('requires the namespace to exist', async () => {
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'nope', body: { metadata: { name: 'x' } } }), 404, 'NotFound', 'namespaces "nope" not found');
  });

  it('refuses creates in a terminating namespace and deletes its objects when emptied', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'free' } } });
    await core.deleteNamespace({ name: 'doomed' });
    const ns = await core.readNamespace({ name: 'doomed' });
    assert.equal(ns.status!.phase, 'Terminating');
    assert.ok(ns.metadata!.deletionTimestamp);
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'late' } } }), 403, 'Forbidden', 'because it is being terminated');
    // The namespace controller works after the DELETE has been answered.
    await eventually(() => rejectsWithStatus(core.readNamespacedConfigMap({ name: 'free', namespace: 'doomed' }), 404, 'NotFound'));
    const held = await eventually(async () => {
      const found = await core.readNamespacedConfigMap({ name: 'held', namespace: 'doomed' });
      assert.ok(found.metadata!.deletionTimestamp, 'held is being deleted');
      return found;
    });
    await core.replaceNamespacedConfigMap({ name: 'held', namespace: 'doomed', body: { ...held, metadata: { ...held.metadata, finalizers: [] } } });
    await eventually(() => rejectsWithStatus(core.readNamespace({ name: 'doomed' }), 404, 'NotFound'));
  });

  it('lists with label selectors, field selectors and pagination', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    const labels: Array<Record<string, string>> = [{ app: 'web', tier: 'fe' }, { app: 'web', tier: 'be' }, { app: 'db' }, {}];
    for (const [i, l] of labels.entries()) await core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name: `c${i}`, labels: l } } });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'sel', labelSelector, fieldSelector })).items.map((c) => c.metadata!.name);
    assert.deepEqual(await names('app=web'), ['c0', 'c1']);
    assert.deepEqual(await names('app==web,tier!=fe'), ['c1']);
    assert.deepEqual(await names('app in (db, web),tier notin (be)'), ['c0', 'c2']);
    assert.deepEqual(await names('tier'), ['c0', 'c1']);
    assert.deepEqual(await names('!app'), ['c3']);
    assert.deepEqual(await names(undefined, 'metadata.name=c2'), ['c2']);
    assert.deepEqual(await names(undefined, 'metadata.name!=c2,metadata.namespace=sel'), ['c0', 'c1', 'c3']);
    await rejectsWithStatus(core.listNamespacedConfigMap({ namespace: 'sel', labelSelector: 'app in (web' }), 400, 'BadRequest');
    await rejectsWithStatus(core.listNamespacedConfigMap({ namespace: 'sel', fieldSelector: 'spec.foo=x' }), 400, 'BadRequest', 'field label not supported: spec.foo');

    const page1 = await core.listNamespacedConfigMap({ namespace: 'sel', limit: 3 });
    assert.deepEqual(page1.items.map((c) => c.metadata!.name), ['c0', 'c1', 'c2']);
    assert.ok(page1.metadata!._continue);
    assert.equal(page1.metadata!.remainingItemCount, 1);
    // A change after the first page does not show in later pages: they come from the same snapshot.
    await core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name: 'c9' } } });
    const page2 = await core.listNamespacedConfigMap({ namespace: 'sel', limit: 3, _continue: page1.metadata!._continue });
    assert.deepEqual(page2.items.map((c) => c.metadata!.name), ['c3']);
    assert.equal(page2.metadata!._continue, undefined);
    assert.equal(page2.metadata!.resourceVersion, page1.metadata!.resourceVersion);
  });

  it('supports dryRun=All: answers without storing', async () => {
    const dry = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'dry' } }, dryRun: 'All' });
    assert.equal(dry.metadata!.name, 'dry');
    await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'dry', namespace: 'default' }), 404, 'NotFound');
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'default', dryRun: 'All' });
    await core.readNamespacedConfigMap({ name: 'a', namespace: 'default' });
  });

  it('serves leases with MicroTime fields and secrets with stringData', async () => {
    const coordination = env.kubeConfig.makeApiClient(CoordinationV1Api);
    const renewTime = '2026-01-02T03:04:05.123456Z' as unknown as Date;
    const lease = await coordination.createNamespacedLease({ namespace: 'default', body: { metadata: { name: 'lock' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime } } });
    assert.equal(lease.spec!.holderIdentity, 'me');
    assert.equal(String(lease.spec!.renewTime), '2026-01-02T03:04:05.123456Z');
    const secret = await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 's' }, stringData: { password: 'hunter2' } } });
    assert.equal(secret.type, 'Opaque');
    assert.equal(secret.data!.password, Buffer.from('hunter2').toString('base64'));
    assert.equal((secret as { stringData?: unknown }).stringData, undefined);
  });

  it('ignores status on the main endpoint and everything else on /status for kinds with a status subresource', async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: 'status-ns', labels: { a: '1' } } } });
    const updated = await core.replaceNamespace({ name: 'status-ns', body: { ...ns, status: { phase: 'Bogus' } } });
    assert.equal(updated.status!.phase, 'Active');
    const viaStatus = await core.replaceNamespaceStatus({ name: 'status-ns', body: { ...updated, metadata: { ...updated.metadata, labels: { a: '2' } }, status: { phase: 'Active', conditions: [{ type: 'X', status: 'True' }] } } });
    assert.equal(viaStatus.metadata!.labels!.a, '1');
    assert.equal(viaStatus.status!.conditions![0]!.type, 'X');
  });

  it('deletes a configmap for good when it has no finalizers', async () => {
    const cm: V1ConfigMap = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'gone' } } });
    await core.deleteNamespacedConfigMap({ name: 'gone', namespace: 'default' });
    await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'gone', namespace: 'default' }), 404, 'NotFound');
    assert.ok(cm.metadata!.uid);
  });
});
