import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv } from '../../../src/testing/index.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { AlreadyExistsError, ConflictError, InvalidError, NotFoundError } from '../../../src/runtime/client/errors.js';
import { CacheNotStartedError } from '../../../src/runtime/cache/shared-cache.js';
import { ValidationError } from '../../../src/errors.js';
import { TestHost, Widget, widgetCrd } from '../controller/fixtures.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';

let env: TestEnv;
before(async () => {
  env = await startTestEnv({ crds: [widgetCrd] });
});
after(async () => {
  await env.stop();
});

test('create, read, update with conflicts, status subresource, patches, apply, delete', async () => {
  const host = new TestHost(env.kubeConfig);
  const client = host.client;
  const created = await client.create(Widget, { metadata: { name: 'w1', namespace: 'default' }, spec: { size: 1 } });
  assert.equal(created.kind, 'Widget');
  assert.ok(created.metadata?.uid);
  await assert.rejects(client.create(Widget, { metadata: { name: 'w1', namespace: 'default' } }), AlreadyExistsError);

  const read = await client.read(Widget, 'default', 'w1');
  assert.equal(read?.spec?.size, 1);
  assert.equal(await client.read(Widget, 'default', 'nope'), undefined);

  read!.spec = { size: 2 };
  const updated = await client.update(Widget, read!);
  assert.equal(updated.spec?.size, 2);
  read!.spec = { size: 3 };
  await assert.rejects(client.update(Widget, read!), (e: unknown) => e instanceof ConflictError && e.status === 409 && !(e instanceof AlreadyExistsError));

  updated.status = { observedSize: 2 };
  const withStatus = await client.updateStatus(Widget, updated);
  assert.equal(withStatus.status?.observedSize, 2);

  const merged = await client.patch(Widget, 'default', 'w1', { spec: { size: 5 } });
  assert.equal(merged.spec?.size, 5);
  const jsonPatched = await client.patch(Widget, 'default', 'w1', [{ op: 'replace', path: '/spec/size', value: 6 }], { type: 'json' });
  assert.equal(jsonPatched.spec?.size, 6);
  const statusPatched = await client.patch(Widget, 'default', 'w1', { status: { observedSize: 6 } }, { status: true });
  assert.equal(statusPatched.status?.observedSize, 6);
  await assert.rejects(client.patch(Widget, 'default', 'w1', { op: 'x' }, { type: 'json' }), ValidationError);
  await assert.rejects(client.patch(Widget, 'default', 'missing', { spec: {} }), NotFoundError);

  const applied = await client.apply(ConfigMap, { metadata: { name: 'cm-apply', namespace: 'default' }, data: { a: '1' } });
  assert.equal(applied.data?.a, '1');
  const reapplied = await client.apply(ConfigMap, { metadata: { name: 'cm-apply', namespace: 'default' }, data: { b: '2' } });
  assert.deepEqual(reapplied.data, { b: '2' }, 'fields the manager stopped applying are removed');

  await assert.rejects(client.create(Widget, { metadata: { name: 'bad', namespace: 'default' }, spec: { size: 'big' as unknown as number } }), InvalidError);
  await assert.rejects(client.create(Widget, { metadata: { name: 'no-ns' } }), (e: unknown) => e instanceof ValidationError && /namespaced/.test(e.message));

  await client.delete(Widget, 'default', 'w1', { propagationPolicy: 'Background' });
  await client.delete(Widget, 'default', 'w1'); // absent is fine
  assert.equal(await client.read(Widget, 'default', 'w1'), undefined);
});

test('cached reads need a started cache, then serve from memory with label selectors', async () => {
  const host = new TestHost(env.kubeConfig);
  await assert.rejects(host.client.get(ConfigMap, 'default', 'x'), CacheNotStartedError);
  await host.client.create(ConfigMap, { metadata: { name: 'c1', namespace: 'default', labels: { app: 'x' } } });
  await host.client.create(ConfigMap, { metadata: { name: 'c2', namespace: 'default' } });
  const ac = new AbortController();
  const running = host.cache.start(ac.signal);
  const c1 = await host.client.get(ConfigMap, 'default', 'c1');
  assert.equal(c1?.metadata?.labels?.app, 'x');
  c1!.metadata!.labels!.app = 'mutated';
  assert.equal((await host.client.get(ConfigMap, 'default', 'c1'))?.metadata?.labels?.app, 'x', 'callers get copies');
  assert.deepEqual((await host.client.list(ConfigMap, { namespace: 'default', labelSelector: 'app=x' })).map((c) => c.metadata?.name), ['c1']);
  assert.equal(await host.client.get(ConfigMap, 'default', 'absent'), undefined);
  assert.equal(host.cache.hasSynced(), true);
  ac.abort();
  await running;
});

test('a guarded client refuses writes when the lease is not held', async () => {
  const host = new TestHost(env.kubeConfig);
  const guarded = host.client.withGuard(host.leaseGuard);
  host.leaseGuard.held = false;
  await assert.rejects(guarded.create(ConfigMap, { metadata: { name: 'fenced', namespace: 'default' } }), LeaseNotHeldError);
  assert.equal(await host.client.read(ConfigMap, 'default', 'fenced'), undefined);
  host.leaseGuard.held = true;
  await guarded.create(ConfigMap, { metadata: { name: 'fenced', namespace: 'default' } });
});

test('resourceVersion preconditions: a stale one makes patch (every type, status too), apply and delete answer 409 and change nothing', async () => {
  const client = new TestHost(env.kubeConfig).client;
  const cm = await client.create(ConfigMap, { metadata: { name: 'pre', namespace: 'default' }, data: { a: '1' } });
  await client.create(Widget, { metadata: { name: 'pre', namespace: 'default' }, spec: { size: 1 } });
  const stale = '1';
  const conflict = (e: unknown) => e instanceof ConflictError && e.status === 409;
  await assert.rejects(client.patch(ConfigMap, 'default', 'pre', { data: { a: 'm' } }, { resourceVersion: stale }), conflict);
  await assert.rejects(client.patch(ConfigMap, 'default', 'pre', { data: { a: 's' } }, { type: 'strategic', resourceVersion: stale }), conflict);
  await assert.rejects(client.patch(ConfigMap, 'default', 'pre', [{ op: 'replace', path: '/data/a', value: 'j' }], { type: 'json', resourceVersion: stale }), conflict);
  await assert.rejects(client.patch(Widget, 'default', 'pre', { status: { observedSize: 9 } }, { status: true, resourceVersion: stale }), conflict);
  await assert.rejects(client.apply(ConfigMap, { metadata: { name: 'pre', namespace: 'default' }, data: { b: 'x' } }, { resourceVersion: stale }), conflict);
  await assert.rejects(client.delete(ConfigMap, 'default', 'pre', { preconditions: { resourceVersion: stale } }), conflict);
  await assert.rejects(client.delete(ConfigMap, 'default', 'pre', { preconditions: { uid: 'another-uid' } }), conflict);
  assert.deepEqual((await client.read(ConfigMap, 'default', 'pre'))?.data, { a: '1' });
  assert.equal((await client.read(Widget, 'default', 'pre'))?.status, undefined);
  const patched = await client.patch(ConfigMap, 'default', 'pre', { data: { a: '2' } }, { resourceVersion: cm.metadata!.resourceVersion });
  assert.deepEqual(patched.data, { a: '2' });
  await client.delete(ConfigMap, 'default', 'pre', { preconditions: { uid: cm.metadata!.uid, resourceVersion: patched.metadata!.resourceVersion } });
  assert.equal(await client.read(ConfigMap, 'default', 'pre'), undefined);
});
