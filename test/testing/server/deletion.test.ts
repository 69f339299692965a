import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { eventually } from '../../../src/testing/eventually.js';
import { ControllerQueue } from '../../../src/testing/server/controller-queue.js';
import { finalizersFor } from '../../../src/testing/server/deletes.js';
import { rawRequest, testEnv } from '../helpers.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ControllerQueue', () => {
  it('runs work after the caller returns, once per key, and queues work added while running for later', async () => {
    const queue = new ControllerQueue();
    const ran: string[] = [];
    queue.add('a', () => ran.push('a1'));
    queue.add('a', () => ran.push('a2'));
    queue.add('b', () => {
      ran.push('b');
      queue.add('c', () => ran.push('c'));
    });
    assert.deepEqual(ran, [], 'nothing runs synchronously');
    await nextTurn();
    assert.deepEqual(ran, ['a2', 'b']);
    await nextTurn();
    assert.deepEqual(ran, ['a2', 'b', 'c']);
  });

  it('drops pending work on stop and accepts none after', async () => {
    const queue = new ControllerQueue();
    const ran: string[] = [];
    queue.add('a', () => ran.push('a'));
    queue.stop();
    queue.add('b', () => ran.push('b'));
    await nextTurn();
    assert.deepEqual(ran, []);
    assert.equal(queue.size, 0);
  });

  it('reports a failing piece of work and goes on with the rest', async () => {
    const errors: unknown[] = [];
    const queue = new ControllerQueue((err) => errors.push(err));
    const ran: string[] = [];
    queue.add('bad', () => {
      throw new Error('boom');
    });
    queue.add('good', () => ran.push('good'));
    await nextTurn();
    assert.deepEqual(ran, ['good']);
    assert.equal((errors[0] as Error).message, 'boom');
  });
});

describe('finalizersFor', () => {
  const object = (finalizers?: string[]) => ({ metadata: { ...(finalizers ? { finalizers } : {}) } });
  it('adds the policy finalizer and swaps the other one out', () => {
    assert.deepEqual(finalizersFor(object(), 'Foreground'), ['foregroundDeletion']);
    assert.deepEqual(finalizersFor(object(['x', 'orphan']), 'Foreground'), ['x', 'foregroundDeletion']);
    assert.deepEqual(finalizersFor(object(['foregroundDeletion']), 'Background'), []);
    assert.deepEqual(finalizersFor(object(['x']), 'Orphan'), ['x', 'orphan']);
  });
  it('keeps what is there when no policy was given', () => {
    assert.deepEqual(finalizersFor(object(['orphan']), undefined), ['orphan']);
    assert.deepEqual(finalizersFor(object(), undefined), []);
  });
});

