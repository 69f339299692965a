import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv } from '../../../src/testing/index.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { ConfigMap, Secret } from '../../../src/runtime/builtin-resources.js';
import { metadataOnly, type PartialObjectMetadata } from '../../../src/runtime/metadata-only.js';
import { ValidationError } from '../../../src/errors.js';
import type { ManagerOptions } from '../../../src/runtime/manager/options.js';
import { eventually } from '../controller/fixtures.js';

async function withManager(extra: Partial<ManagerOptions>, fn: (env: Awaited<ReturnType<typeof startTestEnv>>, manager: Manager) => Promise<void>, setup: (manager: Manager) => void = () => undefined): Promise<void> {
  const env = await startTestEnv();
  try {
    env.server.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger, ...extra });
    setup(manager);
    const ac = new AbortController();
    const running = manager.start(ac.signal);
    try {
      await eventually(() => (manager.cache.started ? true : undefined), 'the cache started');
      await fn(env, manager);
    } finally {
      ac.abort();
      await running;
    }
  } finally {
    await env.stop();
  }
}

const big = { key: Buffer.from('x'.repeat(1024)).toString('base64') };

function assertMetadataOnly(obj: PartialObjectMetadata | undefined, name: string): void {
  assert.ok(obj, `${name} is cached`);
  assert.deepEqual(Object.keys(obj).sort(), ['apiVersion', 'kind', 'metadata'], `no data: ${JSON.stringify(obj).slice(0, 200)}`);
  assert.equal(obj.apiVersion, 'meta.k8s.io/v1');
  assert.equal(obj.kind, 'PartialObjectMetadata');
  assert.equal(obj.metadata.name, name);
}

test('owns(Secret, { metadataOnly: true }) caches PartialObjectMetadata and still maps to the controller owner', async () => {
  const reconciled: string[] = [];
  const seenByPredicate: PartialObjectMetadata[] = [];
  await withManager({}, async (env, manager) => {
    const owner = await manager.client.create(ConfigMap, { metadata: { name: 'owner', namespace: 'team-a' } });
    env.server.createObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'listed', namespace: 'team-a' }, data: big });
    await eventually(() => (reconciled.includes('team-a/owner') ? true : undefined), 'owner reconciled');
    reconciled.length = 0;
    // Created after the first list: arrives through the metadata-only watch.
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true };
    await manager.client.create(Secret, { metadata: { name: 'child', namespace: 'team-a', ownerReferences: [ownerRef] }, data: big });
    await eventually(() => (reconciled.includes('team-a/owner') ? true : undefined), 'owner reconciled for its child');
    const cached = await manager.client.get(metadataOnly(Secret), { namespace: 'team-a', name: 'child' });
    assertMetadataOnly(cached, 'child');
    assert.equal(cached!.metadata.ownerReferences?.[0]?.name, 'owner');
    assertMetadataOnly(await manager.client.get(metadataOnly(Secret), 'team-a', 'listed'), 'listed');
    const listed = await manager.client.list(metadataOnly(Secret), { namespace: 'team-a' });
    assert.deepEqual(listed.map((s) => s.metadata.name).sort(), ['child', 'listed']);
    for (const s of listed) assertMetadataOnly(s, s.metadata.name!);
    assert.ok(seenByPredicate.some((o) => o.metadata.name === 'child' && o.kind === 'PartialObjectMetadata'), 'predicates see PartialObjectMetadata');
    // The full Secret informer is a different one: created on demand, holding the data.
    const full = await manager.client.get(Secret, 'team-a', 'child');
    assert.equal(full?.kind, 'Secret');
    assert.equal(full?.data?.key, big.key);
    assert.notEqual(manager.cache.informer(Secret), manager.cache.informer(metadataOnly(Secret)));
    assert.equal(manager.cache.informer(metadataOnly(Secret)).name, '/v1/secrets#metadata');
    // The metadata informer still holds no data after the full one was created.
    assertMetadataOnly(await manager.client.get(metadataOnly(Secret), 'team-a', 'child'), 'child');
  }, (manager) => {
    controllerManagedBy(manager)
      .for(ConfigMap)
      .owns(Secret, {
        metadataOnly: true,
        predicates: [{ create: (obj) => (seenByPredicate.push(obj), true) }],
      })
      .complete({
        async reconcile(req) {
          reconciled.push(`${req.namespace}/${req.name}`);
        },
      });
  });
});

