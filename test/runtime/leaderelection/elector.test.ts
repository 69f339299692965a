import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { LeaderElector, type LeaderElectorConfig } from '../../../src/runtime/leaderelection/elector.js';
import { LeaderElectionLostError, LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { isMicroTime } from '../../../src/runtime/leaderelection/microtime.js';
import type { LeaseLock } from '../../../src/runtime/leaderelection/lease-lock.js';
import type { EventRecorder } from '../../../src/runtime/types.js';

function elector(store: MemoryLeaseStore, clock: FakeClock, identity: string, extra: Partial<LeaderElectorConfig> = {}) {
  return new LeaderElector({
    lock: store.lock(identity),
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    random: () => 0,
    ...extra,
  });
}

/** Tracks a promise's outcome without awaiting it. */
function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

test('acquires a missing lease by creating it with MicroTime stamps', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const leading: boolean[] = [];
  const a = elector(store, clock, 'a', { onLeadingChange: (l) => leading.push(l) });
  await a.acquire(new AbortController().signal);
  const lease = store.lease()!;
  assert.equal(lease.record.holderIdentity, 'a');
  assert.equal(lease.record.leaseDurationSeconds, 15);
  assert.equal(lease.record.leaseTransitions, 0);
  assert.equal(lease.record.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.ok(isMicroTime(lease.record.acquireTime));
  assert.equal(a.isLeader(), true);
  assert.equal(a.guard.isHeld(), true);
  assert.deepEqual(leading, [true]);
});

test('renews every retry period while leading and keeps acquireTime', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const acquireTime = store.lease()!.record.acquireTime;
  const stop = new AbortController();
  const held = track(a.hold(stop.signal));
  await clock.advance(2_000);
  assert.equal(store.lease()!.record.renewTime, '2026-01-01T00:00:02.000000Z');
  await clock.advance(2_000);
  assert.equal(store.lease()!.record.renewTime, '2026-01-01T00:00:04.000000Z');
  assert.equal(store.lease()!.record.acquireTime, acquireTime);
  assert.equal(store.lease()!.record.leaseTransitions, 0);
  assert.equal(a.lastRenewTime(), clock.now());
  stop.abort();
  await flushMicrotasks();
  assert.equal(held.done, true);
  assert.equal(held.error, undefined);
  assert.equal(a.isLeader(), true, 'aborting hold() alone does not end leadership; stop() does');
});

test('loses the lease when it cannot renew within the renew deadline, and fences writes before that', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const held = track(a.hold(new AbortController().signal));
  await clock.advance(2_000); // one good renew at t=2s
  store.partitioned.add('a');
  await clock.advance(7_999); // t=9.999s: 7.999 s since the last renew
  assert.equal(a.guard.isHeld(), true);
  await clock.advance(2_001); // t=12s = last renew + renew deadline
  assert.equal(a.guard.isHeld(), false);
  assert.throws(() => a.guard.assertHeld(), LeaseNotHeldError);
  assert.equal(held.done, true);
  assert.ok(held.error instanceof LeaderElectionLostError, String(held.error));
  assert.equal(a.isLeader(), false);
  // The deadline passed before the lease (last renewed at 2 s, 15 s long) expired for anyone else.
  assert.ok(clock.now() < Date.UTC(2026, 0, 1) + 2_000 + 15_000);
});

test('takes over a lease only after it expired by the local observation clock, ignoring the wall time inside it', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  // The old holder's record carries a renewTime from long ago (clock skew): that must not matter.
  store.write({ holderIdentity: 'crashed', leaseDurationSeconds: 15, acquireTime: '2000-01-01T00:00:00.000000Z', renewTime: '2000-01-01T00:00:00.000000Z', leaseTransitions: 4 });
  const b = elector(store, clock, 'b');
  const acquired = track(b.acquire(new AbortController().signal));
  await clock.advance(14_999);
  assert.equal(acquired.done, false);
  assert.equal(b.isLeader(), false);
  assert.equal(store.lease()!.record.holderIdentity, 'crashed');
  await clock.advance(1);
  assert.equal(acquired.done, true);
  assert.equal(acquired.error, undefined);
  assert.equal(store.lease()!.record.holderIdentity, 'b');
  assert.equal(store.lease()!.record.leaseTransitions, 5);
});

test('a renewing holder keeps the standby waiting: every observed change restarts the expiry', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const aStop = new AbortController();
  track(a.hold(aStop.signal));
  const b = elector(store, clock, 'b');
  const acquired = track(b.acquire(new AbortController().signal));
  await clock.advance(60_000);
  assert.equal(acquired.done, false);
  assert.equal(store.lease()!.record.holderIdentity, 'a');
  // a stops renewing without releasing (as if it hung): b takes over 15 s after the last change it saw.
  aStop.abort();
  await flushMicrotasks();
  const lastChange = clock.now();
  await clock.advance(14_999);
  assert.equal(acquired.done, false);
  await clock.advance(1);
  assert.equal(acquired.done, true);
  assert.equal(clock.now() - lastChange, 15_000);
  assert.equal(store.lease()!.record.holderIdentity, 'b');
});

