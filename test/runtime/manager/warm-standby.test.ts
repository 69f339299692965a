import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import { Client } from '../../../src/runtime/client/client.js';
import type { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import type { Cluster } from '../../../src/runtime/cluster/cluster.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap, Secret } from '../../../src/runtime/builtin-resources.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';
import { unreachableKubeConfig } from './fakes.js';

/** A replica whose cache lists and watches `configmaps` from its own in-memory source. */
function replica(clock: FakeClock, store: MemoryLeaseStore, identity: string, configmaps: FakeListerWatcher, others: Record<string, FakeListerWatcher> = {}) {
  const sources: Record<string, FakeListerWatcher> = { configmaps, ...others };
  const cache = new SharedCache({
    listerWatcherFor: (rt) => {
      const source = sources[rt.plural];
      if (!source) throw new Error(`unexpected kind ${rt.kind}`);
      return source;
    },
    clock,
    logger: silentLogger,
  });
  const cluster: Cluster = { cache, client: new Client({ transport: {} as RestTransport, cache, fieldManager: 'x' }), eventRecorder: () => ({ event() {} }) };
  const manager = new Manager({
    kubeConfig: unreachableKubeConfig(),
    cluster,
    logger: silentLogger,
    clock,
    healthProbeBindAddress: '127.0.0.1:0',
    defaultMetrics: false,
    leaderElection: { enabled: true, id: 'warm.example.com', namespace: 'default', identity },
    leaseLock: store.lock(identity, 'warm.example.com'),
  });
  const reconciled: string[] = [];
  controllerManagedBy(manager)
    .for(ConfigMap)
    .complete({
      async reconcile(req) {
        reconciled.push(req.name);
      },
    });
  return { manager, reconciled };
}

async function readyz(m: Manager): Promise<number> {
  while (!m.healthProbeAddress()) await new Promise((r) => setTimeout(r, 5));
  return (await fetch(`http://${m.healthProbeAddress()}/readyz`)).status;
}

test('a standby lists and watches its controllers\' kinds before it leads, reconciles nothing, then reconciles every cached object at once without listing again', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const sourceA = new FakeListerWatcher();
  const sourceB = new FakeListerWatcher();
  for (const name of ['one', 'two', 'three']) {
    sourceA.put(name, {}, 'default', false);
    sourceB.put(name, {}, 'default', false);
  }
  sourceB.listFailures.push(new Error('connection refused')); // the standby's first list fails: not ready until it syncs
  const a = replica(clock, store, 'a', sourceA);
  const b = replica(clock, store, 'b', sourceB);

  const stopA = new AbortController();
  const runA = a.manager.start(stopA.signal);
  await a.manager.elected();
  const stopB = new AbortController();
  const runB = b.manager.start(stopB.signal);
  await flushMicrotasks(40);
  assert.equal(b.manager.isLeader(), false);
  assert.equal(sourceB.listCalls.length, 1, 'the standby listed at manager start, not at leadership');
  assert.equal(await readyz(b.manager), 500, 'not ready while its controller\'s informer has not synced');

  await clock.advance(5_000); // the list is retried after backoff
  await sourceB.waitForWatches(1);
  const informer = b.manager.cache.informer(ConfigMap);
  assert.equal(informer.hasSynced(), true, 'the standby\'s informer synced before leadership');
  assert.deepEqual(informer.store.list().map((o: KubernetesObject) => o.metadata?.name).sort(), ['one', 'three', 'two']);
  assert.equal(await readyz(b.manager), 200, 'a synced standby is ready');

  // Changes seen while standing by update the cache but queue nothing.
  sourceB.put('four');
  sourceB.put('one', { data: { v: '2' } });
  sourceB.remove('two');
  await clock.advance(5_000);
  assert.deepEqual(b.reconciled, [], 'no reconcile before leadership');
  assert.deepEqual(a.reconciled.sort(), ['one', 'three', 'two']);
  const listsBeforeHandOver = sourceB.listCalls.length;

  stopA.abort();
  await runA;
  await clock.advance(0);
  await b.manager.elected();
  await flushMicrotasks(40);
  assert.equal(b.manager.isLeader(), true);
  assert.deepEqual(b.reconciled.sort(), ['four', 'one', 'three'], 'every cached object reconciled once, right after election, with no time passing');
  assert.equal(sourceB.listCalls.length, listsBeforeHandOver, 'the new leader did not list again');

  // The handlers registered on leadership deliver later events as usual.
  sourceB.put('five');
  await flushMicrotasks(40);
  assert.deepEqual(b.reconciled.filter((n) => n === 'five'), ['five']);
  stopB.abort();
  await runB;
});

test('a controller added to a running standby warms its informer at once, and still reconciles nothing', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  store.write({ holderIdentity: 'other', leaseDurationSeconds: 3600, acquireTime: new Date(clock.now()).toISOString(), renewTime: new Date(clock.now()).toISOString(), leaseTransitions: 0 });
  const source = new FakeListerWatcher();
  source.put('x', {}, 'default', false);
  const secrets = new FakeListerWatcher();
  secrets.put('s', {}, 'default', false);
  const { manager, reconciled } = replica(clock, store, 'b', source, { secrets });
  const stop = new AbortController();
  const run = manager.start(stop.signal);
  await flushMicrotasks(40);
  assert.equal(secrets.listCalls.length, 0);
  const late: string[] = [];
  controllerManagedBy(manager)
    .for(Secret)
    .complete({
      async reconcile(req) {
        late.push(req.name);
      },
    });
  await flushMicrotasks(40);
  await clock.advance(60_000);
  assert.equal(secrets.listCalls.length, 1, 'the late controller\'s kind was listed on the standby');
  assert.equal(manager.cache.informer(Secret).hasSynced(), true);
  assert.equal(source.listCalls.length, 1);
  assert.equal(manager.isLeader(), false);
  assert.deepEqual([...reconciled, ...late], []);
  stop.abort();
  await run;
});

test('a new leader replays a large warm cache in batches and reconciles every object exactly once', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const source = new FakeListerWatcher();
  const names = Array.from({ length: 1_234 }, (_, i) => `cm-${i}`);
  for (const name of names) source.put(name, {}, 'default', false);
  store.write({ holderIdentity: 'other', leaseDurationSeconds: 10, acquireTime: new Date(clock.now()).toISOString(), renewTime: new Date(clock.now()).toISOString(), leaseTransitions: 0 });
  const { manager, reconciled } = replica(clock, store, 'a', source);
  const stop = new AbortController();
  const run = manager.start(stop.signal);
  await flushMicrotasks(40);
  assert.equal(manager.cache.informer(ConfigMap).hasSynced(), true, 'synced while another replica holds the lease');
  assert.equal(reconciled.length, 0);
  await clock.advance(15_000); // the other holder's lease expires
  await manager.elected();
  for (let i = 0; i < 20 && reconciled.length < names.length; i++) await flushMicrotasks(40);
  assert.equal(reconciled.length, names.length);
  assert.deepEqual(new Set(reconciled), new Set(names));
  assert.equal(source.listCalls.length, 1);
  stop.abort();
  await run;
});
