import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { Manager } from '../../../src/runtime/manager/manager.js';
import type { ManagerOptions } from '../../../src/runtime/manager/options.js';
import { GracefulShutdownTimeoutError, ManagerAlreadyStartedError, ManagerOptionsError, RunnableFailedError } from '../../../src/runtime/manager/errors.js';
import { LeaderElectionLostError, LeaseNotHeldError, LeaderElectionConfigError } from '../../../src/runtime/leaderelection/errors.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { fakeCluster, RecordingRunnable, unreachableKubeConfig } from './fakes.js';

function track<T>(p: Promise<T>) {
  const s: { done: boolean; error?: unknown } = { done: false };
  p.then(() => (s.done = true), (e) => Object.assign(s, { done: true, error: e }));
  return s;
}

function manager(clock: FakeClock, store: MemoryLeaseStore | undefined, identity: string, extra: Partial<ManagerOptions> & { events?: string[] } = {}) {
  return new Manager({
    kubeConfig: unreachableKubeConfig(),
    cluster: fakeCluster({ events: extra.events }),
    logger: silentLogger,
    clock,
    healthProbeBindAddress: '0',
    defaultMetrics: false,
    leaderElection: store ? { enabled: true, id: 'lease.example.com', namespace: 'default', identity } : undefined,
    leaseLock: store?.lock(identity, 'lease.example.com'),
    ...extra,
  });
}

test('without election, leader-only runnables start at once and stop before the others', async () => {
  const clock = new FakeClock();
  const log: string[] = [];
  const m = manager(clock, undefined, 'a');
  m.add(new RecordingRunnable('controller', log, true));
  m.add(new RecordingRunnable('cache-like', log, false));
  const stop = new AbortController();
  const run = track(m.start(stop.signal));
  await m.elected();
  await flushMicrotasks();
  assert.equal(m.isLeader(), true);
  assert.equal(m.leaseGuard.isHeld(), true);
  assert.deepEqual(log.sort(), ['cache-like started', 'controller started']);
  log.length = 0;
  stop.abort();
  await flushMicrotasks();
  assert.equal(run.done, true);
  assert.equal(run.error, undefined);
  assert.deepEqual(log, ['controller stopped', 'cache-like stopped']);
  await assert.rejects(m.start(), ManagerAlreadyStartedError);
});

test('two managers contend: exactly one runs its controllers; metrics and events follow', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const log: string[] = [];
  const events: string[] = [];
  const a = manager(clock, store, 'a', { events });
  const b = manager(clock, store, 'b');
  a.add(new RecordingRunnable('a-controller', log, true));
  b.add(new RecordingRunnable('b-controller', log, true));
  const stopA = new AbortController();
  const stopB = new AbortController();
  track(a.start(stopA.signal));
  await flushMicrotasks();
  track(b.start(stopB.signal));
  await clock.advance(30_000);
  assert.deepEqual(log, ['a-controller started']);
  assert.equal(a.isLeader(), true);
  assert.equal(b.isLeader(), false);
  assert.equal(b.leaseGuard.isHeld(), false);
  assert.throws(() => b.leaseGuard.assertHeld(), LeaseNotHeldError);
  assert.match(await a.metricsRegistry.metrics(), /leader_election_master_status\{name="lease.example.com"\} 1/);
  assert.match(await b.metricsRegistry.metrics(), /leader_election_master_status\{name="lease.example.com"\} 0/);
  assert.deepEqual(events, ['LeaderElection: a became leader']);
  stopA.abort();
  stopB.abort();
  await flushMicrotasks();
});

test('graceful stop: controllers finish first, then the lease is released, then the standby leads at once', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const log: string[] = [];
  const a = manager(clock, store, 'a');
  const b = manager(clock, store, 'b');
  const slow = new RecordingRunnable('a-controller', log, true, { holdOnStop: true });
  a.add(slow);
  b.add(new RecordingRunnable('b-controller', log, true));
  const stopA = new AbortController();
  const runA = track(a.start(stopA.signal));
  await a.elected();
  const stopB = new AbortController();
  track(b.start(stopB.signal));
  await clock.advance(5_000);
  stopA.abort();
  await flushMicrotasks();
  // The controller is still finishing a reconcile: the lease must still be held and renewed.
  assert.equal(store.lease()!.record.holderIdentity, 'a');
  assert.equal(a.leaseGuard.isHeld(), true);
  await clock.advance(4_000);
  assert.equal(store.lease()!.record.holderIdentity, 'a');
  assert.ok(!log.includes('b-controller started'));
  slow.release!();
  await clock.advance(0);
  assert.equal(runA.done, true);
  assert.equal(runA.error, undefined);
  assert.equal(store.writes.some((w) => w.holderIdentity === '' && w.leaseDurationSeconds === 1), true);
  assert.equal(store.lease()!.record.holderIdentity, 'b', 'b took the released lease without any time passing');
  assert.deepEqual(log, ['a-controller started', 'a-controller stopped', 'b-controller started']);
  stopB.abort();
  await flushMicrotasks();
});

