import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../../src/runtime/fake-clock.js';
import { TokenBucketRateLimiter } from '../../../src/runtime/client/request-rate-limiter.js';

/** Starts `n` waits and records the fake time at which each one was let through. */
function startWaits(limiter: TokenBucketRateLimiter, clock: FakeClock, n: number, signal?: AbortSignal) {
  const passedAt: (number | undefined)[] = new Array(n).fill(undefined);
  const errors: unknown[] = [];
  const all = Array.from({ length: n }, (_, i) =>
    limiter.wait(signal).then(
      () => void (passedAt[i] = clock.now()),
      (err: unknown) => void errors.push(err),
    ),
  );
  return { passedAt, errors, all: Promise.all(all) };
}

test('a full bucket lets `burst` requests through at once, then one every 1/qps seconds in arrival order', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 20, burst: 30, clock });
  const { passedAt } = startWaits(limiter, clock, 34);
  await flushMicrotasks();
  assert.equal(passedAt.filter((t) => t === 0).length, 30, 'the burst goes at once');
  assert.equal(clock.pendingSleepers, 4);
  await clock.advance(49);
  assert.equal(passedAt[30], undefined, 'the 31st waits a whole 50 ms token');
  await clock.advance(1);
  assert.equal(passedAt[30], 50);
  await clock.advance(150);
  assert.deepEqual(passedAt.slice(30), [50, 100, 150, 200]);
});

test('the bucket refills at qps up to burst, never beyond', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 10, burst: 3, clock });
  for (let i = 0; i < 3; i++) await limiter.wait();
  assert.equal(limiter.available(), 0);
  await clock.advance(100);
  assert.equal(limiter.available(), 1);
  await clock.advance(60_000);
  assert.equal(limiter.available(), 3, 'a long quiet period still allows only a burst of 3');
  const { passedAt } = startWaits(limiter, clock, 4);
  await flushMicrotasks();
  assert.deepEqual(passedAt, [60_100, 60_100, 60_100, undefined]);
});

test('a fractional qps spaces requests further apart than a second', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 0.5, burst: 1, clock });
  const { passedAt } = startWaits(limiter, clock, 2);
  await clock.advance(1_999);
  assert.deepEqual(passedAt, [0, undefined]);
  await clock.advance(1);
  assert.deepEqual(passedAt, [0, 2_000]);
});

test('aborting a wait rejects with the signal reason at once and gives the token back', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 1, burst: 1, clock });
  await limiter.wait();
  const abort = new AbortController();
  const aborted = startWaits(limiter, clock, 3, abort.signal);
  await flushMicrotasks();
  assert.equal(limiter.available(), -3, 'three reservations wait');
  const reason = new Error('fence deadline passed');
  abort.abort(reason);
  await aborted.all;
  assert.equal(clock.now(), 0, 'the abort did not wait for a token');
  assert.deepEqual(aborted.errors, [reason, reason, reason]);
  assert.equal(limiter.available(), 0, 'the aborted reservations are returned');
  // The next request gets the token the first aborted one had reserved: one second after the first.
  const next = startWaits(limiter, clock, 1);
  await clock.advance(1_000);
  assert.deepEqual(next.passedAt, [1_000]);
});

test('an already aborted signal never takes a token', async () => {
  const clock = new FakeClock(0);
  const limiter = new TokenBucketRateLimiter({ qps: 1, burst: 2, clock });
  const signal = AbortSignal.abort(new Error('gone'));
  await assert.rejects(limiter.wait(signal), /gone/);
  assert.equal(limiter.available(), 2);
});

test('the constructor refuses a qps or burst the bucket cannot work with', () => {
  assert.throws(() => new TokenBucketRateLimiter({ qps: 0, burst: 1 }), /qps 0/);
  assert.throws(() => new TokenBucketRateLimiter({ qps: Number.POSITIVE_INFINITY, burst: 1 }), /qps Infinity/);
  assert.throws(() => new TokenBucketRateLimiter({ qps: 5, burst: 0 }), /burst 0/);
  assert.throws(() => new TokenBucketRateLimiter({ qps: 5, burst: 1.5 }), /burst 1.5/);
});