test('release writes an empty holder with a 1 s duration and the watching standby takes it at once', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const events: string[] = [];
  const recorder: EventRecorder = { event: (obj, type, reason, message) => events.push(`${obj.kind}/${obj.metadata?.name} ${type} ${reason} ${message}`) };
  const a = elector(store, clock, 'a', { recorder });
  await a.acquire(new AbortController().signal);
  const b = elector(store, clock, 'b');
  const acquired = track(b.acquire(new AbortController().signal));
  await clock.advance(3_000);
  assert.equal(acquired.done, false);
  const released = await a.stop({ release: true });
  assert.equal(released, true);
  assert.equal(a.guard.isHeld(), false);
  const releaseRecord = store.writes.find((w) => w.holderIdentity === '');
  assert.ok(releaseRecord);
  assert.equal(releaseRecord.leaseDurationSeconds, 1);
  await clock.advance(0); // no time passes: the watch event wakes b
  assert.equal(acquired.done, true);
  assert.equal(store.lease()!.record.holderIdentity, 'b');
  assert.equal(store.lease()!.record.leaseTransitions, 1);
  assert.deepEqual(events, ['Lease/test-lease Normal LeaderElection a became leader', 'Lease/test-lease Normal LeaderElection a stopped leading']);
});

test('without a watch, a released lease is taken at the next retry', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const inner = store.lock('b');
  const noWatch: LeaseLock = { name: inner.name, namespace: inner.namespace, get: (s) => inner.get(s), create: (r, s) => inner.create(r, s), update: (r, v, s) => inner.update(r, v, s) };
  const b = elector(store, clock, 'b', { lock: noWatch });
  const acquired = track(b.acquire(new AbortController().signal));
  await clock.advance(500);
  await a.stop({ release: true });
  await clock.advance(1_499);
  assert.equal(acquired.done, false);
  await clock.advance(1);
  assert.equal(acquired.done, true);
});

test('a conflicting concurrent write makes the round fail and the new holder is respected', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  store.write({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 });
  const inner = store.lock('b');
  let raced = false;
  const racing: LeaseLock & { watch: typeof inner.watch } = {
    watch: (onChange, s) => inner.watch(onChange, s),
    name: inner.name,
    namespace: inner.namespace,
    get: (s) => inner.get(s),
    create: (r, s) => inner.create(r, s),
    async update(record, rv, s) {
      if (!raced) {
        raced = true; // c writes between b's read and b's update
        store.write({ holderIdentity: 'c', leaseDurationSeconds: 15, renewTime: '2026-01-01T00:00:00.000000Z', leaseTransitions: 3 });
      }
      return inner.update(record, rv, s);
    },
  };
  const b = elector(store, clock, 'b', { lock: racing });
  const acquired = track(b.acquire(new AbortController().signal));
  await clock.advance(0);
  assert.equal(raced, true);
  assert.equal(acquired.done, false);
  assert.equal(store.lease()!.record.holderIdentity, 'c');
  await clock.advance(14_000);
  assert.equal(acquired.done, false, 'c holds a fresh lease');
  await clock.advance(1_000);
  assert.equal(acquired.done, true);
  assert.equal(store.lease()!.record.leaseTransitions, 4);
});

test('a 409 on renew is recovered by reading the lease again', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const held = track(a.hold(new AbortController().signal));
  store.failNext(409);
  await clock.advance(2_000);
  assert.equal(store.lease()!.record.renewTime, '2026-01-01T00:00:02.000000Z');
  assert.equal(held.done, false);
  assert.equal(a.guard.isHeld(), true);
});

test('a leader that sees another holder gives up at once', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  const a = elector(store, clock, 'a');
  await a.acquire(new AbortController().signal);
  const held = track(a.hold(new AbortController().signal));
  store.write({ holderIdentity: 'intruder', leaseDurationSeconds: 15, leaseTransitions: 1, renewTime: '2026-01-01T00:00:00.000000Z' });
  await clock.advance(2_000);
  assert.equal(held.done, true);
  assert.ok(held.error instanceof LeaderElectionLostError);
  assert.match((held.error as Error).message, /intruder/);
});

test('each request times out after max(renewDeadline/2, 1 s)', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  let seen: AbortSignal | undefined;
  const hanging: LeaseLock = {
    name: 'x',
    namespace: 'default',
    get: (s) => new Promise((_, reject) => { seen = s; s.addEventListener('abort', () => reject(s.reason)); }),
    create: () => Promise.reject(new Error('unused')),
    update: () => Promise.reject(new Error('unused')),
  };
  const b = elector(store, clock, 'b', { lock: hanging });
  track(b.acquire(new AbortController().signal));
  await clock.advance(4_999);
  assert.equal(seen?.aborted, false);
  await clock.advance(1);
  assert.equal(seen?.aborted, true);
});

test('aborting a campaign rejects acquire and writes nothing', async () => {
  const clock = new FakeClock();
  const store = new MemoryLeaseStore();
  store.write({ holderIdentity: 'other', leaseDurationSeconds: 15, leaseTransitions: 0 });
  const b = elector(store, clock, 'b');
  const stop = new AbortController();
  const acquired = track(b.acquire(stop.signal));
  await clock.advance(3_000);
  stop.abort();
  await flushMicrotasks();
  assert.equal(acquired.done, true);
  assert.ok(acquired.error instanceof Error);
  assert.equal(store.writes.length, 1);
});