test('releaseOnCancel false leaves the lease to expire', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = manager(clock, store, 'a', {});
  const b = new Manager({
    kubeConfig: unreachableKubeConfig(), cluster: fakeCluster(), logger: silentLogger, clock, healthProbeBindAddress: '0', defaultMetrics: false,
    leaderElection: { enabled: true, id: 'lease.example.com', namespace: 'default', identity: 'c', releaseOnCancel: false },
    leaseLock: store.lock('c', 'lease.example.com'),
  });
  const stopB = new AbortController();
  const runB = track(b.start(stopB.signal));
  await b.elected();
  stopB.abort();
  await flushMicrotasks();
  assert.equal(runB.done, true);
  assert.equal(store.lease()!.record.holderIdentity, 'c');
  const stopA = new AbortController();
  track(a.start(stopA.signal));
  await clock.advance(14_000);
  assert.equal(a.isLeader(), false);
  await clock.advance(1_100);
  assert.equal(a.isLeader(), true);
  stopA.abort();
  await flushMicrotasks();
});

test('leader-election metrics: transitions count each start and stop of leading, slowpath each renewal that read the lease first', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = manager(clock, store, 'a');
  const metric = async (name: string) => {
    const m = new RegExp(`^${name}\\{name="lease.example.com"\\} (\\d+)$`, 'm').exec(await a.metricsRegistry.metrics());
    assert.ok(m, `${name} is exported`);
    return Number(m[1]);
  };
  assert.equal(await metric('leader_election_transitions_total'), 0, 'exported at 0 before anything happened');
  assert.equal(await metric('leader_election_slowpath_total'), 0);
  const stop = new AbortController();
  const run = track(a.start(stop.signal));
  await a.elected();
  assert.equal(await metric('leader_election_transitions_total'), 1);
  await clock.advance(10_000);
  assert.equal(await metric('leader_election_slowpath_total'), 0, 'renewals on the fast path are not counted');
  store.failNext(409);
  await clock.advance(2_000);
  assert.equal(a.isLeader(), true);
  assert.equal(await metric('leader_election_slowpath_total'), 1, 'the renewal after a conflict read the lease first');
  stop.abort();
  await clock.advance(0);
  await flushMicrotasks();
  assert.equal(run.done, true);
  assert.equal(await metric('leader_election_transitions_total'), 2);
  assert.equal(await metric('leader_election_master_status'), 0);
});

test('losing the lease stops controllers at once and start() rejects LeaderElectionLostError', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const log: string[] = [];
  const a = manager(clock, store, 'a');
  const ctrl = new RecordingRunnable('a-controller', log, true);
  a.add(ctrl);
  const run = track(a.start(new AbortController().signal));
  await a.elected();
  store.partitioned.add('a');
  await clock.advance(9_999);
  assert.equal(ctrl.stopped, false);
  assert.equal(a.leaseGuard.isHeld(), true);
  await clock.advance(1);
  assert.equal(a.leaseGuard.isHeld(), false);
  await clock.advance(0);
  assert.equal(ctrl.stopped, true);
  assert.equal(run.done, true);
  assert.ok(run.error instanceof LeaderElectionLostError);
  assert.match(await a.metricsRegistry.metrics(), /leader_election_master_status\{name="lease.example.com"\} 0/);
});

