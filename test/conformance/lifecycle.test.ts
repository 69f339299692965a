import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace, eventually, expectApiError } from './helpers.js';

describe('finalizers and cascade deletion', () => {
  let target: ConformanceTarget;
  let core: CoreV1Api;
  let ns: string;
  before(async () => {
    target = await startTarget();
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    ns = await createNamespace(target.kubeConfig, 'life');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const gone = (name: string) => async () => {
    try {
      await core.readNamespacedConfigMap({ name, namespace: ns });
      return undefined;
    } catch (err) {
      return (err as { code?: number }).code === 404 ? true : undefined;
    }
  };

  it('delete of an object with finalizers only marks it; removing the last finalizer deletes it', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'fin', finalizers: ['example.com/a', 'example.com/b'] } } });
    await core.deleteNamespacedConfigMap({ name: 'fin', namespace: ns });
    const marked = await core.readNamespacedConfigMap({ name: 'fin', namespace: ns });
    assert.ok(marked.metadata!.deletionTimestamp, 'deletionTimestamp is set');
    assert.deepEqual(marked.metadata!.finalizers, ['example.com/a', 'example.com/b']);

    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    await core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: ['example.com/b'] } } }, merge);
    const stillThere = await core.readNamespacedConfigMap({ name: 'fin', namespace: ns });
    assert.deepEqual(stillThere.metadata!.finalizers, ['example.com/b']);
    await expectApiError(
      core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: ['example.com/a', 'example.com/b', 'example.com/new'] } } }, merge),
      422,
      'Invalid',
      /finalizers/,
    );

    await core.patchNamespacedConfigMap({ name: 'fin', namespace: ns, body: { metadata: { finalizers: null } } }, merge);
    await eventually('the finalized object to be deleted', gone('fin'));
  });

  it('deleting an owner deletes its dependents in the background', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'child-1', ownerReferences: [ownerRef] } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'child-2', ownerReferences: [ownerRef] } } });
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'unrelated', ownerReferences: [{ ...ownerRef, uid: '00000000-0000-0000-0000-000000000000', name: 'someone-else' }] } },
    });
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns, propagationPolicy: 'Background' });
    await eventually('child-1 to be garbage collected', gone('child-1'), 400);
    await eventually('child-2 to be garbage collected', gone('child-2'), 400);
    // The object whose owner never existed is collected by a real cluster too, eventually; we only require
    // that objects owned by the deleted uid go. Remove it ourselves to keep the namespace tidy.
    await core.deleteNamespacedConfigMap({ name: 'unrelated', namespace: ns }).catch(() => undefined);
  });

  it('propagationPolicy Orphan keeps dependents and drops their ownerReference', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'orphan-owner' } } });
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'orphan-owner', uid: owner.metadata!.uid! };
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'orphan-child', ownerReferences: [ownerRef] } } });
    await core.deleteNamespacedConfigMap({ name: 'orphan-owner', namespace: ns, propagationPolicy: 'Orphan' });
    await eventually('the owner to go', gone('orphan-owner'), 400);
    const child = await eventually('the ownerReference to be removed', async () => {
      const c = await core.readNamespacedConfigMap({ name: 'orphan-child', namespace: ns });
      return (c.metadata!.ownerReferences ?? []).length === 0 ? c : undefined;
    }, 400);
    assert.equal(child.metadata!.name, 'orphan-child');
  });

  it('deleting a namespace deletes its objects', async () => {
    const doomed = await createNamespace(target.kubeConfig, 'nsdel');
    await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'inside' } } });
    await core.deleteNamespace({ name: doomed });
    await eventually('the namespace to go', async () => {
      try {
        await core.readNamespace({ name: doomed });
        return undefined;
      } catch (err) {
        return (err as { code?: number }).code === 404 ? true : undefined;
      }
    }, 400);
    await expectApiError(core.readNamespacedConfigMap({ name: 'inside', namespace: doomed }), 404, 'NotFound');
  });
});
