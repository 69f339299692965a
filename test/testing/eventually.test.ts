import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, flushMicrotasks } from '../../src/runtime/fake-clock.js';
import { ValidationError } from '../../src/errors.js';
import { eventually, EventuallyTimeoutError } from '../../src/testing/index.js';

type Settled<T> = { value: T } | { error: unknown } | undefined;

/** Starts a promise and records how it settled, so a test can advance the clock and then look. */
function track<T>(promise: Promise<T>): () => Settled<T> {
  let settled: Settled<T>;
  promise.then((value) => (settled = { value }), (error: unknown) => (settled = { error }));
  return () => settled;
}

function errorOf<T>(settled: Settled<T>): unknown {
  assert.ok(settled && 'error' in settled, `expected a rejection, got ${JSON.stringify(settled)}`);
  return settled.error;
}

describe('eventually', () => {
  it('returns the first passing result without waiting', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const result = await eventually(() => {
      calls++;
      return 'ready';
    }, { clock });
    assert.equal(result, 'ready');
    assert.equal(calls, 1);
    assert.equal(clock.pendingSleepers, 0, 'no timer is left behind');
  });

  it('retries a failing assertion every intervalMs until it passes', async () => {
    const clock = new FakeClock();
    const started = clock.now();
    const attemptTimes: number[] = [];
    const state = track(eventually(async () => {
      attemptTimes.push(clock.now() - started);
      assert.ok(attemptTimes.length >= 3, 'not yet');
      return attemptTimes.length;
    }, { timeoutMs: 1_000, intervalMs: 100, clock }));

    await flushMicrotasks();
    assert.deepEqual(attemptTimes, [0]);
    assert.equal(state(), undefined, 'still waiting after a failed attempt');
    await clock.advance(100);
    assert.deepEqual(attemptTimes, [0, 100]);
    await clock.advance(100);
    assert.deepEqual(state(), { value: 3 });
    assert.deepEqual(attemptTimes, [0, 100, 200]);
    assert.equal(clock.pendingSleepers, 0);
  });

  it('throws the last assertion error with how long it waited once the timeout ends', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const state = track(eventually(() => {
      calls++;
      assert.equal(calls, -1, `attempt ${calls}`);
    }, { timeoutMs: 1_000, intervalMs: 300, clock }));

    await clock.advance(999);
    assert.equal(state(), undefined, 'no failure before the timeout');
    await clock.advance(1);
    const error = errorOf(state());
    assert.ok(error instanceof assert.AssertionError, 'the assertion error itself, so reporters show its diff');
    // Attempts at 0, 300, 600, 900, and a last one exactly at the deadline.
    assert.equal(calls, 5);
    assert.match(error.message, /^attempt 5\n/);
    assert.match(error.message, /\(still failing after 1000 ms and 5 attempts\)$/);
    assert.match(String(error.stack), /still failing after 1000 ms/, 'the stack shows the note too');
    assert.equal(error.actual, 5);
    assert.equal(error.expected, -1);
  });

  it('wraps a thrown non-Error in an EventuallyTimeoutError', async () => {
    const clock = new FakeClock();
    const state = track(eventually(() => {
      throw 'not ready'; // eslint-disable-line no-throw-literal -- what a careless caller might do
    }, { timeoutMs: 50, intervalMs: 20, clock }));
    await clock.advance(50);
    const error = errorOf(state());
    assert.ok(error instanceof EventuallyTimeoutError);
    assert.equal(error.code, 'EEVENTUALLY');
    assert.match(error.message, /not ready \(still failing after 50 ms and 4 attempts\)/);
    assert.equal(error.cause, 'not ready');
  });

  it('does not wait for an attempt still running at the deadline', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const state = track(eventually(async () => {
      calls++;
      if (calls === 1) throw new Error('first attempt failed');
      await new Promise(() => undefined); // hangs, like a request to a server that stopped answering
    }, { timeoutMs: 500, intervalMs: 100, clock }));
    await clock.advance(499);
    assert.equal(state(), undefined);
    await clock.advance(1);
    const error = errorOf(state());
    assert.ok(error instanceof EventuallyTimeoutError);
    assert.match(error.message, /attempt 2 was still running when the 500 ms timeout ended \(the attempt before it failed: first attempt failed\)/);
    assert.equal((error.cause as Error).message, 'first attempt failed');
  });

  it('fails at once with the reason when the signal aborts', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const state = track(eventually(() => assert.fail('never'), { timeoutMs: 60_000, clock, signal: stop.signal }));
    await flushMicrotasks();
    assert.equal(state(), undefined);
    const reason = new Error('the manager stopped: boom');
    stop.abort(reason);
    await flushMicrotasks();
    assert.equal(errorOf(state()), reason);
    assert.equal(clock.pendingSleepers, 0);

    // An attempt in flight is abandoned too.
    const hung = new AbortController();
    const hanging = track(eventually(() => new Promise(() => undefined), { clock, signal: hung.signal }));
    await flushMicrotasks();
    hung.abort(reason);
    await flushMicrotasks();
    assert.equal(errorOf(hanging()), reason);

    await assert.rejects(eventually(() => 1, { signal: AbortSignal.abort(reason), clock }), reason);
  });

  it('refuses options that are not durations, naming the value', async () => {
    for (const [options, pattern] of [
      [{ timeoutMs: -1 }, /timeoutMs -1 is not a duration/],
      [{ timeoutMs: Number.NaN }, /timeoutMs NaN is not a duration/],
      [{ intervalMs: 0 }, /intervalMs 0 is not a pause/],
      [{ intervalMs: Number.POSITIVE_INFINITY }, /intervalMs Infinity is not a pause/],
    ] as const) {
      await assert.rejects(eventually(() => 1, options), (err: unknown) => err instanceof ValidationError && pattern.test(err.message) && err.hint !== undefined);
    }
  });
});
