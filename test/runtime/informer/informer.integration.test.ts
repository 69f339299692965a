import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv } from '../../../src/testing/index.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { TestHost, eventually } from '../controller/fixtures.js';

test('the shared informer lists, watches and survives the server dropping every watch', async () => {
  const env = await startTestEnv();
  const host = new TestHost(env.kubeConfig);
  try {
    await host.client.create(ConfigMap, { metadata: { name: 'before', namespace: 'default' }, data: { v: '1' } });
    const ac = new AbortController();
    const running = host.cache.start(ac.signal);
    const informer = host.cache.informer(ConfigMap);
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata?.name}`),
      onUpdate: (_a, b) => seen.push(`update ${b.metadata?.name} ${b.data?.v}`),
      onDelete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    await informer.waitForSync();
    assert.deepEqual(seen, ['add before']);
    await eventually(() => env.server.openWatchCount > 0, 'a watch to open');
    for (let round = 1; round <= 3; round++) {
      env.server.dropAllWatches();
      // changes made while the informer is reconnecting
      await host.client.patch(ConfigMap, 'default', 'before', { data: { v: String(round + 1) } });
      await host.client.create(ConfigMap, { metadata: { name: `during-${round}`, namespace: 'default' } });
      await eventually(() => informer.store.get('default', `during-${round}`), `during-${round} in the cache`);
      await eventually(() => informer.store.get('default', 'before')?.data?.v === String(round + 1), `update ${round} in the cache`);
    }
    await host.client.delete(ConfigMap, 'default', 'during-1');
    await eventually(() => seen.includes('delete during-1'), 'the delete');
    assert.ok(informer.stats.watches >= 4, `reconnected after each drop (watches: ${informer.stats.watches})`);
    assert.equal(informer.stats.lists, 1, 'history covered the gap: no relist needed');
    ac.abort();
    await running;
  } finally {
    await env.stop();
  }
});

test('a watch whose resourceVersion fell out of history relists (410) and synthesises missed changes', async () => {
  const env = await startTestEnv({ historyWindow: 5 });
  const host = new TestHost(env.kubeConfig);
  try {
    await host.client.create(ConfigMap, { metadata: { name: 'old', namespace: 'default' } });
    const ac = new AbortController();
    const running = host.cache.start(ac.signal);
    const informer = host.cache.informer(ConfigMap);
    await informer.waitForSync();
    await eventually(() => env.server.openWatchCount > 0, 'a watch to open');
    // Hold the reconnect while more than historyWindow changes happen, then let it through.
    env.server.pause();
    env.server.dropAllWatches();
    for (let i = 0; i < 10; i++) env.server.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `burst-${i}`, namespace: 'default' } });
    env.server.resume();
    await eventually(() => informer.store.size === 11 ? true : undefined, 'all 11 configmaps in the cache');
    assert.ok(informer.stats.relistsAfterGone >= 1, 'relisted after 410 Gone');
    ac.abort();
    await running;
  } finally {
    await env.stop();
  }
});
