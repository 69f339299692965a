import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { startTarget, type ConformanceTarget } from './target.js';
import { assertStatus, createNamespace, deleteNamespace, expectApiError, rawRequest } from './helpers.js';

interface SeenEvent {
  type: string;
  object: any;
}

/** Runs a watch until `stopWhen` says so (or the server ends it); returns the events and how it ended. */
async function collectWatch(
  target: ConformanceTarget,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  stopWhen: (events: SeenEvent[]) => boolean,
  duringWatch: () => Promise<void> = async () => undefined,
): Promise<{ events: SeenEvent[]; endedByServer: boolean; error?: unknown }> {
  const events: SeenEvent[] = [];
  let finish!: (value: { endedByServer: boolean; error?: unknown }) => void;
  const ended = new Promise<{ endedByServer: boolean; error?: unknown }>((resolve) => (finish = resolve));
  const watch = new Watch(target.kubeConfig);
  const controller = await watch.watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object });
      if (stopWhen(events)) finish({ endedByServer: false });
    },
    (error) => finish({ endedByServer: true, error }),
  );
  await duringWatch();
  const outcome = await ended;
  controller.abort();
  return { events, ...outcome };
}

describe('list, selectors, pagination and watch', () => {
  let target: ConformanceTarget;
  let core: CoreV1Api;
  let ns: string;
  const cmPath = () => `/api/v1/namespaces/${ns}/configmaps`;
  before(async () => {
    target = await startTarget();
    core = target.kubeConfig.makeApiClient(CoreV1Api);
    ns = await createNamespace(target.kubeConfig, 'watch');
    const objects: Array<[string, Record<string, string>]> = [
      ['red-small', { color: 'red', size: 'small' }],
      ['red-big', { color: 'red', size: 'big' }],
      ['blue-small', { color: 'blue', size: 'small' }],
      ['green', { color: 'green' }],
      ['plain', {}],
    ];
    for (const [name, labels] of objects) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels } } });
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (await core.listNamespacedConfigMap({ namespace: ns, labelSelector, fieldSelector })).items.map((i) => i.metadata!.name!).filter((n) => n !== 'kube-root-ca.crt').sort();

  it('filters with every label selector operator', async () => {
    assert.deepEqual(await names('color=red'), ['red-big', 'red-small']);
    assert.deepEqual(await names('color==red,size=small'), ['red-small']);
    assert.deepEqual(await names('color!=red'), ['blue-small', 'green', 'plain']);
    assert.deepEqual(await names('color in (blue,green)'), ['blue-small', 'green']);
    assert.deepEqual(await names('color notin (red,blue)'), ['green', 'plain']);
    assert.deepEqual(await names('size'), ['blue-small', 'red-big', 'red-small']);
    assert.deepEqual(await names('!size,color'), ['green']);
  });

  it('filters with metadata.name and metadata.namespace field selectors', async () => {
    assert.deepEqual(await names(undefined, 'metadata.name=green'), ['green']);
    assert.deepEqual(await names(undefined, 'metadata.name!=green,metadata.namespace=' + ns), ['blue-small', 'plain', 'red-big', 'red-small']);
  });

  it('answers 400 BadRequest for an invalid selector', async () => {
    await expectApiError(core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'color in (red' }), 400, 'BadRequest');
    await expectApiError(core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'spec.nothing=x' }), 400, 'BadRequest');
  });

  it('paginates with limit and continue', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: ns, limit: 2, _continue: token, labelSelector: 'color' });
      assert.ok(page.items.length <= 2);
      assert.match(page.metadata!.resourceVersion!, /^\d+$/);
      seen.push(...page.items.map((i) => i.metadata!.name!));
      token = page.metadata!._continue || undefined;
      if (token) assert.equal(page.items.length, 2);
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), ['blue-small', 'green', 'red-big', 'red-small']);
    const bad = await rawRequest(target, { method: 'GET', path: `${cmPath()}?limit=2&continue=not-a-token` });
    assertStatus(bad.json, bad.status, bad.json.reason);
    assert.ok(bad.status === 400 || bad.status === 410, `bad continue token answered ${bad.status}`);
  });

  it('serves resourceVersion=0 whole, ignoring limit, as a watch-cache read does (what an informer\'s first list relies on)', async () => {
    for (const match of ['', '&resourceVersionMatch=NotOlderThan']) {
      const res = await rawRequest(target, { method: 'GET', path: `${cmPath()}?limit=2&resourceVersion=0${match}&labelSelector=color` });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.items.map((i: any) => i.metadata.name).sort(), ['blue-small', 'green', 'red-big', 'red-small'], `resourceVersion=0${match}`);
      assert.equal(res.json.metadata.continue, undefined);
      assert.match(res.json.metadata.resourceVersion, /^\d+$/);
    }
    const exact = await rawRequest(target, { method: 'GET', path: `${cmPath()}?limit=2&labelSelector=color` });
    const pinned = await rawRequest(target, { method: 'GET', path: `${cmPath()}?limit=2&labelSelector=color&resourceVersion=${exact.json.metadata.resourceVersion}` });
    assert.equal(pinned.json.items.length, 2, 'a non-zero resourceVersion still pages');
    assert.ok(pinned.json.metadata.continue);
  });

  it('watches from a resourceVersion: MODIFIED and DELETED in order, nothing older', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const result = await collectWatch(
      target,
      cmPath(),
      { resourceVersion: list.metadata!.resourceVersion },
      (events) => events.some((e) => e.type === 'DELETED'),
      async () => {
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w1' }, data: { a: '1' } } });
        const cm = await core.readNamespacedConfigMap({ name: 'w1', namespace: ns });
        await core.replaceNamespacedConfigMap({ name: 'w1', namespace: ns, body: { ...cm, data: { a: '2' } } });
        await core.deleteNamespacedConfigMap({ name: 'w1', namespace: ns });
      },
    );
    const mine = result.events.filter((e) => e.object?.metadata?.name === 'w1');
    assert.deepEqual(mine.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(mine[1]!.object.data.a, '2');
    assert.ok(result.events.every((e) => e.type === 'BOOKMARK' || e.object?.metadata?.name === 'w1'), 'no events from before the resourceVersion');
    const rvs = mine.map((e) => BigInt(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!);
  });

  it('a watch without resourceVersion starts with ADDED for existing objects', async () => {
    const result = await collectWatch(target, cmPath(), { labelSelector: 'color=red' }, (events) => events.length >= 2);
    assert.deepEqual(result.events.map((e) => `${e.type} ${e.object.metadata.name}`).sort(), ['ADDED red-big', 'ADDED red-small']);
  });

  it('applies label and field selectors to watches', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const result = await collectWatch(
      target,
      cmPath(),
      { resourceVersion: list.metadata!.resourceVersion, labelSelector: 'watched=yes', fieldSelector: 'metadata.name!=skip-me' },
      (events) => events.some((e) => e.object?.metadata?.name === 'last'),
      async () => {
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'unlabelled' } } });
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'skip-me', labels: { watched: 'yes' } } } });
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'seen', labels: { watched: 'yes' } } } });
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'last', labels: { watched: 'yes' } } } });
      },
    );
    assert.deepEqual(result.events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.object.metadata.name), ['seen', 'last']);
  });

  it('ends the watch after timeoutSeconds', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const result = await collectWatch(target, cmPath(), { resourceVersion: list.metadata!.resourceVersion, timeoutSeconds: 1 }, () => false);
    assert.equal(result.endedByServer, true);
    assert.equal(result.error ?? null, null, `the watch should end cleanly, got ${String(result.error)}`);
  });

  it('sends BOOKMARK events when asked', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const result = await collectWatch(target, cmPath(), { resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 5 }, (events) =>
      events.some((e) => e.type === 'BOOKMARK'),
    );
    const bookmark = result.events.find((e) => e.type === 'BOOKMARK');
    assert.ok(bookmark, 'a bookmark arrives before the watch times out');
    assert.match(bookmark.object.metadata.resourceVersion, /^\d+$/);
  });

  it('answers 410 Gone for a resourceVersion older than the watch history', async (t) => {
    if (target.historyWindow === undefined) {
      t.skip('a real cluster compacts on its own schedule; this is only forced on the embedded server');
      return;
    }
    const old = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'gone-base' }, data: { n: '0' } } });
    let current = old;
    for (let i = 1; i <= target.historyWindow + 20; i++) {
      current = await core.replaceNamespacedConfigMap({ name: 'gone-base', namespace: ns, body: { ...current, data: { n: String(i) } } });
    }
    const result = await collectWatch(target, cmPath(), { resourceVersion: old.metadata!.resourceVersion }, (events) => events.some((e) => e.type === 'ERROR'));
    const error = result.events.find((e) => e.type === 'ERROR');
    assert.ok(error, `expected an ERROR event, got ${result.events.map((e) => e.type).join(',')}; ended: ${String(result.error)}`);
    assertStatus(error.object, 410, 'Expired');
  });
});
