import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Informer } from '../../../src/runtime/informer/informer.js';
import { ApiError, GoneError } from '../../../src/runtime/client/errors.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { FakeListerWatcher } from './fake-lister-watcher.js';

function setup() {
  const lw = new FakeListerWatcher();
  const clock = new FakeClock();
  const informer = new Informer({ name: 'configmaps', listerWatcher: lw, clock, logger: silentLogger, random: () => 0, backoff: { random: () => 0 } });
  const ac = new AbortController();
  return { lw, clock, informer, ac, done: () => informer.start(ac.signal) };
}

const gone = () => new GoneError({ status: 410, reason: 'Expired', message: 'too old', method: 'GET', path: '/x' });

test('the first list asks for resourceVersion 0 (the watch cache), as client-go does', async () => {
  const { lw, informer, ac, done } = setup();
  lw.put('a', {}, 'default', false);
  const running = done();
  await informer.waitForSync();
  assert.deepEqual(lw.listResourceVersions, ['0']);
  assert.equal(informer.stats.listFallbacks, 0);
  await lw.waitForWatches(1);
  ac.abort();
  await running;
});

test('a refused resourceVersion 0 (410 Expired, or too large) is followed at once by a list of the latest state', async () => {
  for (const refusal of [gone(), new ApiError({ status: 504, reason: 'Timeout', message: 'Too large resource version: 7, current: 5', method: 'GET', path: '/x' })]) {
    const { lw, informer, ac, done } = setup();
    lw.put('a', {}, 'default', false);
    lw.listFailures = [refusal];
    const running = done();
    await informer.waitForSync();
    assert.deepEqual(lw.listResourceVersions, ['0', ''], refusal.message);
    assert.equal(informer.stats.listFallbacks, 1);
    assert.equal(informer.store.size, 1);
    await lw.waitForWatches(1);
    ac.abort();
    await running;
  }
});

test('a relist after the watch reports 410 Gone asks for the latest state, never resourceVersion 0', async () => {
  const { lw, informer, ac, done } = setup();
  lw.put('a', {}, 'default', false);
  const running = done();
  await informer.waitForSync();
  await lw.waitForWatches(1);
  lw.endWatches(gone());
  await lw.waitForWatches(2);
  assert.deepEqual(lw.listResourceVersions, ['0', '']);
  ac.abort();
  await running;
});

test('other list errors are retried after backoff with resourceVersion 0 again', async () => {
  const { lw, clock, informer, ac, done } = setup();
  lw.listFailures = [new ApiError({ status: 403, reason: 'Forbidden', message: 'nope', method: 'GET', path: '/x' })];
  const running = done();
  await flushMicrotasks();
  assert.deepEqual(lw.listResourceVersions, ['0'], 'no immediate fallback for an error that is not about the resourceVersion');
  await clock.advance(60_000);
  await informer.waitForSync();
  assert.deepEqual(lw.listResourceVersions, ['0', '0']);
  assert.equal(informer.stats.listFallbacks, 0);
  await lw.waitForWatches(1);
  ac.abort();
  await running;
});

test('a transform is applied to listed and watched objects before they are stored and handed out', async () => {
  const lw = new FakeListerWatcher();
  const informer = new Informer({
    name: 'configmaps', listerWatcher: lw, clock: new FakeClock(), logger: silentLogger,
    transform: (o) => ({ ...o, metadata: { ...o.metadata, annotations: { seen: 'yes' } } }),
  });
  const added: Array<string | undefined> = [];
  informer.addEventHandler({ onAdd: (o) => added.push(o.metadata?.annotations?.seen) });
  lw.put('listed', {}, 'default', false);
  const ac = new AbortController();
  const running = informer.start(ac.signal);
  await informer.waitForSync();
  await lw.waitForWatches(1);
  lw.put('watched');
  assert.equal(informer.store.get('default', 'watched')?.metadata?.annotations?.seen, 'yes');
  assert.deepEqual(added, ['yes', 'yes']);
  ac.abort();
  await running;
});
