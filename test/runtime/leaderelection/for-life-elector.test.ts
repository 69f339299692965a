import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { ForLifeElector, type ForLifeElectorConfig } from '../../../src/runtime/leaderelection/for-life-elector.js';
import { MemoryForLifeStore } from '../../../src/runtime/leaderelection/memory-for-life-lock.js';
import { LeaderElectionLostError, LeaderForLifeError, LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';
import type { ForLifeLock } from '../../../src/runtime/leaderelection/for-life-lock.js';

function elector(store: MemoryForLifeStore, clock: FakeClock, podName: string, extra: Partial<ForLifeElectorConfig> = {}) {
  if (!store.pods.has(podName)) store.pods.set(podName, { uid: `uid-${podName}`, phase: 'Running' });
  return new ForLifeElector({ lock: store.lock(), podName, maxBackoffMs: 16_000, clock, random: () => 0, ...extra });
}

function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

const never = () => new AbortController().signal;

test('creates the lock owned by its own Pod (name and uid) and leads; the guard is held while leading', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const leading: boolean[] = [];
  const a = elector(store, clock, 'pod-a', { onLeadingChange: (l) => leading.push(l) });
  assert.equal(a.guard.isHeld(), false);
  assert.throws(() => a.guard.assertHeld(), LeaseNotHeldError);
  await a.acquire(never());
  assert.deepEqual(store.lockState()!.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'pod-a', uid: 'uid-pod-a' }]);
  assert.equal(a.isLeader(), true);
  assert.equal(a.guard.isHeld(), true);
  await clock.advance(10 * 60_000); // nothing to renew: still held much later
  assert.equal(a.guard.isHeld(), true);
  assert.deepEqual(leading, [true]);
});

test('a restarted process finds the lock its Pod owns and leads without creating it again', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  store.pods.set('pod-a', { uid: 'uid-pod-a', phase: 'Running' });
  const before = store.put({ name: 'pod-a', uid: 'uid-pod-a' });
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  assert.equal(a.isLeader(), true);
  assert.equal(store.lockState()!.uid, before.uid);
  assert.equal(store.requests.includes('create'), false);
});

test('a candidate backs off exponentially with 20% jitter, capped at the maximum', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  const b = elector(store, clock, 'pod-b', { maxBackoffMs: 5_000, random: () => 1 });
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((n) => b.backoffMs(n)), [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  const got = track(b.acquire(never()));
  await flushMicrotasks();
  const attemptTimes: number[] = [];
  const start = clock.now();
  let seen = store.requests.filter((r) => r === 'get').length;
  for (let ms = 0; ms < 30_000; ms += 100) {
    await clock.advance(100);
    const gets = store.requests.filter((r) => r === 'get').length;
    if (gets > seen) attemptTimes.push(clock.now() - start);
    seen = gets;
  }
  // waits of 1.2 s, 2.4 s, 4.8 s, then 6 s (5 s cap + 20%) each
  const gaps = attemptTimes.map((t, i) => t - (attemptTimes[i - 1] ?? 0));
  assert.deepEqual(gaps.slice(0, 6), [1_200, 2_400, 4_800, 6_000, 6_000, 6_000]);
  assert.equal(got.done, false);
  assert.equal(b.isLeader(), false);
});

test('a candidate takes over at once when the leader deletes its lock on graceful shutdown', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  const b = elector(store, clock, 'pod-b');
  const got = track(b.acquire(never()));
  await clock.advance(30_000); // b is far into its backoff
  assert.equal(got.done, false);
  const leading: boolean[] = [];
  const released = await a.stop({ release: true });
  assert.equal(released, true);
  assert.equal(a.isLeader(), false);
  assert.equal(a.guard.isHeld(), false);
  await flushMicrotasks(); // no clock advance: the watch wakes b
  assert.equal(got.done, true);
  assert.equal(got.error, undefined);
  assert.equal(b.isLeader(), true);
  assert.equal(store.lockState()!.ownerReferences[0]!.name, 'pod-b');
  assert.deepEqual(leading, []);
});

test('stop without release leaves the lock to garbage collection', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  assert.equal(await a.stop({ release: false }), false);
  assert.equal(store.lockState()!.ownerReferences[0]!.name, 'pod-a');
});

for (const [label, change] of [
  ['its Pod is gone (404)', (s: MemoryForLifeStore) => s.pods.delete('pod-old')],
  ['its Pod was replaced (same name, other uid)', (s: MemoryForLifeStore) => s.pods.set('pod-old', { uid: 'uid-new', phase: 'Running' })],
  ['its Pod was evicted', (s: MemoryForLifeStore) => s.pods.set('pod-old', { uid: 'uid-old', phase: 'Failed', reason: 'Evicted' })],
  ['its Pod has failed', (s: MemoryForLifeStore) => s.pods.set('pod-old', { uid: 'uid-old', phase: 'Failed' })],
  ['its Pod has succeeded', (s: MemoryForLifeStore) => s.pods.set('pod-old', { uid: 'uid-old', phase: 'Succeeded' })],
] as const) {
  test(`a stale lock is deleted with a uid+resourceVersion precondition and taken over when ${label}`, async () => {
    const clock = new FakeClock();
    const store = new MemoryForLifeStore();
    store.pods.set('pod-old', { uid: 'uid-old', phase: 'Running' });
    store.put({ name: 'pod-old', uid: 'uid-old' });
    const b = elector(store, clock, 'pod-b');
    const got = track(b.acquire(never()));
    await clock.advance(5_000);
    assert.equal(b.isLeader(), false, 'a running owner keeps the lock');
    change(store);
    await clock.advance(20_000); // within the next backoff; no garbage collection ran
    assert.equal(got.done, true);
    assert.equal(b.isLeader(), true);
    assert.equal(store.lockState()!.ownerReferences[0]!.uid, 'uid-pod-b');
    assert.ok(store.requests.includes('delete'));
  });
}