test('watches(…, { metadataOnly: true }) hands the map PartialObjectMetadata; apiReader reads metadata only', async () => {
  const mapped: PartialObjectMetadata[] = [];
  await withManager({}, async (env, manager) => {
    env.server.createObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team-a' }, data: big });
    await eventually(() => (mapped.some((o) => o.metadata.name === 's') ? true : undefined), 'the map saw s');
    assertMetadataOnly(mapped.find((o) => o.metadata.name === 's'), 's');
    assertMetadataOnly(await manager.apiReader.get(metadataOnly(Secret), 'team-a', 's'), 's');
    const read = await manager.apiReader.list(metadataOnly(Secret), { namespace: 'team-a' });
    assert.deepEqual(read.map((o) => o.metadata.name), ['s']);
    assertMetadataOnly(read[0], 's');
    // A patch through the metadata-only view changes metadata and answers with PartialObjectMetadata.
    const patched = await manager.client.patch(metadataOnly(Secret), 'team-a', 's', { metadata: { labels: { seen: 'yes' } } });
    assertMetadataOnly(patched, 's');
    assert.equal(patched.metadata.labels?.seen, 'yes');
    assert.equal((await manager.apiReader.get(Secret, 'team-a', 's'))?.data?.key, big.key, 'the data is untouched');
  }, (manager) => {
    controllerManagedBy(manager)
      .for(ConfigMap)
      .watches(Secret, (obj) => (mapped.push(obj), []), { metadataOnly: true })
      .complete({ async reconcile() {} });
  });
});

test('a metadata-only view follows its kind’s cache scope but not its transform', async () => {
  let transformed = 0;
  const byObject = new Map([[Secret, { labelSelector: 'keep=yes', transform: (s: typeof Secret.__type) => (transformed++, s!) }]]);
  await withManager({ cache: { byObject } }, async (env, manager) => {
    env.server.createObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kept', namespace: 'team-a', labels: { keep: 'yes' } }, data: big });
    env.server.createObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'team-a' }, data: big });
    const listed = await manager.client.list(metadataOnly(Secret));
    assert.deepEqual(listed.map((s) => s.metadata.name), ['kept']);
    assert.equal(transformed, 0, 'the Secret transform is not run on PartialObjectMetadata');
  });
});

test('a metadata-only view with a byObject entry of its own gets that entry’s selectors and transform', async () => {
  const stripManagedFields = (o: PartialObjectMetadata): PartialObjectMetadata => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } });
  const byObject = new Map([[metadataOnly(Secret), { labelSelector: 'keep=yes', transform: stripManagedFields }]]);
  await withManager({ cache: { byObject } }, async (env, manager) => {
    await manager.client.create(Secret, { metadata: { name: 'kept', namespace: 'team-a', labels: { keep: 'yes' } }, data: big });
    await manager.client.create(Secret, { metadata: { name: 'other', namespace: 'team-a' }, data: big });
    assert.ok((await manager.apiReader.get(metadataOnly(Secret), 'team-a', 'kept'))?.metadata.managedFields?.length, 'the server sends managedFields');
    const listed = await manager.client.list(metadataOnly(Secret));
    assert.deepEqual(listed.map((s) => s.metadata.name), ['kept']);
    assert.equal(listed[0]!.metadata.managedFields, undefined, 'the transform dropped managedFields');
    // The full Secret informer has no entry: it caches both, with managedFields.
    const full = await manager.client.list(Secret, { namespace: 'team-a' });
    assert.deepEqual(full.map((s) => s.metadata?.name).sort(), ['kept', 'other']);
  });
});

test('bad input: a non-boolean metadataOnly at setup, whole-object writes through the metadata view', async () => {
  const env = await startTestEnv();
  try {
    const manager = new Manager({ kubeConfig: env.kubeConfig, healthProbeBindAddress: '0', metricsBindAddress: '0', logger: silentLogger });
    assert.throws(
      () => controllerManagedBy(manager).for(ConfigMap).owns(Secret, { metadataOnly: 'yes' } as never),
      (err: unknown) => err instanceof ValidationError && /owns\(Secret\): metadataOnly "yes" is not a boolean/.test(err.message),
    );
    for (const write of [
      () => manager.client.create(metadataOnly(Secret), { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { name: 'x', namespace: 'default' } }),
      () => manager.client.update(metadataOnly(Secret), { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { name: 'x', namespace: 'default' } }),
      () => manager.client.apply(metadataOnly(Secret), { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { name: 'x', namespace: 'default' } }),
    ]) {
      await assert.rejects(write(), (err: unknown) => err instanceof ValidationError && /through its metadata-only view/.test(err.message) && /client\.patch\(metadataOnly\(Secret\)/.test(err.hint ?? ''));
    }
    assert.equal(metadataOnly(Secret), metadataOnly(Secret), 'one view per resource type');
    assert.equal(metadataOnly(metadataOnly(Secret)), metadataOnly(Secret));
  } finally {
    await env.stop();
  }
});
