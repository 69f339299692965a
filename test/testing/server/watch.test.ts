import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, makeInformer, PatchStrategy, setHeaderOptions, Watch, type V1ConfigMap } from '@kubernetes/client-node';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
import type { TestEnv } from '../../../src/testing/index.js';
import { testEnv } from '../helpers.js';

interface Seen {
  type: string;
  object: any;
}

/** Opens a client-node watch and collects its events; `until` resolves once a predicate holds. */
async function openWatch(env: TestEnv, path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  const waiters: Array<{ pred: (e: Seen[]) => boolean; resolve: () => void }> = [];
  let doneResolve!: (err: unknown) => void;
  const done = new Promise<unknown>((r) => (doneResolve = r));
  const check = () => {
    for (const w of [...waiters]) if (w.pred(events)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const controller = await new Watch(env.kubeConfig).watch(path, query, (type, object) => {
    events.push({ type, object });
    check();
  }, (err) => doneResolve(err ?? null));
  return {
    events,
    done,
    abort: () => controller.abort(),
    until: (pred: (e: Seen[]) => boolean) => new Promise<void>((resolve) => {
      waiters.push({ pred, resolve });
      check();
    }),
  };
}

describe('watch', () => {
  let env: TestEnv;
  let core: CoreV1Api;
  before(async () => {
    env = await testEnv({ historyWindow: 20, bookmarkIntervalMs: 20 });
    core = env.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
  });
  after(() => env.stop());

  it('replays changes after a resourceVersion, in order, then follows live', async () => {
    const first = await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'one' } } });
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'two' } } });
    await core.patchNamespacedConfigMap({ name: 'one', namespace: 'w', body: { data: { x: '1' } } }, MERGE);
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', { resourceVersion: first.metadata!.resourceVersion });
    await core.deleteNamespacedConfigMap({ name: 'two', namespace: 'w' });
    await w.until((e) => e.length >= 3);
    w.abort();
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED two', 'MODIFIED one', 'DELETED two']);
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b));
    assert.equal(w.events[1]!.object.data.x, '1');
  });

  it('sends ADDED for existing objects when no resourceVersion is given', async () => {
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', {});
    await w.until((e) => e.length >= 1);
    w.abort();
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED one']);
  });

  it('answers a resourceVersion older than the history with an in-stream 410 Expired ERROR', async () => {
    const start = await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'churn' } } });
    for (let i = 0; i < 30; i++) await core.patchNamespacedConfigMap({ name: 'churn', namespace: 'w', body: { data: { i: String(i) } } }, MERGE);
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', { resourceVersion: start.metadata!.resourceVersion });
    await w.done;
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0]!.type, 'ERROR');
    assert.equal(w.events[0]!.object.code, 410);
    assert.equal(w.events[0]!.object.reason, 'Expired');
  });

  it('sends bookmarks when asked', async () => {
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', { allowWatchBookmarks: true, resourceVersion: await currentRv(core) });
    await w.until((e) => e.some((x) => x.type === 'BOOKMARK'));
    w.abort();
    const bookmark = w.events.find((x) => x.type === 'BOOKMARK')!;
    assert.match(bookmark.object.metadata.resourceVersion, /^\d+$/);
    assert.equal(bookmark.object.kind, 'ConfigMap');
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', { timeoutSeconds: 1, resourceVersion: await currentRv(core) });
    assert.equal(await w.done, null);
  });

  it('applies label selectors: objects leaving the selection are DELETED for the watcher', async () => {
    const rv = await currentRv(core);
    const w = await openWatch(env, '/api/v1/namespaces/w/configmaps', { labelSelector: 'team=a', resourceVersion: rv });
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'sel', labels: { team: 'a' } } } });
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'other', labels: { team: 'b' } } } });
    await core.patchNamespacedConfigMap({ name: 'sel', namespace: 'w', body: { metadata: { labels: { team: 'b' } } } }, MERGE);
    await core.patchNamespacedConfigMap({ name: 'other', namespace: 'w', body: { metadata: { labels: { team: 'a' } } } }, MERGE);
    await w.until((e) => e.length >= 3);
    w.abort();
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED sel', 'DELETED sel', 'ADDED other']);
  });

  it('rejects an invalid selector before streaming', async () => {
    const response = await fetch(`${env.url}/api/v1/namespaces/w/configmaps?watch=1&labelSelector=${encodeURIComponent('a in (')}`);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { reason: string }).reason, 'BadRequest');
  });

  it('dropAllWatches() cuts streams and the informer of client-node reconnects', async () => {
    const informer = makeInformer<V1ConfigMap>(env.kubeConfig, '/api/v1/namespaces/w/configmaps', () => core.listNamespacedConfigMap({ namespace: 'w' }));
    const added: string[] = [];
    const deleted: string[] = [];
    let updates = 0;
    const seen = new Set<string>();
    let notify = () => {};
    informer.on('add', (o) => { added.push(o.metadata!.name!); seen.add(`add ${o.metadata!.name}`); notify(); });
    informer.on('update', () => { updates++; notify(); });
    informer.on('delete', (o) => { deleted.push(o.metadata!.name!); seen.add(`delete ${o.metadata!.name}`); notify(); });
    const waitFor = (key: string) => new Promise<void>((resolve) => {
      const prev = notify;
      notify = () => { prev(); if (seen.has(key)) resolve(); };
      if (seen.has(key)) resolve();
    });
    // client-node's informer stops on errors (a cut stream is one); restarting it is the documented remedy.
    let errorsSeen = 0;
    let stopped = false;
    informer.on('error', () => {
      if (stopped) return; // stop() itself reports an AbortError
      errorsSeen++;
      setTimeout(() => void informer.start(), 10);
    });
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'inf-1' } } });
    await waitFor('add inf-1');
    assert.ok(env.server.openWatchCount >= 1);
    env.server.dropAllWatches();
    // Changes made while the watch is down arrive through the relist and the new watch.
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'inf-2' } } });
    await core.deleteNamespacedConfigMap({ name: 'inf-1', namespace: 'w' });
    await waitFor('add inf-2');
    await waitFor('delete inf-1');
    stopped = true;
    await informer.stop();
    assert.ok(errorsSeen >= 1, 'the cut stream surfaced as an error');
    assert.ok(added.includes('one'));
    assert.deepEqual(deleted, ['inf-1']);
    assert.equal(updates, 0);
  });
});

async function currentRv(core: CoreV1Api): Promise<string> {
  return (await core.listNamespacedConfigMap({ namespace: 'w', limit: 1 })).metadata!.resourceVersion!;
}