test('a lock owned by a running Pod is never deleted, and a Pending/Unknown owner is not judged stale', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  store.pods.set('pod-old', { uid: 'uid-old', phase: 'Unknown' });
  store.put({ name: 'pod-old', uid: 'uid-old' });
  const b = elector(store, clock, 'pod-b');
  void b.acquire(never()).catch(() => {});
  await clock.advance(120_000);
  assert.equal(b.isLeader(), false);
  assert.equal(store.requests.includes('delete'), false);
});

test('the stale-lock delete loses a race cleanly: a precondition failure means someone else changed it', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  store.put({ name: 'pod-gone', uid: 'uid-gone' });
  const inner = store.lock();
  // Another candidate replaces the lock between our read and our delete.
  const racing: ForLifeLock = {
    name: inner.name,
    namespace: inner.namespace,
    getPod: (n, s) => inner.getPod(n, s),
    get: (s) => inner.get(s),
    create: (o, s) => inner.create(o, s),
    delete: async (pre, s) => {
      store.pods.set('pod-c', { uid: 'uid-c', phase: 'Running' });
      store.put({ name: 'pod-c', uid: 'uid-c' });
      return inner.delete(pre, s);
    },
  };
  const b = elector(store, clock, 'pod-b', { lock: racing });
  const got = track(b.acquire(never()));
  await flushMicrotasks();
  assert.equal(got.done, false);
  assert.equal(b.isLeader(), false);
  assert.equal(store.lockState()!.ownerReferences[0]!.name, 'pod-c', 'the new holder keeps its lock');
});

test('garbage collection of a dead leader lock lets a waiting candidate in without waiting for its backoff', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  const b = elector(store, clock, 'pod-b');
  const got = track(b.acquire(never()));
  await clock.advance(60_000);
  store.pods.delete('pod-a');
  store.collectGarbage();
  await flushMicrotasks();
  assert.equal(got.done, true);
  assert.equal(b.isLeader(), true);
});

test('hold rejects with LeaderElectionLostError when the lock is deleted under the leader, and resolves on abort otherwise', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  await a.acquire(never());
  const stop = new AbortController();
  const held = track(a.hold(stop.signal));
  await clock.advance(60_000);
  assert.equal(held.done, false);
  store.remove();
  await flushMicrotasks();
  assert.equal(held.done, true);
  assert.ok(held.error instanceof LeaderElectionLostError);
  assert.equal(a.guard.isHeld(), false);

  const store2 = new MemoryForLifeStore();
  const c = elector(store2, clock, 'pod-c');
  await c.acquire(never());
  const stop2 = new AbortController();
  const held2 = track(c.hold(stop2.signal));
  stop2.abort();
  await flushMicrotasks();
  assert.equal(held2.done, true);
  assert.equal(held2.error, undefined);
  assert.equal(c.isLeader(), true, 'still leading until stop()');
});

test('acquire refuses with LeaderForLifeError when its own Pod does not exist, or when RBAC forbids the lock', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const ghost = new ForLifeElector({ lock: store.lock(), podName: 'no-such-pod', maxBackoffMs: 16_000, clock });
  await assert.rejects(ghost.acquire(never()), (err: unknown) => err instanceof LeaderForLifeError && /no-such-pod/.test(err.message) && /POD_NAME/.test(err.message));
  assert.equal(store.lockState(), undefined);

  const a = elector(store, clock, 'pod-a');
  store.failNext.set('create', 403);
  await assert.rejects(a.acquire(never()), (err: unknown) => err instanceof LeaderForLifeError && /forbidden/.test(err.message) && /leader-for-life/.test(err.hint ?? ''));
  assert.equal(a.isLeader(), false);
});

test('transient errors are retried with backoff', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const a = elector(store, clock, 'pod-a');
  store.failNext.set('create', 503);
  const got = track(a.acquire(never()));
  await flushMicrotasks();
  assert.equal(got.done, false);
  await clock.advance(1_000);
  assert.equal(got.done, true);
  assert.equal(a.isLeader(), true);
});

test('acquire rejects with the abort reason when cancelled', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  await elector(store, clock, 'pod-a').acquire(never());
  const stop = new AbortController();
  const got = track(elector(store, clock, 'pod-b').acquire(stop.signal));
  await clock.advance(3_000);
  stop.abort();
  await flushMicrotasks();
  assert.equal(got.done, true);
  assert.ok(got.error instanceof Error);
});

test('a lock watch that keeps failing is reopened with doubling waits, not in a tight loop', async () => {
  const clock = new FakeClock();
  const store = new MemoryForLifeStore();
  const inner = store.lock();
  let opens = 0;
  const failing: ForLifeLock = {
    name: inner.name,
    namespace: inner.namespace,
    getPod: (n, s) => inner.getPod(n, s),
    get: (s) => inner.get(s),
    create: (o, s) => inner.create(o, s),
    delete: (p, s) => inner.delete(p, s),
    watch: async () => {
      opens++;
      throw new Error('watch refused');
    },
  };
  const a = elector(store, clock, 'pod-a', { lock: failing, maxBackoffMs: 4_000 });
  await a.acquire(never());
  const stop = new AbortController();
  const held = track(a.hold(stop.signal));
  opens = 0;
  await clock.advance(20_000);
  // 200, 400, ..., capped at 4 s: about 8 opens in 20 s, not 200
  assert.ok(opens >= 5 && opens <= 10, `${opens} opens`);
  assert.equal(a.isLeader(), true, 'a failing watch does not end leadership');
  stop.abort();
  await flushMicrotasks();
  assert.equal(held.done, true);
});
