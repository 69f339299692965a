import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { LeaderElector } from '../../../src/runtime/leaderelection/elector.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import { alwaysHeldGuard, createLeaseGuard } from '../../../src/runtime/leaderelection/lease-guard.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import type { LeaseLock } from '../../../src/runtime/leaderelection/lease-lock.js';
import { fencingMarginMs } from '../../../src/runtime/leaderelection/timing-rules.js';

const T0 = Date.UTC(2026, 0, 1);

function elector(lock: LeaseLock, clock: FakeClock) {
  return new LeaderElector({ lock, identity: 'a', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock, random: () => 0 });
}

/** A lock whose renews (updates) take `delayMs` on the fake clock to be answered, as over a slow network. */
function slowUpdates(lock: LeaseLock, clock: FakeClock, delayMs: () => number): LeaseLock {
  return {
    name: lock.name,
    namespace: lock.namespace,
    get: (s) => lock.get(s),
    create: (r, s) => lock.create(r, s),
    update: async (r, rv, s) => {
      await clock.sleep(delayMs(), s);
      return lock.update(r, rv, s);
    },
  };
}

test('the fencing margin is lease duration − renew deadline (5 s with the defaults)', () => {
  assert.equal(fencingMarginMs({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000 }), 5_000);
  assert.equal(fencingMarginMs({ leaseDurationMs: 60_000, renewDeadlineMs: 40_000 }), 20_000);
});

test('a fence is refused before leading, and its deadline is the last renew sent + lease duration − margin', async () => {
  const clock = new FakeClock(T0);
  const a = elector(new MemoryLeaseStore().lock('a'), clock);
  assert.throws(() => a.guard.fence(), LeaseNotHeldError);
  await a.acquire(new AbortController().signal);
  const fence = a.guard.fence();
  assert.equal(fence.deadline, T0 + 15_000 - 5_000);
  assert.equal(fence.signal.aborted, false);
  fence.check();
  fence.release();
});

test('the deadline counts from when the renew was sent, not from when its answer came back', async () => {
  const clock = new FakeClock(T0);
  let delay = 0;
  const a = elector(slowUpdates(new MemoryLeaseStore().lock('a'), clock, () => delay), clock);
  await a.acquire(new AbortController().signal);
  void a.hold(new AbortController().signal).catch(() => {});
  delay = 3_000; // the renew sent at t=2s is answered at t=5s
  await clock.advance(5_000);
  assert.equal(a.lastRenewTime(), T0 + 2_000);
  assert.equal(a.guard.fence().deadline, T0 + 2_000 + 10_000);
});

test('an open fence closes at its deadline with LeaseNotHeldError, and check() throws from then on', async () => {
  const clock = new FakeClock(T0);
  const store = new MemoryLeaseStore();
  const a = elector(store.lock('a'), clock);
  await a.acquire(new AbortController().signal);
  store.partitioned.add('a'); // no renew will succeed
  void a.hold(new AbortController().signal).catch(() => {});
  const fence = a.guard.fence();
  await clock.advance(9_999);
  assert.equal(fence.signal.aborted, false);
  fence.check();
  await clock.advance(1);
  assert.equal(fence.signal.aborted, true);
  assert.ok(fence.signal.reason instanceof LeaseNotHeldError, String(fence.signal.reason));
  assert.throws(() => fence.check(), LeaseNotHeldError);
  assert.throws(() => a.guard.fence(), LeaseNotHeldError);
});

test('check() closes the fence by itself once the deadline passed, even before the timer fired', () => {
  // A clock whose sleeps never end: time passes without the deadline timer firing.
  let now = T0;
  const clock = { now: () => now, sleep: () => new Promise<void>(() => {}) };
  const leadership = new AbortController();
  const guard = createLeaseGuard({ clock, heldUntil: () => T0 + 10_000, leadership: () => leadership.signal, describe: () => 'lease x' });
  const fence = guard.fence();
  now = T0 + 9_999;
  fence.check();
  now = T0 + 10_000;
  assert.equal(fence.signal.aborted, false, 'the timer has not fired');
  assert.throws(() => fence.check(), LeaseNotHeldError);
  assert.equal(fence.signal.aborted, true, 'check() aborted the fence, so a request carrying its signal is stopped too');
});

test('stopping (or losing) leadership closes every open fence at once', async () => {
  const clock = new FakeClock(T0);
  const a = elector(new MemoryLeaseStore().lock('a'), clock);
  await a.acquire(new AbortController().signal);
  const f1 = a.guard.fence();
  const f2 = a.guard.fence();
  f2.release(); // a released fence no longer listens, but still reports what it saw
  await a.stop({ release: false });
  assert.equal(f1.signal.aborted, true);
  assert.ok(f1.signal.reason instanceof LeaseNotHeldError);
  assert.match((f1.signal.reason as Error).message, /stopped leading/);
  assert.equal(a.guard.isHeld(), false);
});

test('losing the lease to another holder closes open fences with the reason', async () => {
  const clock = new FakeClock(T0);
  const store = new MemoryLeaseStore();
  const a = elector(store.lock('a'), clock);
  await a.acquire(new AbortController().signal);
  const lost = a.hold(new AbortController().signal).catch((e: unknown) => e);
  const fence = a.guard.fence();
  store.write({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 1 });
  await clock.advance(2_000);
  await lost;
  assert.equal(fence.signal.aborted, true);
  assert.match((fence.signal.reason as Error).message, /held by b/);
});

test('with election off the guard never closes: deadline Infinity', () => {
  const fence = alwaysHeldGuard.fence();
  assert.equal(fence.deadline, Infinity);
  assert.equal(fence.signal.aborted, false);
  fence.check();
  assert.equal(alwaysHeldGuard.isHeld(), true);
});
