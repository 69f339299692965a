import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { leaderRenewalCheck } from '../../../src/runtime/probes/leader-health.js';

test('healthz fails only for a leader whose last renew is older than the lease duration', async () => {
  const clock = new FakeClock();
  const state = { leading: true, last: clock.now() as number | undefined };
  const check = leaderRenewalCheck({ isLeader: () => state.leading, lastRenewTime: () => state.last }, 15_000, clock);
  check();
  await clock.advance(15_000);
  check(); // exactly one lease duration: still fine
  await clock.advance(1);
  assert.throws(() => check(), /leading but the lease was last renewed 15001 ms ago \(lease duration 15000 ms\)/);
  state.leading = false;
  check(); // a standby is healthy
  state.leading = true;
  state.last = undefined;
  assert.throws(() => check(), /last renewed never/);
});
