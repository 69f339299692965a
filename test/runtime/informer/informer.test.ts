import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Informer } from '../../../src/runtime/informer/informer.js';
import { ApiError, GoneError, TransportError } from '../../../src/runtime/client/errors.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { Backoff } from '../../../src/runtime/informer/backoff.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';

function setup(opts: { minWatchTimeoutSeconds?: number } = {}) {
  const clock = new FakeClock();
  const lw = new FakeListerWatcher();
  const informer = new Informer({ name: 'configmaps', listerWatcher: lw, clock, logger: silentLogger, random: () => 0, backoff: { random: () => 0 }, ...opts });
  const events: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => events.push(`add ${o.metadata?.name}`),
    onUpdate: (a, b) => events.push(`update ${b.metadata?.name} ${a.metadata?.resourceVersion}->${b.metadata?.resourceVersion}`),
    onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
  });
  const ac = new AbortController();
  return { clock, lw, informer, events, ac, run: () => informer.start(ac.signal) };
}

const gone = () => new GoneError({ status: 410, reason: 'Expired', message: 'too old', method: 'GET', path: '/x' });

test('lists, syncs, then watches from the listed resourceVersion and applies events', async () => {
  const { lw, informer, events, ac, run } = setup();
  lw.put('a', {}, 'default', false);
  const listedRv = lw.currentRv;
  const done = run();
  await informer.waitForSync();
  assert.equal(informer.hasSynced(), true);
  await lw.waitForWatches(1);
  assert.equal(lw.watchRequests[0].resourceVersion, listedRv);
  assert.equal(lw.watchRequests[0].timeoutSeconds, 300);
  lw.put('b');
  lw.put('a', { data: { x: '1' } });
  lw.remove('b');
  lw.broadcast({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '999' } } });
  assert.deepEqual(events, ['add a', 'add b', 'update a 101->103', 'delete b']);
  assert.equal(informer.lastResourceVersion, '999');
  assert.deepEqual(informer.store.keys(), ['default/a']);
  ac.abort();
  await done;
});

test('a watch that ends is reopened from the last resourceVersion without relisting', async () => {
  const { lw, informer, ac, run, clock } = setup();
  const done = run();
  await informer.waitForSync();
  await lw.waitForWatches(1);
  lw.put('a');
  const rv = lw.currentRv;
  lw.endWatches(); // clean end (server timeout), after events: healthy → immediate reconnect
  await lw.waitForWatches(2);
  assert.equal(lw.watchRequests[1].resourceVersion, rv);
  assert.equal(lw.listCalls.length, 1);
  lw.endWatches(); // no events and no time passed: backoff before the next attempt
  await flushMicrotasks();
  assert.equal(lw.watchRequests.length, 2);
  await clock.advance(500);
  await lw.waitForWatches(3);
  ac.abort();
  await done;
});

test('410 Gone, as HTTP status or as an ERROR event, relists and synthesises the missed changes', async () => {
  const { lw, informer, events, ac, run, clock } = setup();
  lw.put('keep', {}, 'default', false);
  lw.put('change', {}, 'default', false);
  lw.put('vanish', {}, 'default', false);
  const done = run();
  await informer.waitForSync();
  await lw.waitForWatches(1);
  events.length = 0;
  // changes the informer never hears about
  lw.put('change', { data: { v: '2' } }, 'default', false);
  lw.remove('vanish', 'default', false);
  lw.put('new', {}, 'default', false);
  lw.broadcast({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
  await lw.waitForWatches(2);
  assert.equal(lw.listCalls.length, 2);
  assert.deepEqual(events.sort(), ['add new', 'delete vanish', 'update change 102->104'].sort());
  assert.equal(informer.stats.relistsAfterGone, 1);
  // HTTP 410 on opening the watch
  lw.watchFailures.push(gone());
  lw.endWatches(); // a clean end with no events: a short backoff first
  await clock.advance(500);
  await lw.waitForWatches(3);
  // a second 410 with no healthy watch in between: relist after a backoff, so a broken server is not hammered
  await flushMicrotasks();
  assert.equal(lw.listCalls.length, 2);
  await clock.advance(1000);
  await lw.waitForWatches(4);
  assert.equal(lw.listCalls.length, 3);
  assert.equal(informer.stats.relistsAfterGone, 2);
  ac.abort();
  await done;
});

test('errors never stop the informer: list and watch failures back off (capped) and retry', async () => {
  const { lw, informer, ac, run, clock } = setup();
  const boom = () => new TransportError('connection refused', undefined);
  lw.listFailures.push(boom(), boom(), new ApiError({ status: 500, message: 'etcd down', method: 'GET', path: '/x' }));
  const done = run();
  await flushMicrotasks();
  assert.equal(lw.listCalls.length, 1);
  await clock.advance(499);
  assert.equal(lw.listCalls.length, 1);
  await clock.advance(1); // 500 ms
  assert.equal(lw.listCalls.length, 2);
  await clock.advance(1000); // 1 s
  assert.equal(lw.listCalls.length, 3);
  await clock.advance(2000); // 2 s, then the list works
  await informer.waitForSync();
  await lw.waitForWatches(1);
  lw.watchFailures.push(boom(), boom());
  lw.endWatches(new TransportError('reset', undefined));
  await clock.advance(500);
  await clock.advance(1000);
  await clock.advance(2000);
  await lw.waitForWatches(4);
  assert.equal(lw.listCalls.length, 4, '3 failed lists + 1 good one; watch errors re-watch, they do not relist');
  assert.ok(informer.stats.reconnects >= 5);
  ac.abort();
  await done;
});

test('a silent watch is abandoned by the watchdog and reopened', async () => {
  const { lw, informer, ac, run, clock } = setup({ minWatchTimeoutSeconds: 10 });
  const done = run();
  await informer.waitForSync();
  await lw.waitForWatches(1);
  await clock.advance(10_000 + 29_999);
  assert.equal(informer.stats.watchdogFired, 0);
  await clock.advance(1);
  assert.equal(informer.stats.watchdogFired, 1);
  await lw.waitForWatches(2);
  ac.abort();
  await done;
});

test('a handler added after sync gets the current objects; a throwing handler harms nobody', async () => {
  const { lw, informer, ac, run } = setup();
  lw.put('a', {}, 'default', false);
  const done = run();
  await informer.waitForSync();
  const late: string[] = [];
  informer.addEventHandler({ onAdd: () => { throw new Error('bad handler'); } });
  const remove = informer.addEventHandler({ onAdd: (o: KubernetesObject) => late.push(o.metadata!.name!) });
  await lw.waitForWatches(1);
  lw.put('b');
  assert.deepEqual(late, ['a', 'b']);
  remove();
  lw.put('c');
  assert.deepEqual(late, ['a', 'b']);
  ac.abort();
  await done;
});

test('waitForSync rejects when its signal aborts first', async () => {
  const { informer } = setup();
  const ac = new AbortController();
  const p = informer.waitForSync(ac.signal);
  ac.abort();
  await assert.rejects(p);
});

test('backoff doubles to its cap, jitter only shortens, reset starts over', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
  const j = new Backoff({ initialMs: 100, jitter: 0.5, random: () => 1 });
  assert.equal(j.next(), 50);
});
