import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap, type V1OwnerReference } from '@kubernetes/client-node';
import { eventually } from '../../src/testing/eventually.js';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, rawRequest } from './helpers.js';

/** Controllers run on their own schedule on a real cluster: wait generously, poll often. */
const WAIT = { timeoutMs: 60_000, intervalMs: 100 };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const HOLD = 'example.com/hold';

describe('deletion: propagation policies, the garbage collector and namespace termination', () => {
  let target: ConformanceTarget;
  let core: CoreV1Api;
  let ns: string;
  before(async () => {
    target = await startTarget();
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    ns = await createNamespace(target.kubeConfig, 'deletion');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
  const deleteRaw = (path: string, options?: object, query = '') =>
    rawRequest(target, {
      method: 'DELETE',
      path: `${path}${query}`,
      ...(options ? { contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', ...options }) } : {}),
    });
  const read = async (name: string, namespace = ns): Promise<V1ConfigMap | undefined> => {
    try {
      return await core.readNamespacedConfigMap({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  const assertGone = async (name: string) => assert.equal(await read(name), undefined, `configmap ${name} is gone`);
  const create = (name: string, metadata: Record<string, unknown> = {}) =>
    core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, ...metadata } } });
  const refTo = (owner: V1ConfigMap, blockOwnerDeletion?: boolean): V1OwnerReference => ({
    apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!,
    ...(blockOwnerDeletion === undefined ? {} : { blockOwnerDeletion }),
  });
  const release = (name: string) => core.patchNamespacedConfigMap({ name, namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);

  it('DELETE of an object held by a finalizer answers 200 with the marked object', async () => {
    await create('held', { finalizers: [HOLD] });
    const res = await deleteRaw(`${configMaps()}/held`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ConfigMap');
    assert.ok(res.json.metadata.deletionTimestamp, 'deletionTimestamp is set');
    assert.deepEqual(res.json.metadata.finalizers, [HOLD]);
    await release('held');
    await eventually(() => assertGone('held'), WAIT);
  });

  it('DELETE with orphanDependents=false answers 202 while the object is held', async () => {
    await create('held-202', { finalizers: [HOLD] });
    const res = await deleteRaw(`${configMaps()}/held-202`, { orphanDependents: false });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.json.kind, 'ConfigMap');
    await release('held-202');
    await eventually(() => assertGone('held-202'), WAIT);
  });

  it('DELETE of a built-in object that goes at once answers 200 with a Success Status', async () => {
    const created = await create('plain');
    const res = await deleteRaw(`${configMaps()}/plain`, { propagationPolicy: 'Background' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.status, 'Success');
    assert.equal(res.json.details.name, 'plain');
    assert.equal(res.json.details.kind, 'configmaps');
    assert.equal(res.json.details.uid, created.metadata!.uid);
  });

  it('marking an object for deletion increments its generation', async () => {
    const apps = target.kubeConfig.makeApiClient(AppsV1Api);
    const labels = { app: 'gen-bump' };
    const created = await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'gen-bump', finalizers: [HOLD] },
        spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'example.invalid/none' }] } } },
      },
    });
    const res = await deleteRaw(`/apis/apps/v1/namespaces/${ns}/deployments/gen-bump`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.generation, created.metadata!.generation! + 1);
    await apps.patchNamespacedDeployment({ name: 'gen-bump', namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);
  });

  it('Foreground puts foregroundDeletion on the object even without dependents; the collector then removes it', async () => {
    await create('fg-alone');
    const res = await deleteRaw(`${configMaps()}/fg-alone`, { propagationPolicy: 'Foreground' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ConfigMap');
    assert.ok(res.json.metadata.deletionTimestamp, 'deletionTimestamp is set');
    assert.deepEqual(res.json.metadata.finalizers, ['foregroundDeletion']);
    await eventually(() => assertGone('fg-alone'), WAIT);
  });

  it('Foreground deletes the dependents and keeps the owner until no blocking dependent is left', async () => {
    const owner = await create('fg-owner');
    await create('fg-blocking', { ownerReferences: [refTo(owner, true)], finalizers: [HOLD] });
    await create('fg-free', { ownerReferences: [refTo(owner, false)] });
    await deleteRaw(`${configMaps()}/fg-owner`, undefined, '?propagationPolicy=Foreground');
    await eventually(() => assertGone('fg-free'), WAIT);
    const blocking = await eventually(async () => {
      const found = await read('fg-blocking');
      assert.ok(found?.metadata!.deletionTimestamp, 'the blocking dependent is being deleted');
      return found;
    }, WAIT);
    assert.deepEqual(blocking!.metadata!.finalizers, [HOLD]);
    const waiting = await read('fg-owner');
    assert.ok(waiting, 'the owner waits for its blocking dependent');
    assert.deepEqual(waiting.metadata!.finalizers, ['foregroundDeletion']);
    await release('fg-blocking');
    await eventually(() => assertGone('fg-blocking'), WAIT);
    await eventually(() => assertGone('fg-owner'), WAIT);
  });

  it('a dependent with another living owner stays; its reference to the owner deleted in the foreground is removed', async () => {
    const owner = await create('shared-owner');
    const other = await create('shared-other');
    await create('shared-child', { ownerReferences: [refTo(owner, true), refTo(other, false)] });
    await deleteRaw(`${configMaps()}/shared-owner`, { propagationPolicy: 'Foreground' });
    await eventually(() => assertGone('shared-owner'), WAIT);
    const child = await read('shared-child');
    assert.ok(child, 'the dependent stays');
    assert.deepEqual(child.metadata!.ownerReferences!.map((r) => r.uid), [other.metadata!.uid]);
  });

  it('Orphan puts the orphan finalizer on the owner, removes the references to it, then removes the owner', async () => {
    const owner = await create('orphan-owner');
    await create('orphan-child', { ownerReferences: [refTo(owner, true)] });
    const res = await deleteRaw(`${configMaps()}/orphan-owner`, { propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
    await eventually(() => assertGone('orphan-owner'), WAIT);
    const child = await read('orphan-child');
    assert.ok(child, 'the dependent stays');
    assert.equal(child.metadata!.ownerReferences, undefined);
  });

  it('an object whose owner does not exist is collected', async () => {
    await create('dangling', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-created', uid: '7b0c0a30-0000-4000-8000-000000000001' }] });
    await eventually(() => assertGone('dangling'), WAIT);
  });

  it('a bad propagationPolicy is 422 Invalid on DeleteOptions, before the object is looked up', async () => {
    const res = await deleteRaw(`${configMaps()}/does-not-exist`, undefined, '?propagationPolicy=Sideways');
    assert.equal(res.status, 422, res.text);
    assertStatus(res.json, 422, 'Invalid');
    assert.equal(res.json.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"');
    assert.equal(res.json.details.kind, 'DeleteOptions');
    assert.equal(res.json.details.group, 'meta.k8s.io');
    assert.deepEqual(res.json.details.causes, [
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"', field: 'propagationPolicy' },
    ]);
  });

  it('orphanDependents together with propagationPolicy is 422 Invalid', async () => {
    const res = await deleteRaw(`${configMaps()}/does-not-exist`, { orphanDependents: true, propagationPolicy: 'Orphan' });
    assertStatus(res.json, 422, 'Invalid');
    assert.equal(res.json.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set');
  });

  it('a watch with resourceVersionMatch=Exact is 422 Invalid on ListOptions', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const rv = list.metadata!.resourceVersion!;
    const res = await rawRequest(target, { method: 'GET', path: `${configMaps()}?watch=true&resourceVersion=${rv}&resourceVersionMatch=Exact` });
    assert.equal(res.status, 422, res.text);
    assertStatus(res.json, 422, 'Invalid');
    assert.equal(
      res.json.message,
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    );
    assert.deepEqual(res.json.details.causes.map((c: { reason: string }) => c.reason), ['FieldValueForbidden', 'FieldValueNotSupported']);
  });

  for (const immortal of ['default', 'kube-system', 'kube-public']) {
    it(`the ${immortal} namespace cannot be deleted (403 Forbidden)`, async () => {
      // dryRun keeps a real cluster safe should it ever accept: admission still runs on a dry run.
      const res = await deleteRaw(`/api/v1/namespaces/${immortal}`, undefined, '?dryRun=All');
      assert.equal(res.status, 403, res.text);
      assertStatus(res.json, 403, 'Forbidden', new RegExp(`^namespaces "${immortal}" is forbidden: this namespace may not be deleted$`));
      assert.deepEqual(res.json.details, { name: immortal, kind: 'namespaces' });
    });
  }

  it('a deleted namespace is Terminating, refuses new content, reports what holds it and goes once empty', async () => {
    const doomed = await createNamespace(target.kubeConfig, 'terminating');
    try {
      await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'kept', finalizers: [HOLD] } } });
      await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'plain' } } });
      const res = await deleteRaw(`/api/v1/namespaces/${doomed}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.kind, 'Namespace');
      assert.equal(res.json.status.phase, 'Terminating');
      assert.ok(res.json.metadata.deletionTimestamp, 'deletionTimestamp is set');
      assert.deepEqual(res.json.spec.finalizers, ['kubernetes']);

      const refused = await rawRequest(target, {
        method: 'POST', path: `/api/v1/namespaces/${doomed}/configmaps`, contentType: 'application/json',
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }),
      });
      assert.equal(refused.status, 403, refused.text);
      assertStatus(refused.json, 403, 'Forbidden');
      assert.equal(refused.json.message, `configmaps "late" is forbidden: unable to create new content in namespace ${doomed} because it is being terminated`);
      assert.deepEqual(refused.json.details, {
        name: 'late', kind: 'configmaps',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${doomed} is being terminated`, field: 'metadata.namespace' }],
      });

      await eventually(async () => assert.equal(await read('plain', doomed), undefined), WAIT);
      const conditions = await eventually(async () => {
        const namespace = await core.readNamespace({ name: doomed });
        const byType = new Map((namespace.status?.conditions ?? []).map((c) => [c.type, c]));
        assert.equal(byType.get('NamespaceContentRemaining')?.status, 'True');
        assert.equal(byType.get('NamespaceFinalizersRemaining')?.status, 'True');
        return byType;
      }, WAIT);
      assert.deepEqual(
        [...conditions.values()].map((c) => [c.type, c.status, c.reason, c.message]).sort(),
        [
          ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
          ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
          ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
          ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
          ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${HOLD} in 1 resource instances`],
        ].sort(),
      );
      const still = await core.readNamespace({ name: doomed });
      assert.equal(still.status?.phase, 'Terminating');

      await core.patchNamespacedConfigMap({ name: 'kept', namespace: doomed, body: { metadata: { finalizers: null } } }, MERGE);
      await eventually(async () => {
        const gone = await core.readNamespace({ name: doomed }).then(() => false, (err: { code?: number }) => err.code === 404);
        assert.ok(gone, `namespace ${doomed} is removed`);
      }, WAIT);
    } finally {
      await core.patchNamespacedConfigMap({ name: 'kept', namespace: doomed, body: { metadata: { finalizers: null } } }, MERGE).catch(() => undefined);
      await deleteNamespace(target.kubeConfig, doomed);
    }
  });
});
