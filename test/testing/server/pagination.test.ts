import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type V1ConfigMapList } from '@kubernetes/client-node';
import type { TestEnv } from '../../../src/testing/index.js';
import { rejectsWithStatus, testEnv } from '../helpers.js';

describe('list pagination through client-node', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  const names = (list: V1ConfigMapList) => list.items.map((c) => `${c.metadata!.namespace}/${c.metadata!.name}`);

  before(async () => {
    env = await testEnv({ historyWindow: 200 });
    core = env.kubeConfig.makeApiClient(CoreV1Api);
    for (const ns of ['pg-a', 'pg-a-b', 'pg-b']) {
      await core.createNamespace({ body: { metadata: { name: ns } } });
      for (let i = 0; i < 5; i++) {
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `cm-${i}`, labels: { parity: i % 2 === 0 ? 'even' : 'odd' } } } });
      }
    }
  });
  after(() => env.stop());

  it('pages across namespaces in etcd key order with remainingItemCount, from one snapshot', async () => {
    const all = names(await core.listConfigMapForAllNamespaces({ labelSelector: 'parity' }));
    assert.deepEqual(all.slice(0, 6), ['pg-a-b/cm-0', 'pg-a-b/cm-1', 'pg-a-b/cm-2', 'pg-a-b/cm-3', 'pg-a-b/cm-4', 'pg-a/cm-0']);
    const page1 = await core.listConfigMapForAllNamespaces({ limit: 4 });
    const total = (await core.listConfigMapForAllNamespaces()).items.length;
    assert.equal(page1.items.length, 4);
    assert.equal(page1.metadata!.remainingItemCount, total - 4);
    // Writes between pages: none of them shows in later pages, and deleted objects still do.
    await core.deleteNamespacedConfigMap({ name: 'cm-4', namespace: 'pg-b' });
    await core.createNamespacedConfigMap({ namespace: 'pg-a', body: { metadata: { name: 'cm-9' } } });
    await core.patchNamespacedConfigMap({ name: 'cm-1', namespace: 'pg-b', body: [{ op: 'add', path: '/data', value: { changed: 'yes' } }] });
    const seen = names(page1);
    let token = page1.metadata!._continue;
    while (token) {
      const page = await core.listConfigMapForAllNamespaces({ limit: 4, _continue: token });
      assert.equal(page.metadata!.resourceVersion, page1.metadata!.resourceVersion);
      const changed = page.items.find((c) => c.metadata!.namespace === 'pg-b' && c.metadata!.name === 'cm-1');
      if (changed) assert.equal(changed.data, undefined, 'the snapshot shows the object as it was');
      seen.push(...names(page));
      token = page.metadata!._continue;
      if (token) assert.equal(page.metadata!.remainingItemCount, total - seen.length);
    }
    assert.equal(seen.length, total);
    assert.ok(seen.includes('pg-b/cm-4') && !seen.includes('pg-a/cm-9'));
    assert.deepEqual(seen, [...seen].sort());
    await core.createNamespacedConfigMap({ namespace: 'pg-b', body: { metadata: { name: 'cm-4', labels: { parity: 'even' } } } });
    await core.deleteNamespacedConfigMap({ name: 'cm-9', namespace: 'pg-a' });
    await core.patchNamespacedConfigMap({ name: 'cm-1', namespace: 'pg-b', body: [{ op: 'remove', path: '/data' }] });
  });

  it('pages one namespace with a selector: full pages, continue while keys follow, no remainingItemCount', async () => {
    const page1 = await core.listNamespacedConfigMap({ namespace: 'pg-a', labelSelector: 'parity=even', limit: 2 });
    assert.deepEqual(names(page1), ['pg-a/cm-0', 'pg-a/cm-2']);
    assert.ok(page1.metadata!._continue);
    assert.equal(page1.metadata!.remainingItemCount, undefined, 'a real server does not count what remains of a filtered list');
    const page2 = await core.listNamespacedConfigMap({ namespace: 'pg-a', labelSelector: 'parity=even', limit: 2, _continue: page1.metadata!._continue });
    assert.deepEqual(names(page2), ['pg-a/cm-4']);
    assert.equal(page2.metadata!._continue, undefined);
    // The last even item is also the last key: the page is full, but nothing follows it.
    const odd = await core.listNamespacedConfigMap({ namespace: 'pg-a', labelSelector: 'parity=odd', limit: 2 });
    assert.deepEqual(names(odd), ['pg-a/cm-1', 'pg-a/cm-3']);
    assert.ok(odd.metadata!._continue, 'cm-4 follows the page, so the server cannot know the list is done');
    const empty = await core.listNamespacedConfigMap({ namespace: 'pg-a', labelSelector: 'parity=odd', limit: 2, _continue: odd.metadata!._continue });
    assert.deepEqual(names(empty), []);
    assert.equal(empty.metadata!._continue, undefined);
  });

  it('returns everything with no continue when the limit is larger than the count', async () => {
    const page = await core.listNamespacedConfigMap({ namespace: 'pg-b', limit: 500 });
    assert.deepEqual(names(page), ['pg-b/cm-0', 'pg-b/cm-1', 'pg-b/cm-2', 'pg-b/cm-3', 'pg-b/cm-4']);
    assert.equal(page.metadata!._continue, undefined);
    assert.equal(page.metadata!.remainingItemCount, undefined);
  });

  it('answers 410 Expired for a continue token older than the history', async () => {
    const page1 = await core.listNamespacedConfigMap({ namespace: 'pg-b', limit: 2 });
    for (let i = 0; i < 201; i++) await core.patchNamespacedConfigMap({ name: 'cm-0', namespace: 'pg-b', body: [{ op: 'add', path: '/data', value: { i: String(i) } }] });
    await rejectsWithStatus(core.listNamespacedConfigMap({ namespace: 'pg-b', limit: 2, _continue: page1.metadata!._continue }), 410, 'Expired', 'too old to display a consistent list result');
  });
});
