import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLeaderElectionTiming, type LeaderElectionTiming } from '../../../src/runtime/leaderelection/timing-rules.js';
import { LeaderElectionConfigError } from '../../../src/runtime/leaderelection/errors.js';
import { FlagError } from '../../../src/runtime/flags/flag-error.js';
import { LeaderElector } from '../../../src/runtime/leaderelection/elector.js';
import { MemoryLeaseStore } from '../../../src/runtime/leaderelection/memory-lease-lock.js';
import { realClock } from '../../../src/runtime/clock.js';

const ok: LeaderElectionTiming = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

test('the defaults and the tightest valid timings pass', () => {
  validateLeaderElectionTiming(ok);
  validateLeaderElectionTiming({ leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 1_666 }, 'flags');
});

test('as options, a broken rule is a LeaderElectionConfigError naming the option in milliseconds', () => {
  const cases: [Partial<LeaderElectionTiming>, string, RegExp][] = [
    [{ leaseDurationMs: 10_000 }, 'leaseDurationMs', /leaderElection\.leaseDurationMs \(10000\) must be greater than renewDeadlineMs \(10000\)/],
    [{ retryPeriodMs: 9_000 }, 'renewDeadlineMs', /must be greater than 1\.2 × retryPeriodMs \(9000\) = 10800/],
    [{ leaseDurationMs: 15_500 }, 'leaseDurationMs', /whole seconds/],
    [{ retryPeriodMs: 0 }, 'retryPeriodMs', /positive number of milliseconds/],
    [{ renewDeadlineMs: Number.NaN }, 'renewDeadlineMs', /positive/],
  ];
  for (const [change, option, message] of cases) {
    assert.throws(() => validateLeaderElectionTiming({ ...ok, ...change }), (err: unknown) => {
      assert.ok(err instanceof LeaderElectionConfigError, String(err));
      assert.equal(err.option, option);
      assert.match(err.message, message);
      assert.ok(err.hint, 'has a hint');
      return true;
    });
  }
});

test('as flags, a broken rule is a FlagError naming the flag, with Go durations and a flag to try', () => {
  const cases: [Partial<LeaderElectionTiming>, string, RegExp, RegExp][] = [
    [{ leaseDurationMs: 10_000 }, '--leader-election-lease-duration', /--leader-election-lease-duration \(10s\) must be greater than --leader-election-renew-deadline \(10s\)/, /--leader-election-lease-duration=15s/],
    [{ retryPeriodMs: 9_000 }, '--leader-election-renew-deadline', /--leader-election-renew-deadline \(10s\) must be greater than 1\.2 × --leader-election-retry-period \(9s\) = 10\.8s/, /--leader-election-retry-period=2s/],
    [{ leaseDurationMs: 15_500 }, '--leader-election-lease-duration', /is 15\.5s: the Lease stores whole seconds/, /--leader-election-lease-duration=16s/],
  ];
  for (const [change, flag, message, hint] of cases) {
    assert.throws(() => validateLeaderElectionTiming({ ...ok, ...change }, 'flags'), (err: unknown) => {
      assert.ok(err instanceof FlagError, String(err));
      assert.equal(err.flag, flag);
      assert.match(err.message, message);
      assert.match(err.hint ?? '', hint);
      return true;
    });
  }
});

test('the LeaderElector constructor checks the same rules', () => {
  const lock = new MemoryLeaseStore().lock('a');
  assert.throws(
    () => new LeaderElector({ lock, identity: 'a', clock: realClock, leaseDurationMs: 2_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 }),
    (err: unknown) => err instanceof LeaderElectionConfigError && err.option === 'leaseDurationMs',
  );
  new LeaderElector({ lock, identity: 'a', clock: realClock, ...ok });
});