test('a shutdown that outlives gracefulShutdownTimeoutMs rejects with a typed error and does not release', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = manager(clock, store, 'a', { gracefulShutdownTimeoutMs: 5_000 });
  a.add(new RecordingRunnable('stuck', [], true, { holdOnStop: true }));
  const stop = new AbortController();
  const run = track(a.start(stop.signal));
  await a.elected();
  stop.abort();
  await clock.advance(4_999);
  assert.equal(run.done, false);
  await clock.advance(1);
  assert.equal(run.done, true);
  assert.ok(run.error instanceof GracefulShutdownTimeoutError);
  assert.match((run.error as Error).message, /leader-only runnables/);
  assert.equal(store.lease()!.record.holderIdentity, 'a', 'never released while a controller may still be working');
});

test('a failing runnable stops the manager with its error', async () => {
  const clock = new FakeClock();
  const log: string[] = [];
  const m = manager(clock, undefined, 'a');
  m.add(new RecordingRunnable('other', log, false));
  m.add(new RecordingRunnable('bad', log, true, { failWith: new Error('kaboom') }));
  await assert.rejects(m.start(new AbortController().signal), (err: unknown) => err instanceof RunnableFailedError && /kaboom/.test(err.message));
  assert.ok(log.includes('other stopped'));
});

test('options are validated up front', () => {
  const clock = new FakeClock();
  assert.throws(() => manager(clock, undefined, 'a', { gracefulShutdownTimeoutMs: 0 }), ManagerOptionsError);
  assert.throws(() => manager(clock, undefined, 'a', { maxConcurrentReconciles: 0 }), ManagerOptionsError);
  assert.throws(() => manager(clock, undefined, 'a', { healthProbeBindAddress: 'localhost' }), /healthProbeBindAddress 'localhost'/);
  assert.throws(
    () => new Manager({ kubeConfig: unreachableKubeConfig(), cluster: fakeCluster(), logger: silentLogger, leaderElection: { enabled: true, id: 'x', leaseDurationMs: 5_000 } }),
    LeaderElectionConfigError,
  );
});

test('probes: readyz waits for cache sync on a standby too; user checks; healthz', async (t) => {
  let synced = false;
  const store = new MemoryLeaseStore();
  store.write({ holderIdentity: 'someone-else', leaseDurationSeconds: 15, leaseTransitions: 0 });
  const m = new Manager({
    kubeConfig: unreachableKubeConfig(), cluster: fakeCluster({ synced: () => synced }), logger: silentLogger, defaultMetrics: false,
    healthProbeBindAddress: '127.0.0.1:0', metricsBindAddress: '127.0.0.1:0',
    leaderElection: { enabled: true, id: 'lease.example.com', namespace: 'default', identity: 'standby' },
    leaseLock: store.lock('standby', 'lease.example.com'),
  });
  let custom: Error | undefined;
  m.addReadyzCheck('custom', () => {
    if (custom) throw custom;
  });
  const stop = new AbortController();
  const run = m.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await run;
  });
  while (!m.healthProbeAddress() || !m.metricsAddress()) await new Promise((r) => setTimeout(r, 5));
  const get = async (path: string, addr = m.healthProbeAddress()) => {
    const res = await fetch(`http://${addr}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const notReady = await get('/readyz?verbose');
  assert.equal(notReady.status, 500);
  assert.match(notReady.body, /\[-\]cache-sync failed: caches have not synced yet/);
  synced = true;
  assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
  assert.equal(m.isLeader(), false, 'a standby is ready too');
  custom = new Error('warming up');
  assert.match((await get('/readyz')).body, /custom failed: warming up/);
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  const metrics = await get('/metrics', m.metricsAddress());
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /# TYPE leader_election_master_status gauge/);
  assert.match(metrics.body, /^leader_election_slowpath_total\{name="lease.example.com"\} 0$/m);
  assert.match(metrics.body, /^leader_election_transitions_total\{name="lease.example.com"\} 0$/m);
});

test('a probe port already in use fails start() with a typed error and stops the rest', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const log: string[] = [];
    const m = new Manager({ kubeConfig: unreachableKubeConfig(), cluster: fakeCluster(), logger: silentLogger, defaultMetrics: false, healthProbeBindAddress: `127.0.0.1:${port}` });
    m.add(new RecordingRunnable('other', log, false));
    m.add(new RecordingRunnable('controller', log, true));
    await assert.rejects(m.start(new AbortController().signal), (err: unknown) => (err as { code?: string }).code === 'ELISTEN' && /could not listen/.test((err as Error).message));
    assert.ok(!log.includes('controller started'), 'controllers never start when a server cannot bind');
    assert.ok(log.includes('other stopped'));
  } finally {
    blocker.close();
  }
});
