import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { SharedCache } from '../../../src/runtime/cache/shared-cache.js';
import type { Cluster } from '../../../src/runtime/cluster/cluster.js';
import type { RestRequest } from '../../../src/runtime/client/rest-transport.js';
import { controllerManagedBy } from '../../../src/runtime/controller/builder.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { LeaderElectionLostError, LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { FakeListerWatcher } from '../informer/fake-lister-watcher.js';
import { fakeCluster, unreachableKubeConfig } from './fakes.js';

function track<T>(p: Promise<T>) {
  const s: { done: boolean; error?: unknown } = { done: false };
  p.then(() => (s.done = true), (e) => Object.assign(s, { done: true, error: e }));
  return s;
}

function manager(clock: FakeClock, store: MemoryLeaseStore | undefined, identity: string, cluster: Cluster) {
  return new Manager({
    kubeConfig: unreachableKubeConfig(),
    cluster,
    logger: silentLogger,
    clock,
    healthProbeBindAddress: '0',
    defaultMetrics: false,
    leaderElection: store ? { enabled: true, id: 'lease.example.com', namespace: 'default', identity } : undefined,
    leaseLock: store?.lock(identity, 'lease.example.com'),
  });
}

const cm = (name: string) => ({ metadata: { name, namespace: 'default' } });

test('manager.client is fenced while election is on: a standby and a replica that lost the lease send no write; reads and unfenced() pass', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const sentA: RestRequest[] = [];
  const sentB: RestRequest[] = [];
  const a = manager(clock, store, 'a', fakeCluster({ sent: sentA }));
  const b = manager(clock, store, 'b', fakeCluster({ sent: sentB }));
  const runA = track(a.start(new AbortController().signal));
  await a.elected();
  const runB = track(b.start(new AbortController().signal));
  await flushMicrotasks();
  assert.equal(b.isLeader(), false);
  assert.equal(b.client.fenced, true);
  await assert.rejects(b.client.create(ConfigMap, cm('from-standby')), LeaseNotHeldError);
  await assert.rejects(b.client.apply(ConfigMap, cm('from-standby')), LeaseNotHeldError);
  await assert.rejects(b.client.patch(ConfigMap, 'default', 'x', { data: {} }, { status: true }), LeaseNotHeldError);
  assert.deepEqual(sentB, []);
  await b.client.unfenced().create(ConfigMap, cm('webhook-style'));
  assert.equal(sentB.length, 1);
  await a.client.create(ConfigMap, cm('from-leader'));
  assert.equal(sentA.length, 1);
  store.partitioned.add('a');
  await clock.advance(10_000);
  assert.equal(runA.done, true);
  assert.ok(runA.error instanceof LeaderElectionLostError);
  await assert.rejects(a.client.create(ConfigMap, cm('after-loss')), LeaseNotHeldError);
  assert.equal(sentA.length, 1);
  assert.equal(runB.done, false);
});

test('without election manager.client is not fenced', async () => {
  const sent: RestRequest[] = [];
  const m = manager(new FakeClock(), undefined, 'a', fakeCluster({ sent }));
  assert.equal(m.client.fenced, false);
  await m.client.create(ConfigMap, cm('x'));
  assert.equal(sent.length, 1);
});

test('losing the lease aborts an in-flight reconcile through its signal and its in-flight write, which is never sent', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const sent: RestRequest[] = [];
  let connected!: () => void;
  const connection = new Promise<void>((r) => (connected = r));
  const lw = new FakeListerWatcher();
  lw.put('x', {}, 'default', false);
  const base = fakeCluster({ sent, beforeConnect: () => connection });
  const cache = new SharedCache({ listerWatcherFor: () => lw, clock, logger: silentLogger });
  const a = manager(clock, store, 'a', { ...base, cache });
  const seen: { writing?: boolean; aborted?: boolean; writeError?: unknown } = {};
  controllerManagedBy(a)
    .for(ConfigMap)
    .complete({
      async reconcile(_req, ctx) {
        ctx.signal.addEventListener('abort', () => (seen.aborted = true), { once: true });
        seen.writing = true;
        // Issued while leading; its connection only comes after the lease is lost.
        await ctx.client.patch(ConfigMap, 'default', 'x', { data: { late: 'yes' } }).catch((e: unknown) => (seen.writeError = e));
      },
    });
  const run = track(a.start(new AbortController().signal));
  await a.elected();
  await flushMicrotasks();
  assert.equal(seen.writing, true);
  store.partitioned.add('a');
  await clock.advance(9_999);
  assert.equal(seen.aborted, undefined, 'still leading: the reconcile runs on');
  assert.equal(seen.writeError === undefined, true, 'the write is still waiting for its connection');
  await clock.advance(1);
  await flushMicrotasks();
  assert.equal(seen.aborted, true, 'the reconcile signal aborted when the lease was lost');
  assert.ok(seen.writeError instanceof LeaseNotHeldError, String(seen.writeError));
  connected();
  await flushMicrotasks();
  assert.deepEqual(sent, [], 'the write was never sent');
  assert.equal(run.done, true);
  assert.ok(run.error instanceof LeaderElectionLostError, String(run.error));
});