describe('deletion through the embedded server', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  const ns = 'default';
  const read = async (name: string, namespace = ns): Promise<V1ConfigMap | undefined> => {
    try {
      return await core.readNamespacedConfigMap({ name, namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  const create = (name: string, metadata: Record<string, unknown> = {}, namespace = ns) =>
    core.createNamespacedConfigMap({ namespace, body: { metadata: { name, ...metadata } } });
  const del = (path: string, options?: object) =>
    rawRequest(env, 'DELETE', path, options ? { body: JSON.stringify(options), contentType: 'application/json' } : {});

  before(async () => {
    env = await testEnv();
    core = env.kubeConfig.makeApiClient(CoreV1Api);
  });
  after(() => env.stop());

  it('a dry-run Foreground DELETE answers the marked object and changes nothing', async () => {
    await create('dry');
    const res = await del(`/api/v1/namespaces/${ns}/configmaps/dry?dryRun=All&propagationPolicy=Foreground`);
    assert.equal(res.code, 200);
    assert.deepEqual(res.body.metadata.finalizers, ['foregroundDeletion']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stored = await read('dry');
    assert.equal(stored?.metadata!.deletionTimestamp, undefined);
    assert.equal(stored?.metadata!.finalizers, undefined);
  });

  it('a second DELETE with another policy swaps the propagation finalizer; the collector then takes it off', async () => {
    const owner = await create('swap-owner', { finalizers: ['example.com/hold'] });
    await create('swap-child', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'swap-owner', uid: owner.metadata!.uid }] });
    const first = await del(`/api/v1/namespaces/${ns}/configmaps/swap-owner`);
    assert.deepEqual(first.body.metadata.finalizers, ['example.com/hold']);
    const second = await del(`/api/v1/namespaces/${ns}/configmaps/swap-owner`, { propagationPolicy: 'Orphan' });
    assert.equal(second.code, 200);
    assert.deepEqual(second.body.metadata.finalizers, ['example.com/hold', 'orphan']);
    await eventually(async () => assert.deepEqual((await read('swap-owner'))?.metadata!.finalizers, ['example.com/hold']));
    assert.equal((await read('swap-child'))?.metadata!.ownerReferences, undefined);
    await core.patchNamespacedConfigMap({ name: 'swap-owner', namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);
    await eventually(async () => assert.equal(await read('swap-owner'), undefined));
  });

  it('an owner deleted in the foreground drops a dependent that has its own dependents in the foreground too', async () => {
    const top = await create('chain-top');
    const middle = await create('chain-middle', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'chain-top', uid: top.metadata!.uid, blockOwnerDeletion: true }] });
    await create('chain-leaf', { finalizers: ['example.com/hold'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'chain-middle', uid: middle.metadata!.uid, blockOwnerDeletion: true }] });
    await del(`/api/v1/namespaces/${ns}/configmaps/chain-top`, { propagationPolicy: 'Foreground' });
    await eventually(async () => assert.ok((await read('chain-leaf'))?.metadata!.deletionTimestamp, 'the leaf is being deleted'));
    assert.deepEqual((await read('chain-middle'))?.metadata!.finalizers, ['foregroundDeletion']);
    assert.ok(await read('chain-top'), 'the top waits for the whole chain');
    await core.patchNamespacedConfigMap({ name: 'chain-leaf', namespace: ns, body: { metadata: { finalizers: null } } }, MERGE);
    await eventually(async () => assert.equal(await read('chain-top'), undefined));
    assert.equal(await read('chain-middle'), undefined);
  });

  it('a namespace loses only its kubernetes spec finalizer; another one keeps it Terminating', async () => {
    await core.createNamespace({ body: { metadata: { name: 'spec-held' }, spec: { finalizers: ['example.com/ns-hold'] } } });
    const created = await core.readNamespace({ name: 'spec-held' });
    assert.deepEqual(created.spec!.finalizers, ['example.com/ns-hold', 'kubernetes']);
    await create('content', {}, 'spec-held');
    await del('/api/v1/namespaces/spec-held');
    await eventually(async () => assert.deepEqual((await core.readNamespace({ name: 'spec-held' })).spec!.finalizers, ['example.com/ns-hold']));
    const held = await core.readNamespace({ name: 'spec-held' });
    assert.equal(held.status!.phase, 'Terminating');
    assert.equal(await read('content', 'spec-held'), undefined);
    const conditions = new Map((held.status!.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(conditions.get('NamespaceContentRemaining')?.reason, 'ContentRemoved');
    assert.equal(conditions.get('NamespaceFinalizersRemaining')?.reason, 'ContentHasNoFinalizers');
  });

  it('list and watch options the real server refuses are 422 on ListOptions', async () => {
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    const cases: Array<[string, RegExp]> = [
      [`${base}?watch=true&sendInitialEvents=true`, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/],
      [`${base}?sendInitialEvents=true`, /sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list/],
      [`${base}?resourceVersionMatch=Exact`, /resourceVersionMatch is forbidden unless resourceVersion is provided/],
      [`${base}?resourceVersion=0&resourceVersionMatch=Exact`, /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/],
      [`${base}?resourceVersion=1&resourceVersionMatch=Newest`, /Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""/],
    ];
    for (const [path, message] of cases) {
      const res = await rawRequest(env, 'GET', path);
      assert.equal(res.code, 422, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.reason, 'Invalid');
      assert.match(res.body.message, /^ListOptions\.meta\.k8s\.io "" is invalid: /);
      assert.match(res.body.message, message, path);
    }
  });

  it('a watch with sendInitialEvents and resourceVersionMatch=NotOlderThan is accepted', async () => {
    const controller = new AbortController();
    const response = await fetch(`${env.url}/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`, { signal: controller.signal });
    assert.equal(response.status, 200);
    controller.abort();
  });

  it('namespaces have no deletecollection: 405, and nothing is marked', async () => {
    const res = await rawRequest(env, 'DELETE', '/api/v1/namespaces');
    assert.equal(res.code, 405);
    assert.equal(res.body.reason, 'MethodNotAllowed');
    assert.equal((await core.readNamespace({ name: 'default' })).status!.phase, 'Active');
  });

  it('DeleteOptions with a dryRun other than All is 422', async () => {
    const res = await del(`/api/v1/namespaces/${ns}/configmaps/anything`, { dryRun: ['Some'] });
    assert.equal(res.code, 422);
    assert.equal(res.body.message, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"');
  });
});
