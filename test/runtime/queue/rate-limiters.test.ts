import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { ValidationError } from '../../../src/errors.js';
import {
  BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter,
} from '../../../src/runtime/queue/rate-limiters.js';
import { RateLimitingQueue } from '../../../src/runtime/queue/rate-limiting-queue.js';

test('per-item backoff: 5 ms doubling up to the 1000 s cap, per key, reset by forget', () => {
  const rl = new ItemExponentialFailureRateLimiter();
  const delays = Array.from({ length: 20 }, () => rl.when('a'));
  assert.deepEqual(delays.slice(0, 6), [5, 10, 20, 40, 80, 160]);
  assert.equal(delays[17], 5 * 2 ** 17); // 655.36 s
  assert.equal(delays[18], 1_000_000);
  assert.equal(delays[19], 1_000_000);
  assert.equal(rl.when('b'), 5, 'other keys have their own history');
  assert.equal(rl.numRequeues('a'), 20);
  rl.forget('a');
  assert.equal(rl.numRequeues('a'), 0);
  assert.equal(rl.when('a'), 5);
});

test('per-item backoff never overflows after very many failures', () => {
  const rl = new ItemExponentialFailureRateLimiter({ baseDelayMs: 1, maxDelayMs: 60_000 });
  let last = 0;
  for (let i = 0; i < 5000; i++) last = rl.when('x');
  assert.equal(last, 60_000);
});

test('token bucket: burst passes at once, then qps paces, refills with time', async () => {
  const clock = new FakeClock();
  const rl = new BucketRateLimiter({ qps: 10, burst: 3, clock });
  assert.deepEqual([rl.when(), rl.when(), rl.when()], [0, 0, 0]);
  assert.equal(rl.when(), 100);
  assert.equal(rl.when(), 200);
  await clock.advance(1000);
  // 10 tokens refilled minus the 2 owed, capped at burst 3
  assert.deepEqual([rl.when(), rl.when(), rl.when()], [0, 0, 0]);
  assert.equal(rl.when(), 100);
});

test('max-of limiter takes the longest delay; default controller limiter combines both', () => {
  const clock = new FakeClock();
  const max = new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(), new BucketRateLimiter({ qps: 1, burst: 1, clock }));
  assert.equal(max.when('a'), 5);
  assert.equal(max.when('a'), 1000, 'the bucket dominates once empty');
  const def = defaultControllerRateLimiter(clock);
  const delays = Array.from({ length: 100 }, (_, i) => def.when(`k${i}`));
  assert.ok(delays.every((d) => d === 5), 'burst of 100 distinct keys only pays the per-item base');
  assert.equal(def.when('k100'), 100, 'the 101st within the same instant waits for a token');
});

test('bad limiter options are rejected with a clear error', () => {
  assert.throws(() => new ItemExponentialFailureRateLimiter({ baseDelayMs: 0 }), (e: unknown) => e instanceof ValidationError && /baseDelayMs/.test(e.message));
  assert.throws(() => new BucketRateLimiter({ qps: -1 }), /qps must be a positive number/);
  assert.throws(() => new MaxOfRateLimiter(), /at least one limiter/);
});

test('rate-limited queue re-adds after the backoff, counts requeues, forget resets', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter() });
  q.addRateLimited('a');
  assert.equal(q.len(), 0);
  await clock.advance(5);
  assert.equal(q.len(), 1);
  const a = await q.get();
  q.addRateLimited(a!);
  q.done(a!);
  await clock.advance(9);
  assert.equal(q.len(), 0);
  await clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.numRequeues('a'), 2);
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
});
