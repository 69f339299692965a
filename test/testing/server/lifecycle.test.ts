import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap, type V1OwnerReference } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { eventually } from '../../../src/testing/eventually.js';
import { rejectsWithStatus, testEnv } from '../helpers.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function ownedBy(owner: V1ConfigMap): V1OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}

describe('finalizers and garbage collection', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  const ns = 'default';
  const exists = async (name: string) => {
    try {
      return await core.readNamespacedConfigMap({ name, namespace: ns });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  before(async () => {
    env = await testEnv();
    core = env.kubeConfig.makeApiClient(CoreV1Api);
  });
  after(() => env.stop());

  it('marks an object with finalizers and deletes it when the last finalizer goes', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'fin', finalizers: ['a.example.com/x', 'b.example.com/y'] } } });
    await core.deleteNamespacedConfigMap({ name: 'fin', namespace: ns });
    const still = await exists('fin');
    assert.ok(still?.metadata!.deletionTimestamp);
    await rejectsWithStatus(core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: ['a.example.com/x', 'b.example.com/y', 'c.example.com/z'] } } }, MERGE), 422, 'Invalid', 'metadata.finalizers: Forbidden: no new finalizers');
    await core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: ['b.example.com/y'] } } }, MERGE);
    assert.ok(await exists('fin'));
    await core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);
    assert.equal(await exists('fin'), undefined);
  });

  it('deletes dependents in the background when their owner goes (cascading)', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    const child = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'child', ownerReferences: [ownedBy(owner)] } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'grandchild', ownerReferences: [ownedBy(child)] } } });
    const other = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'other-owner' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'shared', ownerReferences: [ownedBy(owner), ownedBy(other)] } } });
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns });
    await eventually(async () => assert.equal(await exists('child'), undefined));
    await eventually(async () => assert.equal(await exists('grandchild'), undefined));
    await eventually(async () => {
      const shared = await exists('shared');
      assert.ok(shared, 'an object with another living owner stays');
      assert.deepEqual(shared.metadata!.ownerReferences!.map((r) => r.name), ['other-owner'], 'the reference to the deleted owner is dropped');
    });
    await core.deleteNamespacedConfigMap({ name: 'other-owner', namespace: ns });
    await eventually(async () => assert.equal(await exists('shared'), undefined));
  });

  it('orphans dependents with propagationPolicy=Orphan', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'o-owner' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'o-child', ownerReferences: [ownedBy(owner)] } } });
    await core.deleteNamespacedConfigMap({ name: 'o-owner', namespace: ns, propagationPolicy: 'Orphan' });
    await eventually(async () => assert.equal(await exists('o-owner'), undefined));
    const child = await exists('o-child');
    assert.ok(child);
    assert.equal(child.metadata!.ownerReferences, undefined);
  });

  it('deletes dependents first with propagationPolicy=Foreground', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'f-owner' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'f-child', finalizers: ['example.com/hold'], ownerReferences: [ownedBy(owner)] } } });
    await core.deleteNamespacedConfigMap({ name: 'f-owner', namespace: ns, propagationPolicy: 'Foreground' });
    await eventually(async () => assert.ok((await exists('f-child'))?.metadata!.deletionTimestamp, 'the child is being deleted'));
    const waiting = await exists('f-owner');
    assert.ok(waiting?.metadata!.deletionTimestamp);
    assert.ok(waiting.metadata!.finalizers!.includes('foregroundDeletion'));
    await core.patchNamespacedConfigMap({ name: 'f-child', namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);
    assert.equal(await exists('f-child'), undefined);
    await eventually(async () => assert.equal(await exists('f-owner'), undefined));
  });

  it('checks delete preconditions', async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'pre' } } });
    await rejectsWithStatus(core.deleteNamespacedConfigMap({ name: 'pre', namespace: ns, body: { preconditions: { resourceVersion: '1' } } }), 409, 'Conflict', 'Precondition failed');
    await core.deleteNamespacedConfigMap({ name: 'pre', namespace: ns, body: { preconditions: { uid: cm.metadata!.uid } } });
    assert.equal(await exists('pre'), undefined);
  });

  it('deletes collections by label selector', async () => {
    for (const [name, app] of [['dc1', 'x'], ['dc2', 'x'], ['dc3', 'y']]) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels: { app: app! } } } });
    await core.deleteCollectionNamespacedConfigMap({ namespace: ns, labelSelector: 'app=x' });
    assert.equal(await exists('dc1'), undefined);
    assert.equal(await exists('dc2'), undefined);
    assert.ok(await exists('dc3'));
  });
});
