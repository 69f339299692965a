/**
 * createOrUpdate/createOrPatch, ignoreNotFound, the API reader, get by key and dry-run writes against the
 * embedded API server. Each test counts writes by the server's resourceVersion. Runs against a real
 * cluster too: USE_EXISTING_CLUSTER=true KUBECONFIG=... (it creates and deletes its own namespace and CRD).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { ConfigMap, Namespace } from '../../../src/runtime/builtin-resources.js';
import { defineResource } from '../../../src/runtime/resource.js';
import { ConflictError, InvalidError, NotFoundError, ignoreNotFound } from '../../../src/runtime/client/errors.js';
import { createOrPatch, createOrUpdate, MutateKeyChangedError } from '../../../src/runtime/client/create-or-update.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import { ValidationError } from '../../../src/errors.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import type { Client } from '../../../src/runtime/client/client.js';
import { TestHost } from '../controller/fixtures.js';

interface Gadget extends KubernetesObject {
  spec?: { size?: number; mode?: string };
  status?: { observedSize?: number; phase?: string };
}
// A group of its own, so a run against a shared cluster does not touch anyone else's CRD.
const Gadget = defineResource<Gadget>({ group: 'clienthelpers.test.operator-ts.dev', version: 'v1', kind: 'Gadget', plural: 'gadgets' });
const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.clienthelpers.test.operator-ts.dev' },
  spec: {
    group: 'clienthelpers.test.operator-ts.dev',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', properties: { size: { type: 'integer' }, mode: { type: 'string' } } },
        status: { type: 'object', properties: { observedSize: { type: 'integer' }, phase: { type: 'string' } } },
      } } },
    }],
  },
};

let env: TestEnv;
let host: TestHost;
let client: Client;
const ns = `client-helpers-${randomUUID().slice(0, 8)}`;

before(async () => {
  env = await startTestEnv({ crds: [gadgetCrd] });
  host = new TestHost(env.kubeConfig);
  client = host.client;
  await client.create(Namespace, { metadata: { name: ns } });
});
after(async () => {
  await client?.delete(Namespace, '', ns);
  await env?.stop();
});

const rvOf = async (rt: typeof ConfigMap | typeof Gadget, name: string) => (await client.apiReader.get(rt as typeof Gadget, ns, name))?.metadata?.resourceVersion;

test('createOrUpdate: created, unchanged (nothing written), updated; obj holds what the server answered', async () => {
  const reader = client.apiReader;
  const setData = (value: string) => (cm: { data?: Record<string, string> }) => {
    cm.data = { ...cm.data, key: value };
  };
  const cm = { metadata: { name: 'cou', namespace: ns } };
  assert.equal(await createOrUpdate(client, ConfigMap, cm, setData('a'), { reader }), 'created');
  assert.ok((cm as KubernetesObject).metadata?.uid, 'obj is filled with the created object');
  const createdRv = await rvOf(ConfigMap, 'cou');
  assert.equal((cm as KubernetesObject).metadata?.resourceVersion, createdRv);

  let seen: unknown;
  const again = { metadata: { name: 'cou', namespace: ns } };
  const result = await createOrUpdate(client, ConfigMap, again, (obj) => {
    seen = structuredClone(obj);
    setData('a')(obj);
  }, { reader });
  assert.equal(result, 'unchanged');
  assert.deepEqual((seen as { data?: unknown }).data, { key: 'a' }, 'mutate sees the current object');
  assert.equal(await rvOf(ConfigMap, 'cou'), createdRv, 'an unchanged object is not written');

  const third = { metadata: { name: 'cou', namespace: ns } };
  assert.equal(await createOrUpdate(client, ConfigMap, third, setData('b'), { reader }), 'updated');
  const updatedRv = await rvOf(ConfigMap, 'cou');
  assert.notEqual(updatedRv, createdRv);
  assert.equal((third as KubernetesObject).metadata?.resourceVersion, updatedRv);
  assert.deepEqual((await client.read(ConfigMap, { namespace: ns, name: 'cou' }))?.data, { key: 'b' });
});

test('createOrUpdate: a stale read surfaces a 409 and writes nothing', async () => {
  await client.create(ConfigMap, { metadata: { name: 'stale', namespace: ns }, data: { key: 'a' } });
  const stale = await client.apiReader.get(ConfigMap, { namespace: ns, name: 'stale' });
  await client.patch(ConfigMap, ns, 'stale', { data: { other: 'x' } });
  const rv = await rvOf(ConfigMap, 'stale');
  const staleReader = { get: async <T extends KubernetesObject>(): Promise<T | undefined> => structuredClone(stale) as unknown as T };
  await assert.rejects(
    createOrUpdate(client, ConfigMap, { metadata: { name: 'stale', namespace: ns } }, (cm) => void (cm.data = { key: 'b' }), { reader: staleReader }),
    (e: unknown) => e instanceof ConflictError && e.status === 409,
  );
  assert.equal(await rvOf(ConfigMap, 'stale'), rv);
});

test('createOrUpdate: mutate may not change name or namespace; bad objects and mutate errors write nothing', async () => {
  const reader = client.apiReader;
  await assert.rejects(
    createOrUpdate(client, ConfigMap, { metadata: { name: 'rename', namespace: ns } }, (cm) => void (cm.metadata!.name = 'other'), { reader }),
    (e: unknown) => e instanceof MutateKeyChangedError && e.code === 'EMUTATEKEY' && e.message.includes(`${ns}/rename`) && e.message.includes(`${ns}/other`),
  );
  assert.equal(await client.apiReader.get(ConfigMap, ns, 'rename'), undefined, 'nothing created');
  assert.equal(await client.apiReader.get(ConfigMap, ns, 'other'), undefined, 'nothing created');

  await client.create(ConfigMap, { metadata: { name: 'move', namespace: ns } });
  const rv = await rvOf(ConfigMap, 'move');
  await assert.rejects(
    createOrPatch(client, ConfigMap, { metadata: { name: 'move', namespace: ns } }, (cm) => void (cm.metadata!.namespace = 'default'), { reader }),
    MutateKeyChangedError,
  );
  await assert.rejects(
    createOrUpdate(client, ConfigMap, { metadata: { name: 'move', namespace: ns } }, () => {
      throw new Error('mutate failed');
    }, { reader }),
    /mutate failed/,
  );
  assert.equal(await rvOf(ConfigMap, 'move'), rv, 'nothing updated');

  await assert.rejects(createOrUpdate(client, ConfigMap, { metadata: { generateName: 'x-', namespace: ns } }, () => {}, { reader }), (e: unknown) => e instanceof ValidationError && /metadata\.name/.test(e.message));
  await assert.rejects(createOrUpdate(client, ConfigMap, { metadata: { name: 'no-ns' } }, () => {}, { reader }), (e: unknown) => e instanceof ValidationError && /no metadata\.namespace/.test(e.message));
});

test('createOrUpdate reads through the shared cache by default', async () => {
  const cachedHost = new TestHost(env.kubeConfig);
  const stop = new AbortController();
  const running = cachedHost.start(stop.signal);
  try {
    const c = cachedHost.client;
    assert.equal(await createOrUpdate(c, ConfigMap, { metadata: { name: 'cached', namespace: ns } }, (cm) => void (cm.data = { a: '1' })), 'created');
    const rv = await rvOf(ConfigMap, 'cached');
    // Wait until the cache has seen the create; then the same desired state is a no-op.
    for (let i = 0; i < 500 && (await c.get(ConfigMap, { namespace: ns, name: 'cached' })) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await createOrUpdate(c, ConfigMap, { metadata: { name: 'cached', namespace: ns } }, (cm) => void (cm.data = { a: '1' })), 'unchanged');
    assert.equal(await rvOf(ConfigMap, 'cached'), rv);
  } finally {
    stop.abort();
    await running;
  }
});

test('createOrPatch: merge patch of the object, a separate status patch, and the controllerutil results', async () => {
  const reader = client.apiReader;
  const g = () => ({ metadata: { name: 'g1', namespace: ns } }) as Gadget;
  assert.equal(await createOrPatch(client, Gadget, g(), (o) => {
    o.metadata!.labels = { team: 'a', tier: 'x' };
    o.spec = { size: 1, mode: 'fast' };
  }, { reader }), 'created');
  const rv0 = await rvOf(Gadget, 'g1');
  assert.equal(await createOrPatch(client, Gadget, g(), (o) => void (o.spec!.size = 1), { reader }), 'unchanged');
  assert.equal(await rvOf(Gadget, 'g1'), rv0, 'an unchanged object is not written');

  const obj = g();
  assert.equal(await createOrPatch(client, Gadget, obj, (o) => {
    o.spec!.size = 2;
    delete o.spec!.mode;
    delete o.metadata!.labels!.tier;
  }, { reader }), 'updated');
  let server = await client.apiReader.get(Gadget, ns, 'g1');
  assert.deepEqual(server?.spec, { size: 2 }, 'a removed field is removed (null in the merge patch)');
  assert.deepEqual(server?.metadata?.labels, { team: 'a' });
  assert.equal(obj.metadata?.resourceVersion, server?.metadata?.resourceVersion, 'obj holds the patched object');

  assert.equal(await createOrPatch(client, Gadget, g(), (o) => void (o.status = { observedSize: 2, phase: 'Ready' }), { reader }), 'updatedStatusOnly');
  server = await client.apiReader.get(Gadget, ns, 'g1');
  assert.deepEqual(server?.status, { observedSize: 2, phase: 'Ready' });
  assert.equal(server?.spec?.size, 2);

  const both = g();
  assert.equal(await createOrPatch(client, Gadget, both, (o) => {
    o.spec!.size = 3;
    o.status!.observedSize = 3;
  }, { reader }), 'updatedStatus');
  server = await client.apiReader.get(Gadget, ns, 'g1');
  assert.equal(server?.spec?.size, 3);
  assert.deepEqual(server?.status, { observedSize: 3, phase: 'Ready' });
  assert.deepEqual(both.status, { observedSize: 3, phase: 'Ready' });
  assert.equal(both.metadata?.resourceVersion, server?.metadata?.resourceVersion);
});

test('ignoreNotFound, get by key and the API reader', async () => {
  await assert.rejects(client.patch(ConfigMap, ns, 'absent', { data: { a: '1' } }), NotFoundError);
  assert.equal(await client.patch(ConfigMap, ns, 'absent', { data: { a: '1' } }).catch(ignoreNotFound), undefined);
  const invalid = client.create(ConfigMap, { metadata: { name: 'Not_A_Name', namespace: ns } }).catch(ignoreNotFound);
  await assert.rejects(invalid, InvalidError, 'other errors are rethrown');
  assert.throws(() => ignoreNotFound(new Error('boom')), /boom/);

  await client.create(ConfigMap, { metadata: { name: 'keyed', namespace: ns, labels: { app: 'keyed' } } });
  assert.equal((await client.read(ConfigMap, { namespace: ns, name: 'keyed' }))?.metadata?.name, 'keyed');
  assert.equal(await client.apiReader.get(ConfigMap, { namespace: ns, name: 'absent' }), undefined);
  const listed = await client.apiReader.list(ConfigMap, { namespace: ns, labelSelector: 'app=keyed' });
  assert.deepEqual(listed.map((o) => [o.kind, o.metadata?.name]), [['ConfigMap', 'keyed']]);
  assert.equal(await client.read(Namespace, { name: ns }).then((n) => n?.metadata?.name), ns, 'cluster-scoped keys need no namespace');
  await assert.rejects(client.read(ConfigMap, { namespace: '', name: 'keyed' }), /namespaced but no namespace/);
  await assert.rejects(client.read(ConfigMap, null as unknown as { name: string }), (e: unknown) => e instanceof ValidationError && /not a key of a ConfigMap/.test(e.message));

  const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger });
  assert.equal((await manager.apiReader.get(ConfigMap, { namespace: ns, name: 'keyed' }))?.metadata?.name, 'keyed', 'manager.apiReader reads without a started cache');
});

test('dryRun: every write is checked by the server and persists nothing', async () => {
  assert.ok(await client.create(ConfigMap, { metadata: { name: 'dry', namespace: ns }, data: { a: '1' } }, { dryRun: true }));
  assert.equal(await client.apiReader.get(ConfigMap, ns, 'dry'), undefined, 'a dry-run create creates nothing');
  await assert.rejects(client.create(ConfigMap, { metadata: { name: 'Bad_Name', namespace: ns } }, { dryRun: true }), InvalidError, 'a dry run is validated');

  const real = await client.create(Gadget, { metadata: { name: 'dry', namespace: ns }, spec: { size: 1 } });
  const rv = real.metadata?.resourceVersion;
  const answer = await client.update(Gadget, { ...real, spec: { size: 9 } }, { dryRun: true });
  assert.equal(answer.spec?.size, 9, 'the answer shows the result');
  await client.updateStatus(Gadget, { ...real, status: { observedSize: 9 } }, { dryRun: true });
  await client.patch(Gadget, ns, 'dry', { spec: { size: 9 } }, { dryRun: true });
  await client.patch(Gadget, ns, 'dry', { status: { phase: 'X' } }, { status: true, dryRun: true });
  await client.apply(Gadget, { apiVersion: Gadget.apiVersion, kind: 'Gadget', metadata: { name: 'dry', namespace: ns }, spec: { size: 9 } }, { dryRun: true });
  await client.delete(Gadget, ns, 'dry', { dryRun: true });
  const after = await client.apiReader.get(Gadget, ns, 'dry');
  assert.equal(after?.metadata?.resourceVersion, rv, 'no dry-run write changed the object');
  assert.equal(after?.spec?.size, 1);

  await assert.rejects(client.create(ConfigMap, { metadata: { name: 'dry', namespace: ns } }, { dryRun: 'yes' as unknown as boolean }), (e: unknown) => e instanceof ValidationError && /dryRun "yes"/.test(e.message));
});

test('on a standby, writes (createOrUpdate too) are still refused; dry runs are not fenced', async () => {
  const standby = new TestHost(env.kubeConfig);
  const guarded = standby.client.withGuard(standby.leaseGuard);
  standby.leaseGuard.held = false;
  await assert.rejects(createOrUpdate(guarded, ConfigMap, { metadata: { name: 'standby', namespace: ns } }, (cm) => void (cm.data = { a: '1' }), { reader: guarded.apiReader }), LeaseNotHeldError);
  await assert.rejects(createOrPatch(guarded, ConfigMap, { metadata: { name: 'standby', namespace: ns } }, () => {}, { reader: guarded.apiReader }), LeaseNotHeldError);
  await assert.rejects(guarded.create(ConfigMap, { metadata: { name: 'standby', namespace: ns } }), LeaseNotHeldError);
  assert.equal(await client.apiReader.get(ConfigMap, ns, 'standby'), undefined);
  const dry = await guarded.create(ConfigMap, { metadata: { name: 'standby', namespace: ns } }, { dryRun: true });
  assert.equal(dry.metadata?.name, 'standby');
  assert.equal(await client.apiReader.get(ConfigMap, ns, 'standby'), undefined);
});
